"""The watch's and the ledger's routes: the supervisor's lists, 催办 and ledger choice (every role
allowed or refused, inside and outside its scope), the public ledger with no key and never a
person, and bad input named before any call."""

import pytest

from contracts.errors import ErrorCode, ServiceError
from contracts.vocabulary import Role
from gateway import deps
from tests.service.test_gateway_routers import FakeDivisions, Gateway

UNIT = {"id": "hn-transport", "name": "海宁市交通运输局"}
NOTICES = {"due_soon_at": "2026-11-13T02:00:00Z", "overdue_at": "2026-11-23T02:00:00Z", "half_time_at": None}
REMINDER = {
    "reminder_id": "01REMINDER",
    "method": "phone",
    "note": "已电话催办",
    "by": "海宁市人大督查室",
    "at": "2026-11-23T03:00:00Z",
}
OVERDUE = {
    "case_id": "7K3P-9XTA-2MQD",
    "case_number": "330481-2026-000123",
    "division": "330481001",
    "category": "道路交通",
    "lead_unit": UNIT,
    "co_units": [],
    "assigned_at": "2026-11-02T02:00:00Z",
    "due_date": "2026-11-20",
    "days_overdue": 3,
    "status": "accepted",
    "notices": NOTICES,
    "reminders": [REMINDER],
}
HALF_TIME = {
    "case_id": "7K3P-9XTA-2MQD",
    "division": "330481001",
    "lead_unit": UNIT,
    "assigned_at": "2026-11-23T02:00:00Z",
    "midpoint": "2026-12-03",
    "due_date": "2026-12-14",
    "status": "assigned",
    "notices": NOTICES,
    "reminders": [],
}
ENTRY = {
    "tracking_code": "7K3P-9XTA-2MQD",
    "case_number": "330481-2026-000123",
    "category": "道路交通",
    "division": "330481001",
    "township": "330481001",
    "unit": "海宁市交通运输局",
    "status": "replied",
    "received_on": "2026-11-20",
    "assigned_on": "2026-11-23",
    "due_date": "2026-12-14",
    "replied_on": "2026-12-01",
    "closed_on": None,
    "rating": "satisfied",
    "text": None,
}
SETTINGS = {"division": "330481", "show_text": True, "updated_at": "2026-11-23T03:00:00Z"}
ROUTES = [
    ("GET", "/v1/supervision/overdue?division=330481", None, "division"),
    ("GET", "/v1/supervision/half-time?division=330481", None, "division"),
    ("GET", "/v1/supervision/ledger-settings/330481", None, "division"),
    ("PUT", "/v1/supervision/ledger-settings/330481", {"show_text": True}, "division"),
]


@pytest.fixture
def gateway():
    gateway = Gateway()
    answers = gateway.broker.answers
    answers[("supervision", "overdue_cases")] = lambda kw: {"items": [OVERDUE], "next": "bmV4dA"}
    answers[("supervision", "half_time_cases")] = lambda kw: {"items": [HALF_TIME], "next": None}
    answers[("supervision", "record_reminder")] = lambda kw: {**REMINDER, **kw["reminder"]}
    answers[("supervision", "ledger_settings")] = lambda kw: {**SETTINGS, "division": kw["division"]}
    answers[("supervision", "set_ledger_settings")] = lambda kw: {**SETTINGS, **kw["settings"]}
    answers[("supervision", "public_ledger")] = lambda kw: {"items": [ENTRY], "next": None}
    return gateway


@pytest.mark.parametrize(("method", "url", "body", "scope_field"), ROUTES, ids=[f"{r[0]} {r[1]}" for r in ROUTES])
def test_supervisors_alone_inside_their_scope(gateway, method, url, body, scope_field):
    for role in Role:
        answer = gateway.request(method, url, role, json=body)
        if role in (Role.SUPERVISOR, Role.ADMIN):
            assert answer.status_code == 200, (role, answer.text)
        else:
            assert answer.status_code == 403 and answer.json()["field"] == "role", (role, answer.text)
    for role in (Role.SUPERVISOR, Role.ADMIN):
        calls = len(gateway.broker.calls)
        answer = gateway.request(method, url, role, scope="330482", json=body)
        assert answer.status_code == 403 and answer.json()["field"] == scope_field
        assert answer.headers["content-type"] == "application/problem+json"
        assert len(gateway.broker.calls) == calls  # refused before any call


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_a_reminder_is_recorded_by_a_supervisor_with_the_key_as_the_actor(gateway, role):
    answer = gateway.request(
        "POST", "/v1/supervision/cases/7k3p-9xta-2mqd/reminders", role, json={"method": "visit", "note": "上门督办"}
    )
    if role in (Role.SUPERVISOR, Role.ADMIN):
        assert answer.status_code == 201 and answer.json()["method"] == "visit"
        _, method, kwargs = gateway.broker.calls[-1]
        assert method == "record_reminder" and kwargs["case_id"] == "7K3P-9XTA-2MQD"
        assert kwargs["reminder"] == {"method": "visit", "note": "上门督办"}
        assert (kwargs["actor"]["role"], kwargs["actor"]["scope"]) == (role.value, "330481")
    else:
        assert answer.status_code == 403 and answer.json()["field"] == "role" and gateway.broker.calls == []


