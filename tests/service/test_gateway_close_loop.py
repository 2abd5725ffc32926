"""The close-the-loop routes on their own: every role allowed or refused, inside and outside its
division scope, bad input named before any call, the services' refusals as problem+json."""

from types import SimpleNamespace

import pytest

from contracts.errors import ErrorCode, ServiceError
from contracts.vocabulary import Role
from tests.service.test_gateway_routers import Gateway

CASE = "7K3P-9XTA-2MQD"
REVIEW = f"{CASE}.20261123020000000000.p1"
STAMP = "2026-11-23T02:00:00Z"
KEY_ITEM = {
    "case_id": CASE,
    "division": "330481001",
    "lead_unit": {"id": "hn-transport", "name": "海宁市交通运输局"},
    "marked": True,
    "level": "leader_led",
    "source": "supervisor",
    "lead_supervisor": "常委会副主任 王建国",
    "committees": ["代表工委"],
    "reason": "群众反映强烈",
    "marked_by": "supervisor:01KEY",
    "marked_on": "2026-11-23",
    "records": [],
}
REVIEW_VIEW = {
    "review_id": REVIEW,
    "case_id": CASE,
    "division": "330481001",
    "kind": "promised",
    "replied_at": STAMP,
    "unit": {"id": "hn-transport", "name": "海宁市交通运输局"},
    "result_class": "B",
    "item": "完成站台改造",
    "promised_by": "2027-03-31",
    "due_on": "2027-03-31",
    "state": "scheduled",
}
STATE = {"case_id": CASE, "division": "330481001", "rehandled": 1, "rehandle_limit": 2, "rounds": []}
MARK = {
    "level": "leader_led",
    "lead_supervisor": "常委会副主任 王建国",
    "committees": ["代表工委"],
    "reason": "群众反映强烈",
}
VISIT = {"kind": "site_visit", "on": "2026-11-20", "text": "实地查看站台照明"}
OUTCOME = {"outcome": "fell_short", "visited_on": "2026-11-20", "finding": "仅一侧", "rectification": "限期整改"}
PAGE = {"items": [], "next": None}
SUPERVISORS = {Role.SUPERVISOR}
READERS = {Role.STATION, Role.INFO_OFFICER, Role.SUPERVISOR, Role.DEPUTY, Role.HANDLER, Role.COUNTY_SYSTEM}

ROUTES = [
    ("POST", f"/v1/supervision/key-items/{CASE}/mark", MARK, SUPERVISORS, "mark_key_item"),
    ("POST", f"/v1/supervision/key-items/{CASE}/unmark", {"reason": "销号"}, SUPERVISORS, "unmark_key_item"),
    ("POST", f"/v1/supervision/key-items/{CASE}/records", VISIT, SUPERVISORS, "record_key_item"),
    ("GET", f"/v1/supervision/key-items/{CASE}", None, SUPERVISORS, "key_item"),
    ("GET", "/v1/supervision/key-items?division=330481&period=2026-Q4", None, SUPERVISORS, "key_items"),
    ("GET", f"/v1/supervision/evaluations/{CASE}", None, READERS, "evaluation_state"),
    ("GET", "/v1/supervision/reviews?division=330481&state=due", None, SUPERVISORS, "reviews"),
    ("POST", f"/v1/supervision/reviews/{REVIEW}/outcome", OUTCOME, SUPERVISORS, "record_review"),
    ("GET", "/v1/supervision/promises?division=330481", None, SUPERVISORS, "reviews"),
]


@pytest.fixture
def gateway():
    gateway = Gateway()
    gateway.app.state.platform = SimpleNamespace(public_limiter=None)
    answers = {
        "mark_key_item": lambda kw: KEY_ITEM,
        "unmark_key_item": lambda kw: {**KEY_ITEM, "marked": False, "unmarked_on": "2026-12-01"},
        "record_key_item": lambda kw: {**KEY_ITEM, "records": [{**VISIT, "participants": [], "by": "s", "at": STAMP}]},
        "key_item": lambda kw: KEY_ITEM,
        "key_items": lambda kw: {"items": [KEY_ITEM], "next": None},
        "evaluation_state": lambda kw: STATE,
        "reviews": lambda kw: {"items": [REVIEW_VIEW], "next": None},
        "record_review": lambda kw: {**REVIEW_VIEW, "state": "fell_short"},
    }
    for method, answer in answers.items():
        gateway.broker.answers[("supervision", method)] = answer
    gateway.broker.answers[("intake", "issue_evaluation_code")] = lambda kw: {
        "tracking_code": kw["tracking_code"],
        "expires_at": "2026-11-23T02:10:00Z",
        "sent_to": "138****5678",
    }
    gateway.broker.answers[("intake", "prove_evaluator")] = lambda kw: {"case_id": kw["tracking_code"]}
    gateway.broker.answers[("supervision", "evaluate_as_citizen")] = lambda kw: {
        "case_id": kw["case_id"],
        "round": 1,
        "evaluator_kind": "citizen",
        "rating": "satisfied",
        "evaluated_at": STAMP,
    }
    return gateway


