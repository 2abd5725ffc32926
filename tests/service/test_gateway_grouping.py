"""The grouping routes with a fake broker: who may call each one, inside and outside the key's scope;
bad input refused before any service is asked; what reaches the service and what comes back."""

from datetime import timedelta

import pytest

from contracts.errors import ErrorCode, ServiceError
from contracts.vocabulary import Role
from infra.clock import local_today
from tests.service.test_gateway_routers import STAMP, Gateway

GROUP_ID = "01JDQ8M5V6X4T2R9K7W3B1N0PZ"
MEMBER = {
    "tracking_code": "7K3P-9XTA-2MQD",
    "case_number": "330481-2026-000123",
    "excerpt": "文苑路中段有个大坑，电动车经过很危险",
    "submitted_at": STAMP,
    "status": "assigned",
    "primary": False,
    "merged": False,
}
GROUP = {
    "group_id": GROUP_ID,
    "division": "330481001",
    "size": 2,
    "terms": ["文苑路", "坑洼"],
    "members": [MEMBER, {**MEMBER, "tracking_code": "7K3P-9XTA-2MQE"}],
    "primary": None,
    "merged_at": None,
    "merged_by": None,
    "created_at": STAMP,
    "updated_at": STAMP,
    "version": 1,
}
HOT_WORDS = {
    "division": "330481",
    "first_day": "2026-11-01",
    "last_day": "2026-11-30",
    "items": 45,
    "words": [{"term": "文苑路", "count": 11}],
}
READERS = {Role.STATION, Role.INFO_OFFICER, Role.DEPUTY, Role.SUPERVISOR, Role.LEGISLATIVE_OFFICE}
HOT_WORD_READERS = READERS | {Role.HANDLER, Role.CONTACT_POINT}
MERGE = {"primary": "7K3P-9XTA-2MQD"}
SPLIT = {"members": ["7K3P-9XTA-2MQE"]}
ROUTES = [
    ("GET", "/v1/opinion-groups?division=330481", None, READERS, "division"),
    ("POST", f"/v1/opinion-groups/{GROUP_ID}/merge", MERGE, {Role.STATION}, None),
    ("POST", f"/v1/opinion-groups/{GROUP_ID}/split", SPLIT, {Role.STATION}, None),
    ("GET", "/v1/hot-words?division=330481&from=2026-11-01&to=2026-11-30", None, HOT_WORD_READERS, "division"),
]


@pytest.fixture
def gateway():
    gateway = Gateway()
    gateway.broker.answers.update(
        {
            ("intake", "opinion_groups"): lambda kw: {"items": [GROUP], "next": "bmV4dA"},
            ("intake", "merge_group"): lambda kw: {**GROUP, "primary": kw["merge"]["primary"], "version": 2},
            ("intake", "split_group"): lambda kw: GROUP,
            ("intake", "hot_words"): lambda kw: HOT_WORDS,
        }
    )
    return gateway


@pytest.mark.parametrize(("method", "url", "body", "roles", "scope_field"), ROUTES, ids=[r[1] for r in ROUTES])
def test_each_role_is_allowed_or_refused_inside_and_outside_its_scope(gateway, method, url, body, roles, scope_field):
    for role in Role:
        answer = gateway.request(method, url, role, json=body)
        if role in roles or role is Role.ADMIN:
            assert answer.status_code == 200, (role, answer.text)
        else:
            assert answer.status_code == 403, (role, answer.text)
            assert answer.headers["content-type"] == "application/problem+json" and answer.json()["field"] == "role"
    if scope_field is None:  # a group's division is checked by the service, which answers 404 outside the scope
        return
    for role in {*roles, Role.ADMIN}:
        calls_before = len(gateway.broker.calls)
        answer = gateway.request(method, url, role, scope="330482", json=body)
        assert answer.status_code == 403 and answer.json()["field"] == scope_field, (role, answer.text)
        assert len(gateway.broker.calls) == calls_before  # refused before any service was asked


def test_groups_are_listed_with_their_members_and_a_link_to_the_next_page(gateway):
    answer = gateway.request("GET", "/v1/opinion-groups?division=330481001&limit=1", Role.STATION)
    assert answer.json() == [GROUP]
    assert answer.headers["link"] == '</v1/opinion-groups?division=330481001&limit=1&after=bmV4dA>; rel="next"'
    assert gateway.broker.calls[-1] == (
        "intake",
        "opinion_groups",
        {"division_prefix": "330481001", "limit": 1, "after": None},
    )


def test_a_member_s_contact_never_reaches_the_answer_even_if_a_service_sent_it(gateway):
    leaking = {**GROUP, "members": [{**MEMBER, "contact": {"name": "陈小明", "phone": "13812345678"}}]}
    gateway.broker.answers[("intake", "opinion_groups")] = lambda kw: {"items": [leaking], "next": None}
    answer = gateway.request("GET", "/v1/opinion-groups", Role.STATION)
    assert "13812345678" not in answer.text and "陈小明" not in answer.text


