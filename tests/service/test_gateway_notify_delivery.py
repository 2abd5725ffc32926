"""The inbox of the key's principal, channel preferences, divisions' channel policies, delivery status and
the admin replay: roles and scopes, answers, and bad input answered before any service is asked."""

import pytest

from contracts.errors import ErrorCode, ServiceError
from contracts.vocabulary import Role
from tests.service.test_gateway_routers import NOTICE, Gateway

DELIVERY = {
    "id": "01JEVENT:unit:hn-transport:dingtalk",
    "event_id": "01JEVENT",
    "event_type": "case.assigned",
    "recipient": "unit:hn-transport",
    "division": "330481001",
    "channel": "dingtalk",
    "status": "dead",
    "attempts": 5,
    "next_attempt_at": None,
    "last_error": "HTTP 502",
    "sent_at": None,
    "created_at": "2026-11-23T02:00:00Z",
}
POLICY = {"allowed_channels": ["in_app", "sms"], "quiet_hours": {"start": "22:00", "end": "08:00"}}
PREFERENCES = {"channels": {"case.assigned": ["in_app", "dingtalk"]}, "addresses": {}}


@pytest.fixture
def gateway():
    gateway = Gateway()
    gateway.broker.answers.update(
        {
            ("notify", "unread_count"): lambda kw: 2,
            ("notify", "mark_read"): lambda kw: {**NOTICE, "read_at": "2026-11-23T03:00:00Z"},
            ("notify", "preferences"): lambda kw: {
                "recipient": kw["recipient"],
                "division": kw["division"],
                "channels": {},
                "addresses": {},
                "allowed": ["in_app"],
            },
            ("notify", "set_preferences"): lambda kw: {
                "recipient": kw["recipient"],
                "division": kw["division"],
                "channels": kw["preferences"]["channels"],
                "addresses": {},
                "allowed": ["in_app", "dingtalk"],
            },
            ("notify", "division_policy"): lambda kw: {**POLICY, "division": kw["division"]},
            ("notify", "set_division_policy"): lambda kw: {**kw["policy"], "division": kw["division"]},
            ("notify", "deliveries"): lambda kw: {"items": [DELIVERY], "next": None},
            ("notify", "replay_delivery"): lambda kw: {**DELIVERY, "status": "pending", "attempts": 0},
        }
    )
    return gateway


EVERYONE = set(Role)
ROUTES = [
    ("GET", "/v1/notifications/inbox", None, EVERYONE, None),
    ("GET", "/v1/notifications/unread-count", None, EVERYONE, None),
    ("POST", "/v1/notifications/01JEVENT:unit:hn-transport/read", None, EVERYONE, None),
    ("GET", "/v1/notify/preferences", None, EVERYONE, None),
    ("PUT", "/v1/notify/preferences", PREFERENCES, EVERYONE, None),
    ("GET", "/v1/admin/notify/divisions/330481", None, set(), "code"),
    ("PUT", "/v1/admin/notify/divisions/330481", POLICY, set(), "code"),
    ("GET", "/v1/deliveries?division=330481&event_id=01JEVENT", None, {Role.SUPERVISOR, Role.STATION}, "division"),
    ("POST", "/v1/admin/deliveries/01JEVENT:unit:hn-transport:dingtalk/replay", None, set(), None),
]


@pytest.mark.parametrize(("method", "url", "body", "roles", "scope_field"), ROUTES, ids=[r[1] for r in ROUTES])
def test_each_role_is_allowed_or_refused_inside_and_outside_its_scope(gateway, method, url, body, roles, scope_field):
    for role in Role:
        answer = gateway.request(method, url, role, json=body)
        if role in roles or role is Role.ADMIN:
            assert answer.status_code < 300, (role, answer.text)
        else:
            assert answer.status_code == 403 and answer.json()["field"] == "role", (role, answer.text)
    if scope_field is None:
        return
    for role in {*roles, Role.ADMIN}:
        calls_before = len(gateway.broker.calls)
        answer = gateway.request(method, url, role, scope="330482", json=body)
        assert answer.status_code == 403 and answer.json()["field"] == scope_field, (role, answer.text)
        assert len(gateway.broker.calls) == calls_before  # refused before any service was asked


