"""The receptions routes with a fake broker: who may do what, within which scope, bad input refused
before any service is asked, and the public notice never showing more than it should."""

import pytest

from contracts.errors import ErrorCode, ServiceError
from contracts.vocabulary import Role
from gateway import deps
from tests.service.test_gateway_routers import Gateway

SESSION = {
    "id": "rcp-20261201-k3p9xt",
    "division": "330481001",
    "station": {"id": "xiashi-station", "name": "硖石街道人大代表联络站"},
    "starts_at": "2026-12-01T09:00:00+08:00",
    "ends_at": "2026-12-01T11:30:00+08:00",
    "theme": "老旧小区加装电梯专题接待",
    "place": None,
    "deputies": [{"id": "deputy-zhang-wei", "name": "张伟"}],
    "officials": [{"name": "刘建国", "post": "海宁市住房和城乡建设局 副局长"}],
    "status": "announced",
    "announced_at": "2026-11-23T10:00:00+08:00",
    "cancel_reason": None,
    "items_received": 1,
    "created_at": "2026-11-23T09:00:00+08:00",
    "created_by": "station:01KEY",
    "late_reason": "台风过境，临时公告",
    "held_at": None,
    "visitors": None,
    "cancelled_at": None,
    "version": 2,
}
ITEM = {
    "tracking_code": "7K3P-9XTA-2MQD",
    "case_number": "330481-2026-000123",
    "content": "文苑小区想加装电梯但一楼住户不同意",
    "status": "received",
    "submitted_at": "2026-12-01T09:20:00+08:00",
}
NEW = {
    "station_id": "xiashi-station",
    "starts_at": "2026-12-01T09:00:00",
    "ends_at": "2026-12-01T11:30:00",
    "deputy_ids": ["deputy-zhang-wei"],
    "theme": "老旧小区加装电梯专题接待",
    "officials": [{"name": "刘建国", "post": "海宁市住房和城乡建设局 副局长"}],
}
STATION_ONLY = {Role.STATION}
READERS = {Role.STATION, Role.SUPERVISOR, Role.DEPUTY}
CHANGES = [
    ("POST", "/v1/receptions", NEW, "create_reception"),
    ("POST", "/v1/receptions/rcp-20261201-k3p9xt/announce", {}, "announce_reception"),
    ("POST", "/v1/receptions/rcp-20261201-k3p9xt/hold", {"visitors": 12}, "hold_reception"),
    ("POST", "/v1/receptions/rcp-20261201-k3p9xt/cancel", {"reason": "台风预警，接待取消"}, "cancel_reception"),
]
READS = [
    ("GET", "/v1/receptions?division=330481", None, "receptions"),
    ("GET", "/v1/receptions/rcp-20261201-k3p9xt", None, "reception"),
]


@pytest.fixture
def gateway():
    gateway = Gateway()
    answers = gateway.broker.answers
    for _, _, _, rpc in CHANGES:
        answers[("intake", rpc)] = lambda kw: SESSION
    answers[("intake", "reception")] = lambda kw: {**SESSION, "items": [ITEM]}
    answers[("intake", "receptions")] = lambda kw: {"items": [SESSION], "next": None}
    answers[("intake", "public_receptions")] = lambda kw: {"items": [SESSION], "next": "bmV4dA"}
    return gateway


def allowed_or_refused(gateway, method, url, body, roles):
    for role in Role:
        answer = gateway.request(method, url, role, json=body)
        if role in roles or role is Role.ADMIN:
            assert answer.status_code < 300, (role, answer.text)
        else:
            assert answer.status_code == 403, (role, answer.text)
            assert answer.headers["content-type"] == "application/problem+json" and answer.json()["field"] == "role"