def test_a_reminder_on_a_case_outside_the_scope_is_not_found(gateway):
    gateway.broker.refusal = ServiceError(ErrorCode.NOT_FOUND, "没有编号为 7K3P-9XTA-2MQD 的已交办案件", "case_id")
    answer = gateway.request(
        "POST", "/v1/supervision/cases/7K3P-9XTA-2MQD/reminders", scope="330482", json={"method": "letter"}
    )
    assert answer.status_code == 404 and answer.json()["field"] == "case_id"
    assert gateway.broker.calls[-1][2]["actor"]["scope"] == "330482"


def test_a_reminder_on_an_answered_case_is_a_conflict(gateway):
    gateway.broker.refusal = ServiceError(ErrorCode.INVALID_TRANSITION, "案件状态为 replied，无需催办", "status")
    answer = gateway.request("POST", "/v1/supervision/cases/7K3P-9XTA-2MQD/reminders", json={"method": "phone"})
    assert answer.status_code == 409 and answer.json()["field"] == "status"


@pytest.mark.parametrize(
    ("method", "url", "body", "field"),
    [
        ("POST", "/v1/supervision/cases/X/reminders", {"method": "email"}, "method"),
        ("POST", "/v1/supervision/cases/X/reminders", {}, "method"),
        ("POST", "/v1/supervision/cases/X/reminders", {"method": "phone", "note": "长" * 501}, "note"),
        ("POST", "/v1/supervision/cases/X/reminders", {"method": "phone", "by": "别人"}, "by"),
        ("POST", f"/v1/supervision/cases/{'X' * 21}/reminders", {"method": "phone"}, "case_id"),
        ("PUT", "/v1/supervision/ledger-settings/3304", {"show_text": True}, "division"),
        ("PUT", "/v1/supervision/ledger-settings/330481", {"show_text": "也许"}, "show_text"),
        ("GET", "/v1/supervision/overdue?division=33048", None, "division"),
        ("GET", "/v1/supervision/half-time?limit=0", None, "limit"),
        ("GET", "/v1/public/ledger", None, "division"),
        ("GET", "/v1/public/ledger?division=abc", None, "division"),
        ("GET", "/v1/public/ledger?division=330481&after=not%20a%20cursor", None, "after"),
    ],
)
def test_bad_input_is_named_in_chinese_first_before_any_call(gateway, method, url, body, field):
    answer = gateway.request(method, url, json=body)
    assert answer.status_code == 422 and answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert field in problem["field"] and problem["title"] == "请求参数不合法"
    assert gateway.broker.calls == []


def test_the_overdue_list_pages_with_a_link_and_shows_the_reminders(gateway):
    answer = gateway.request("GET", "/v1/supervision/overdue?division=330481&limit=1")
    assert answer.json() == [OVERDUE]
    assert answer.headers["link"] == '</v1/supervision/overdue?division=330481&limit=1&after=bmV4dA>; rel="next"'
    assert gateway.broker.calls[-1][2] == {"division_prefix": "330481", "limit": 1, "after": None}


def test_the_public_ledger_needs_no_key_and_names_the_township(gateway):
    gateway.app.dependency_overrides.pop(deps.current_principal)
    answer = gateway.request("GET", "/v1/public/ledger?division=330481")
    assert answer.status_code == 200
    assert answer.json() == [{**ENTRY, "township_name": "某地"}] and "330481001" in FakeDivisions.SERVED
    assert gateway.broker.calls[-1][1:] == ("public_ledger", {"division_prefix": "330481", "limit": 50, "after": None})


def test_the_public_ledger_drops_whatever_a_service_sent_beyond_its_model(gateway):
    leaked = {**ENTRY, "contact": {"name": "陈小明", "phone": "13812345678"}, "reminders": [REMINDER]}
    gateway.broker.answers[("supervision", "public_ledger")] = lambda kw: {"items": [leaked], "next": None}
    text = gateway.request("GET", "/v1/public/ledger?division=330481").text
    assert "陈小明" not in text and "13812345678" not in text and "海宁市人大督查室" not in text