def test_the_inbox_is_the_key_principals_own(gateway):
    answer = gateway.request("GET", "/v1/notifications/unread-count", Role.HANDLER)
    assert answer.json() == {"recipient": "unit:hn-transport", "unread": 2}  # the unit the handler's key names
    listed = gateway.request("GET", "/v1/notifications/inbox?limit=10", Role.HANDLER)
    assert listed.json() == [{**NOTICE, "read_at": None}]
    assert gateway.broker.calls[-1][2] == {
        "recipient": "unit:hn-transport",
        "division_prefix": "330481",
        "limit": 10,
        "after": None,
    }
    read = gateway.request("POST", "/v1/notifications/01JEVENT:unit:hn-transport/read", Role.HANDLER)
    assert read.json()["read_at"] == "2026-11-23T03:00:00Z"
    call = gateway.broker.calls[-1][2]
    assert call == {"notification_id": "01JEVENT:unit:hn-transport", "recipient": "unit:hn-transport"}


def test_someone_elses_notice_is_not_found(gateway):
    gateway.broker.refusal = ServiceError(ErrorCode.NOT_FOUND, "没有这条通知", "notification_id")
    answer = gateway.request("POST", "/v1/notifications/01JEVENT:unit:other/read", Role.HANDLER)
    assert answer.status_code == 404 and answer.json()["field"] == "notification_id"


def test_preferences_name_the_bad_field_and_reach_no_service(gateway):
    calls = len(gateway.broker.calls)
    bad_channel = {"channels": {"case.assigned": ["carrier_pigeon"]}}
    answer = gateway.request("PUT", "/v1/notify/preferences", Role.HANDLER, json=bad_channel)
    assert answer.status_code == 422 and answer.json()["field"].startswith("channels.case.assigned")
    bad_type = {"channels": {"NOT A TYPE": ["in_app"]}}
    assert gateway.request("PUT", "/v1/notify/preferences", Role.HANDLER, json=bad_type).status_code == 422
    bad_hours = {"allowed_channels": ["in_app"], "quiet_hours": {"start": "25:00", "end": "08:00"}}
    answer = gateway.request("PUT", "/v1/admin/notify/divisions/330481", Role.ADMIN, json=bad_hours)
    assert answer.status_code == 422 and answer.json()["field"] == "quiet_hours.start"
    assert len(gateway.broker.calls) == calls


def test_an_unknown_event_type_is_refused_by_notify_with_the_field(gateway):
    gateway.broker.refusal = ServiceError(ErrorCode.INVALID, "未知的事件类型", "channels.case.nothing")
    answer = gateway.request("PUT", "/v1/notify/preferences", Role.HANDLER, json={"channels": {"case.nothing": []}})
    assert answer.status_code == 422 and answer.json()["field"] == "channels.case.nothing"


def test_a_replay_of_a_delivery_that_is_not_dead_is_409_with_its_state(gateway):
    current = {**DELIVERY, "status": "sent"}
    gateway.broker.refusal = ServiceError(
        ErrorCode.CONFLICT, "只有失败终止的投递可以重发", "delivery_id", state=current
    )
    answer = gateway.request("POST", f"/v1/admin/deliveries/{DELIVERY['id']}/replay", Role.ADMIN)
    assert answer.status_code == 409 and answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["state"]["status"] == "sent" and answer.json()["field"] == "delivery_id"


def test_a_replay_passes_the_admins_scope_and_delivery_status_its_filters(gateway):
    gateway.request("POST", f"/v1/admin/deliveries/{DELIVERY['id']}/replay", Role.ADMIN)
    assert gateway.broker.calls[-1][2] == {"delivery_id": DELIVERY["id"], "scope": "330481"}
    listed = gateway.request("GET", "/v1/deliveries?event_id=01JEVENT&recipient=unit:hn-transport", Role.SUPERVISOR)
    assert listed.json() == [DELIVERY]
    kwargs = gateway.broker.calls[-1][2]
    assert (kwargs["division"], kwargs["event_id"], kwargs["recipient"]) == ("330481", "01JEVENT", "unit:hn-transport")
    bad = gateway.request("GET", "/v1/deliveries?recipient=not a recipient", Role.SUPERVISOR)
    assert bad.status_code == 422 and bad.json()["field"] == "recipient"