@pytest.mark.parametrize(("method", "url", "body", "rpc"), CHANGES, ids=[c[3] for c in CHANGES])
def test_only_a_station_or_an_admin_plans_and_changes_sessions(gateway, method, url, body, rpc):
    allowed_or_refused(gateway, method, url, body, STATION_ONLY)
    assert {call[1] for call in gateway.broker.calls} == {rpc}


@pytest.mark.parametrize(("method", "url", "body", "rpc"), CHANGES, ids=[c[3] for c in CHANGES])
def test_a_change_carries_the_callers_scope_and_the_services_refusal_outside_it_is_403(gateway, method, url, body, rpc):
    """The session's or station's division is known to intake only: it refuses outside the key's scope."""
    gateway.request(method, url, Role.STATION, scope="330482", json=body)
    assert gateway.broker.calls[-1][2]["actor"]["scope"] == "330482"
    assert gateway.broker.calls[-1][2]["actor"]["role"] == "station"
    field = "station_id" if rpc == "create_reception" else "division"
    gateway.broker.refusal = ServiceError(ErrorCode.FORBIDDEN, "不在密钥的管辖范围内 (outside the key's scope)", field)
    answer = gateway.request(method, url, Role.STATION, scope="330482", json=body)
    assert answer.status_code == 403 and answer.json()["field"] == field


@pytest.mark.parametrize(("method", "url", "body", "rpc"), READS, ids=[r[3] for r in READS])
def test_stations_supervisors_and_deputies_read_sessions_within_their_scope(gateway, method, url, body, rpc):
    allowed_or_refused(gateway, method, url, body, READERS)
    for role in {*READERS, Role.ADMIN}:
        answer = gateway.request(method, url, role, scope="330482")
        assert answer.status_code == 403 and answer.json()["field"] == "division", (role, answer.text)


def test_a_list_outside_the_scope_is_refused_before_any_rpc(gateway):
    answer = gateway.request("GET", "/v1/receptions?division=330481", Role.STATION, scope="330482")
    assert answer.status_code == 403 and gateway.broker.calls == []


def test_the_staff_list_passes_division_state_and_cursor(gateway):
    answer = gateway.request("GET", "/v1/receptions?status=draft&limit=5&after=bmV4dA", Role.DEPUTY, scope="330481001")
    assert answer.status_code == 200 and answer.json()[0]["late_reason"] == "台风过境，临时公告"
    assert gateway.broker.calls[-1][2] == {
        "division_prefix": "330481001",
        "status": "draft",
        "limit": 5,
        "after": "bmV4dA",
    }


def test_one_session_lists_its_items_without_any_contact(gateway):
    gateway.broker.answers[("intake", "reception")] = lambda kw: {
        **SESSION,
        "items": [{**ITEM, "contact": {"name": "陈小明", "phone": "13812345678"}}],  # even if a service sent it
    }
    answer = gateway.request("GET", "/v1/receptions/rcp-20261201-k3p9xt", Role.SUPERVISOR)
    assert answer.status_code == 200 and answer.json()["items"] == [ITEM]
    assert "13812345678" not in answer.text and gateway.broker.calls[-1][2] == {"reception_id": "rcp-20261201-k3p9xt"}


def test_the_public_list_needs_no_key_pages_and_shows_no_bookkeeping(gateway):
    gateway.app.dependency_overrides.pop(deps.current_principal)
    answer = gateway.request("GET", "/v1/public/receptions?division=330481&limit=1")
    assert answer.status_code == 200
    assert answer.headers["link"] == '</v1/public/receptions?division=330481&limit=1&after=bmV4dA>; rel="next"'
    [shown] = answer.json()
    assert shown["theme"] == "老旧小区加装电梯专题接待" and shown["deputies"] == [
        {"id": "deputy-zhang-wei", "name": "张伟"}
    ]
    assert shown["starts_at"] == "2026-12-01T09:00:00+08:00"
    assert not {"late_reason", "created_by", "version", "visitors", "held_at"} & set(shown)
    assert gateway.broker.calls[-1][2] == {"division_prefix": "330481", "limit": 1, "after": None}
    assert gateway.request("GET", "/v1/receptions?division=330481").status_code == 401


