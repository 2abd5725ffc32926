"""The units, rules, deadline-policy, triage-queue and late-assignment routes with a fake broker:
every role allowed or refused, inside and outside the division scope, bad input named, no RPC made."""

import pytest

from contracts.errors import ErrorCode, ServiceError
from contracts.vocabulary import Role
from tests.service.test_gateway_routers import STAMP, Gateway

CONTACT = {"name": "王建国", "post": "办公室主任", "office_phone": "0573-87012345"}
UNIT = {
    "id": "hn-transport",
    "name": "海宁市交通运输局",
    "division": "330481",
    "parent": "hn-gov",
    "contacts": [CONTACT],
}
RULE = {"division": "330481", "keywords": ["公交"], "lead_unit": "hn-transport", "triage": "assign"}
POLICIES = {
    "division": "330481",
    "citizen": {"kind": "working_days", "amount": 15},
    "suggestion": {"kind": "calendar_months", "amount": 3},
}
ENTRY = {
    "case_id": "7K3P-9XTA-2MQD",
    "division": "330481001",
    "channel": "web",
    "content": "站台坏了",
    "status": "triaged",
    "received_at": STAMP,
    "triage": {"level": None},
    "waiting_working_days": 0,
    "suggestions": [
        {"unit": {"id": "hn-transport", "name": "海宁市交通运输局"}, "score": 1.0, "shared_terms": ["公交站"]}
    ],
    "version": 1,
}
LATE = {
    "case_id": "7K3P-9XTA-2MQD",
    "division": "330481001",
    "status": "triaged",
    "received_at": STAMP,
    "working_days_to_assignment": 3,
}
ANSWERS = {
    "register_unit": lambda kw: {**kw["unit"], "active": True},
    "update_unit": lambda kw: {**UNIT, **kw["change"], "id": kw["unit_id"]},
    "deactivate_unit": lambda kw: {**UNIT, "id": kw["unit_id"], "active": False},
    "list_units": lambda kw: [UNIT],
    "add_rule": lambda kw: {**kw["rule"], "id": "01RULE"},
    "list_rules": lambda kw: [{**RULE, "id": "01RULE"}],
    "update_rule": lambda kw: {**kw["rule"], "id": kw["rule_id"]},
    "delete_rule": lambda kw: {**RULE, "id": kw["rule_id"]},
    "set_deadline_policies": lambda kw: kw["policies"],
    "deadline_policies": lambda kw: {**POLICIES, "division": kw["division"]},
    "triage_queue": lambda kw: {"items": [ENTRY], "next": "bmV4dA"},
    "late_assignments": lambda kw: [LATE],
}
TRIAGERS = {Role.STATION, Role.SUPERVISOR}
# (method, url, body, roles besides admin, the field a key outside 330481 is refused on, or None)
ROUTES = [
    ("POST", "/v1/admin/units", UNIT, set(), "division"),
    ("GET", "/v1/admin/units?division=330481", None, set(), "division"),
    ("PUT", "/v1/admin/units/hn-transport", {"name": "海宁市交通运输局"}, set(), None),
    ("POST", "/v1/admin/units/hn-transport/deactivate", None, set(), None),
    ("POST", "/v1/admin/routing-rules", RULE, set(), "division"),
    ("GET", "/v1/admin/routing-rules?division=330481", None, set(), "division"),
    ("PUT", "/v1/admin/routing-rules/01RULE", RULE, set(), "division"),
    ("DELETE", "/v1/admin/routing-rules/01RULE", None, set(), None),
    ("PUT", "/v1/admin/deadline-policies", POLICIES, set(), "division"),
    ("GET", "/v1/admin/deadline-policies?division=330481", None, set(), "division"),
    ("GET", "/v1/triage-queue?division=330481", None, TRIAGERS, "division"),
    ("GET", "/v1/late-assignments?division=330481", None, TRIAGERS, "division"),
]


@pytest.fixture
def gateway():
    gateway = Gateway()
    gateway.broker.answers.update({("routing", name): answer for name, answer in ANSWERS.items()})
    return gateway


@pytest.mark.parametrize(
    ("method", "url", "body", "roles", "scope_field"), ROUTES, ids=[f"{r[0]} {r[1]}" for r in ROUTES]
)
def test_each_role_is_allowed_or_refused_inside_and_outside_its_scope(gateway, method, url, body, roles, scope_field):
    for role in Role:
        calls_before = len(gateway.broker.calls)
        answer = gateway.request(method, url, role, json=body)
        if role in roles or role is Role.ADMIN:
            assert answer.status_code < 300, (role, answer.text)
        else:
            assert answer.status_code == 403, (role, answer.text)
            assert answer.headers["content-type"] == "application/problem+json" and answer.json()["field"] == "role"
            assert len(gateway.broker.calls) == calls_before
    if scope_field is None:
        return
    for role in {*roles, Role.ADMIN}:
        calls_before = len(gateway.broker.calls)
        answer = gateway.request(method, url, role, scope="330482", json=body)
        assert answer.status_code == 403 and answer.json()["field"] == scope_field, (role, answer.text)
        assert len(gateway.broker.calls) == calls_before  # refused before any RPC