@pytest.mark.parametrize(("method", "url", "body", "roles", "rpc"), ROUTES, ids=[f"{r[0]} {r[1]}" for r in ROUTES])
def test_each_role_is_allowed_or_refused(gateway, method, url, body, roles, rpc):
    for role in Role:
        before = len(gateway.broker.calls)
        answer = gateway.request(method, url, role, json=body)
        if role in roles or role is Role.ADMIN:
            assert answer.status_code == 200, (role, answer.text)
            assert gateway.broker.calls[-1][:2] == ("supervision", rpc)
        else:
            assert answer.status_code == 403 and answer.json()["field"] == "role", (role, answer.text)
            assert answer.headers["content-type"] == "application/problem+json"
            assert len(gateway.broker.calls) == before  # refused before any call


@pytest.mark.parametrize("url", [r[1] for r in ROUTES if "division=" in r[1]])
def test_a_list_outside_the_keys_scope_is_refused_before_any_call(gateway, url):
    answer = gateway.request("GET", url, Role.SUPERVISOR, scope="330482")
    assert answer.status_code == 403 and answer.json()["field"] == "division" and gateway.broker.calls == []


def test_the_principal_and_its_scope_reach_supervision_which_decides_about_the_case(gateway):
    gateway.broker.refusal = ServiceError(ErrorCode.NOT_FOUND, f"没有编号为 {CASE} 的已交办案件", "case_id")
    answer = gateway.request(
        "POST", f"/v1/supervision/key-items/{CASE.lower()}/mark", Role.SUPERVISOR, "330482", json=MARK
    )
    assert answer.status_code == 404 and answer.json()["field"] == "case_id"
    assert answer.headers["content-type"] == "application/problem+json"
    (call,) = gateway.broker.calls
    assert call[2]["case_id"] == CASE and call[2]["actor"]["scope"] == "330482" and call[2]["mark"] == MARK


def test_the_lists_pass_the_period_state_and_kind(gateway):
    gateway.request("GET", "/v1/supervision/key-items?period=2026-11", Role.SUPERVISOR)
    gateway.request("GET", "/v1/supervision/promises", Role.SUPERVISOR)
    gateway.request("GET", "/v1/supervision/reviews?state=due", Role.SUPERVISOR)
    key_items, promises, due = (call[2] for call in gateway.broker.calls)
    assert (key_items["division_prefix"], key_items["period"]) == ("330481", "2026-11")
    assert (promises["kind"], promises["state"]) == ("promised", None)
    assert (due["kind"], due["state"]) == (None, "due")