def test_merge_and_split_pass_the_station_as_the_actor(gateway):
    answer = gateway.request(
        "POST", f"/v1/opinion-groups/{GROUP_ID}/merge", Role.STATION, json={"primary": "7k3p-9xta-2mqd"}
    )
    assert answer.status_code == 200 and answer.json()["primary"] == "7K3P-9XTA-2MQD"
    _, method, kwargs = gateway.broker.calls[-1]
    assert method == "merge_group" and kwargs["group_id"] == GROUP_ID
    assert kwargs["merge"] == {"primary": "7K3P-9XTA-2MQD", "expected_version": None}
    assert kwargs["actor"]["role"] == "station" and kwargs["actor"]["scope"] == "330481"
    gateway.request("POST", f"/v1/opinion-groups/{GROUP_ID}/split", Role.STATION, json={**SPLIT, "expected_version": 3})
    assert gateway.broker.calls[-1][2]["split"] == {**SPLIT, "expected_version": 3}


def test_hot_words_default_to_the_last_30_days_and_pass_the_period(gateway):
    gateway.request("GET", "/v1/hot-words?division=330481001", Role.DEPUTY)
    today = local_today()
    assert gateway.broker.calls[-1][2] == {
        "division": "330481001",
        "first_day": (today - timedelta(days=29)).isoformat(),
        "last_day": today.isoformat(),
        "limit": 20,
    }
    answer = gateway.request("GET", "/v1/hot-words?division=330481&from=2026-11-01&to=2026-11-30&limit=5")
    assert answer.json() == HOT_WORDS
    assert gateway.broker.calls[-1][2] == {
        "division": "330481",
        "first_day": "2026-11-01",
        "last_day": "2026-11-30",
        "limit": 5,
    }


@pytest.mark.parametrize(
    ("method", "url", "body", "field"),
    [
        ("GET", "/v1/opinion-groups?division=33048", None, "division"),
        ("GET", "/v1/opinion-groups?limit=0", None, "limit"),
        ("GET", "/v1/opinion-groups?after=not%20a%20cursor", None, "after"),
        ("POST", "/v1/opinion-groups/not-a-group/merge", MERGE, "group_id"),
        ("POST", f"/v1/opinion-groups/{GROUP_ID}/merge", {}, "primary"),
        ("POST", f"/v1/opinion-groups/{GROUP_ID}/merge", {"primary": "文苑路"}, "primary"),
        ("POST", f"/v1/opinion-groups/{GROUP_ID}/merge", {**MERGE, "expected_version": 0}, "expected_version"),
        ("POST", f"/v1/opinion-groups/{GROUP_ID}/merge", {**MERGE, "surprise": 1}, "surprise"),
        ("POST", f"/v1/opinion-groups/{GROUP_ID}/split", {"members": []}, "members"),
        ("POST", f"/v1/opinion-groups/{GROUP_ID}/split", {"members": ["AAAA"]}, "members.0"),
        ("GET", "/v1/hot-words?division=330481&from=2026-13-01", None, "from"),
        ("GET", "/v1/hot-words?division=330481&from=2026-11-30&to=2026-11-01", None, "from"),
        ("GET", "/v1/hot-words?division=330481&from=2025-01-01&to=2026-11-01", None, "from"),
        ("GET", "/v1/hot-words?division=330481&limit=101", None, "limit"),
    ],
)
def test_bad_input_names_the_field_in_chinese_first_and_reaches_no_service(gateway, method, url, body, field):
    answer = gateway.request(method, url, Role.STATION, json=body)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["field"] == field
    assert gateway.broker.calls == []


def test_hot_words_need_a_division_when_the_key_sees_every_one(gateway):
    answer = gateway.request("GET", "/v1/hot-words", Role.ADMIN, scope="")
    assert answer.status_code == 422 and answer.json()["field"] == "division" and "行政区划" in answer.json()["detail"]
    assert gateway.broker.calls == []


@pytest.mark.parametrize(
    ("code", "status"), [(ErrorCode.NOT_FOUND, 404), (ErrorCode.CONFLICT, 409), (ErrorCode.INVALID_TRANSITION, 409)]
)
def test_the_service_s_refusals_are_problems_naming_the_field(gateway, code, status):
    gateway.broker.refusal = ServiceError(code, "说明 (detail)", "group_id", state=GROUP)
    answer = gateway.request("POST", f"/v1/opinion-groups/{GROUP_ID}/merge", Role.STATION, json=MERGE)
    assert answer.status_code == status and answer.json()["field"] == "group_id" and answer.json()["code"] == code