def test_routes_by_id_pass_the_caller_so_routing_checks_the_scope(gateway):
    gateway.request("PUT", "/v1/admin/units/hn-transport", Role.ADMIN, json={"name": "新名", "contacts": [CONTACT]})
    _, method, kwargs = gateway.broker.calls[-1]
    assert method == "update_unit" and kwargs["actor"]["scope"] == "330481"
    assert kwargs["change"] == {"name": "新名", "parent": None, "contacts": [CONTACT]}
    gateway.broker.refusal = ServiceError(ErrorCode.NOT_FOUND, "承办单位 hn-transport 不存在", "unit_id")
    answer = gateway.request("POST", "/v1/admin/units/hn-transport/deactivate", Role.ADMIN, scope="330482")
    assert answer.status_code == 404 and answer.json()["field"] == "unit_id"


def test_a_refused_rule_is_422_naming_the_field(gateway):
    gateway.broker.refusal = ServiceError(ErrorCode.INVALID, "承办单位 ghost 不存在 (unknown unit)", "co_units")
    answer = gateway.request("POST", "/v1/admin/routing-rules", Role.ADMIN, json={**RULE, "co_units": ["ghost"]})
    assert answer.status_code == 422 and answer.json()["field"] == "co_units"


@pytest.mark.parametrize(
    ("method", "url", "body", "field"),
    [
        ("POST", "/v1/admin/units", {**UNIT, "contacts": [{**CONTACT, "office_phone": "call me"}]}, "office_phone"),
        ("POST", "/v1/admin/units", {**UNIT, "id": "Bad Id"}, "id"),
        ("PUT", "/v1/admin/units/hn-transport", {"name": ""}, "name"),
        ("PUT", "/v1/admin/units/BAD%20ID", {"name": "某局"}, "unit_id"),
        ("POST", "/v1/admin/routing-rules", {**RULE, "triage": "later"}, "triage"),
        ("POST", "/v1/admin/routing-rules", {**RULE, "areas": ["330482001"]}, "areas"),
        ("POST", "/v1/admin/routing-rules", {**RULE, "channels": ["fax"]}, "channels"),
        ("POST", "/v1/admin/routing-rules", {"division": "330481", "triage": "joint"}, "lead_unit"),
        ("PUT", "/v1/admin/routing-rules/01RULE", {**RULE, "deadline": {"kind": "working_days"}}, "amount"),
        (
            "PUT",
            "/v1/admin/deadline-policies",
            {**POLICIES, "suggestion": {"kind": "calendar_months", "amount": 7}},
            "amount",
        ),
        ("GET", "/v1/triage-queue?division=33", None, "division"),
        ("GET", "/v1/late-assignments?division=330481&limit=0", None, "limit"),
    ],
)
def test_bad_input_names_the_field_in_chinese_and_reaches_no_service(gateway, method, url, body, field):
    answer = gateway.request(method, url, Role.ADMIN, json=body)
    assert answer.status_code == 422 and answer.headers["content-type"] == "application/problem+json", answer.text
    problem = answer.json()
    assert problem["field"].split(".")[-1] == field or problem["field"].startswith(field), problem
    assert any("\u4e00" <= ch <= "\u9fff" for ch in problem["title"] + problem["errors"][0]["message"])
    assert gateway.broker.calls == []


def test_the_queue_shows_suggestions_and_points_to_its_next_page(gateway):
    answer = gateway.request("GET", "/v1/triage-queue?division=330481&limit=1", Role.STATION)
    assert answer.json()[0]["suggestions"][0]["shared_terms"] == ["公交站"]
    assert answer.headers["link"] == '</v1/triage-queue?division=330481&limit=1&after=bmV4dA>; rel="next"'
    assert gateway.broker.calls[-1][2] == {"division": "330481", "limit": 1, "after": None}


def test_the_queue_never_carries_unit_contacts(gateway):
    gateway.broker.answers[("routing", "triage_queue")] = lambda kw: {
        "items": [{**ENTRY, "suggestions": [{**ENTRY["suggestions"][0], "unit": UNIT}]}],
        "next": None,
    }
    answer = gateway.request("GET", "/v1/triage-queue?division=330481", Role.STATION)
    assert "contacts" not in answer.text and "王建国" not in answer.text