@pytest.mark.parametrize(
    ("code", "field", "status"),
    [
        (ErrorCode.CONFLICT, "case_id", 409),
        (ErrorCode.INVALID_TRANSITION, "case_id", 409),
        (ErrorCode.NOT_FOUND, "review_id", 404),
        (ErrorCode.INVALID, "visited_on", 422),
    ],
)
def test_supervisions_refusals_are_problems(gateway, code, field, status):
    gateway.broker.refusal = ServiceError(code, "说明 (detail)", field)
    answer = gateway.request("POST", f"/v1/supervision/reviews/{REVIEW}/outcome", Role.SUPERVISOR, json=OUTCOME)
    assert answer.status_code == status and answer.json()["field"] == field
    assert answer.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("method", "url", "body", "field"),
    [
        ("POST", f"/v1/supervision/key-items/{CASE}/mark", {**MARK, "lead_supervisor": ""}, "lead_supervisor"),
        ("POST", f"/v1/supervision/key-items/{CASE}/mark", {**MARK, "level": "huge"}, "level"),
        ("POST", f"/v1/supervision/key-items/{CASE}/mark", {**MARK, "extra": 1}, "extra"),
        ("POST", f"/v1/supervision/key-items/{CASE}/records", {**VISIT, "kind": "lunch"}, "kind"),
        ("POST", f"/v1/supervision/key-items/{CASE}/records", {**VISIT, "on": "昨天"}, "on"),
        ("POST", f"/v1/supervision/key-items/{CASE}/unmark", {}, "reason"),
        ("GET", "/v1/supervision/key-items?period=2026-Q5", None, "period"),
        ("GET", "/v1/supervision/key-items", None, "period"),
        ("GET", "/v1/supervision/reviews?state=sometime", None, "state"),
        ("POST", f"/v1/supervision/reviews/{REVIEW}/outcome", {**OUTCOME, "rectification": None}, "body"),
        ("POST", f"/v1/supervision/reviews/{REVIEW}/outcome", {**OUTCOME, "outcome": "maybe"}, "outcome"),
        ("POST", "/v1/supervision/reviews/bad%20id/outcome", OUTCOME, "review_id"),
    ],
)
def test_bad_input_is_named_before_any_call(gateway, method, url, body, field):
    answer = gateway.request(method, url, Role.SUPERVISOR, json=body)
    assert answer.status_code == 422 and answer.headers["content-type"] == "application/problem+json", answer.text
    assert field in (answer.json()["field"] or "body") and gateway.broker.calls == []
    assert answer.json()["title"]  # a Chinese title first


CODE_URL = f"/v1/public/opinions/{CASE}/evaluation-code"
EVALUATION_URL = f"/v1/public/opinions/{CASE}/evaluation"


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_anyone_with_the_tracking_code_may_ask_for_a_code_which_is_never_answered(gateway, role):
    answer = gateway.request("POST", CODE_URL, role)
    assert answer.status_code == 202 and answer.json()["sent_to"] == "138****5678"
    assert "code" not in answer.json()
    assert gateway.broker.calls == [("intake", "issue_evaluation_code", {"tracking_code": CASE})]


@pytest.mark.parametrize(
    ("code", "field", "status"),
    [(ErrorCode.INVALID_TRANSITION, "status", 409), (ErrorCode.CONFLICT, "tracking_code", 409)],
)
def test_a_code_for_an_item_not_replied_or_asked_again_at_once_is_refused(gateway, code, field, status):
    gateway.broker.refusal = ServiceError(code, "该事项尚未答复", field)
    answer = gateway.request("POST", CODE_URL)
    assert answer.status_code == status and answer.json()["field"] == field


def test_a_malformed_tracking_code_gets_no_code(gateway):
    answer = gateway.request("POST", "/v1/public/opinions/not-a-code/evaluation-code")
    assert answer.status_code == 422 and answer.json()["field"] == "tracking_code" and gateway.broker.calls == []


def test_the_citizen_evaluates_with_the_code_and_the_address_goes_to_intake(gateway):
    answer = gateway.request("POST", EVALUATION_URL, json={"rating": "satisfied", "one_time_code": "402913"})
    assert answer.status_code == 201
    proof, record = gateway.broker.calls
    assert proof == (
        "intake",
        "prove_evaluator",
        {"tracking_code": CASE, "proof": {"one_time_code": "402913", "phone_last_four": None}, "address": "127.0.0.1"},
    )
    assert record[2] == {"case_id": CASE, "evaluation": {"rating": "satisfied", "comment": None}}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"rating": "satisfied", "one_time_code": "4029"}, "one_time_code"),
        ({"rating": "satisfied", "one_time_code": "402913", "phone_last_four": "5678"}, "phone_last_four"),
    ],
)
def test_a_bad_or_double_proof_is_named_before_any_call(gateway, body, field):
    answer = gateway.request("POST", EVALUATION_URL, json=body)
    assert answer.status_code == 422 and answer.json()["field"] == field and gateway.broker.calls == []


def test_a_wrong_or_expired_code_records_nothing(gateway):
    gateway.broker.refusal = ServiceError(ErrorCode.FORBIDDEN, "验证码错误或已过期", "one_time_code")
    answer = gateway.request("POST", EVALUATION_URL, json={"rating": "satisfied", "one_time_code": "000000"})
    assert answer.status_code == 403 and answer.json()["field"] == "one_time_code"
    assert [c[1] for c in gateway.broker.calls] == ["prove_evaluator"]