def test_a_create_passes_beijing_time_on_as_utc(gateway):
    answer = gateway.request("POST", "/v1/receptions", Role.STATION, json=NEW)
    assert answer.status_code == 201
    sent = gateway.broker.calls[-1][2]["reception"]
    assert sent["starts_at"].startswith("2026-12-01T01:00:00") and sent["deputy_ids"] == ["deputy-zhang-wei"]


def test_announce_and_hold_need_no_body(gateway):
    for action in ("announce", "hold"):
        answer = gateway.request("POST", f"/v1/receptions/rcp-20261201-k3p9xt/{action}", Role.STATION)
        assert answer.status_code == 200, answer.text
    assert [call[2].get("announcement", call[2].get("report")) for call in gateway.broker.calls] == [
        {"reason": None},
        {"visitors": None},
    ]


def test_announcing_late_without_a_reason_is_422_naming_reason(gateway):
    gateway.broker.refusal = ServiceError(
        ErrorCode.INVALID, "距接待日仅 3 天，不足 7 天公告须说明理由 (needs a reason)", "reason"
    )
    answer = gateway.request("POST", "/v1/receptions/rcp-20261201-k3p9xt/announce", Role.STATION, json={})
    assert answer.status_code == 422 and answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["field"] == "reason" and answer.json()["detail"].startswith("距接待日仅 3 天")


@pytest.mark.parametrize(
    ("method", "url", "body", "field", "says"),
    [
        ("POST", "/v1/receptions", {**NEW, "ends_at": "2026-12-01T08:00:00"}, "ends_at", "结束时间应晚于开始时间"),
        ("POST", "/v1/receptions", {**NEW, "deputy_ids": ["d1", "d1"]}, "deputy_ids", "值班代表重复"),
        ("POST", "/v1/receptions", {**NEW, "station_id": "硖石站"}, "station_id", "pattern"),
        ("POST", "/v1/receptions", {k: v for k, v in NEW.items() if k != "starts_at"}, "starts_at", "required"),
        ("POST", "/v1/receptions", {**NEW, "officials": [{"name": "刘建国"}]}, "officials.0.post", "required"),
        ("POST", "/v1/receptions/RCP%20X/announce", {}, "reception_id", "pattern"),
        ("POST", "/v1/receptions/rcp-1/announce", {"reason": "急"}, "reason", "at least 2"),
        ("POST", "/v1/receptions/rcp-1/hold", {"visitors": -1}, "visitors", "greater than or equal"),
        ("POST", "/v1/receptions/rcp-1/cancel", {}, "reason", "required"),
        ("GET", "/v1/receptions?status=maybe", None, "status", "draft"),
        ("GET", "/v1/receptions?division=33", None, "division", "pattern"),
        ("GET", "/v1/public/receptions?division=330481&after=not%20a%20cursor", None, "after", "pattern"),
        ("GET", "/v1/public/receptions", None, "division", "required"),
    ],
)
def test_bad_input_is_422_naming_the_field_and_reaches_no_service(gateway, method, url, body, field, says):
    answer = gateway.request(method, url, Role.STATION, json=body)
    assert answer.status_code == 422 and answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["title"] == "请求参数不合法" and problem["field"] == field, problem
    assert says in problem["errors"][0]["message"]
    assert gateway.broker.calls == []


def test_a_session_at_a_taken_slot_is_409_with_the_first_one(gateway):
    gateway.broker.refusal = ServiceError(
        ErrorCode.CONFLICT, "该联络站同一时间已有接待安排", "starts_at", state=SESSION
    )
    answer = gateway.request("POST", "/v1/receptions", Role.STATION, json=NEW)
    assert answer.status_code == 409 and answer.json()["state"]["id"] == SESSION["id"]
