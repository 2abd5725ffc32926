"""`POST /v1/cases/{id}/{action}`: the role matrix of every action, bad input named before any
call, and routing's refusals (not the unit, a forbidden move, a lost race) as problem+json."""

import pytest

from contracts.errors import ErrorCode, ServiceError
from contracts.vocabulary import Role
from tests.service.test_gateway_routers import CASE, Gateway

HANDLER, STATION, SUPERVISOR = {Role.HANDLER}, {Role.STATION}, {Role.SUPERVISOR}
CONSULT = {
    "units": ["hn-transport", "hn-housing"],
    "question": "拟交由贵单位办理，是否同意？",
    "reply_by": "2026-11-27",
}
MEETING = {"stage": "before", "on": "2026-11-24", "form": "座谈", "participants": ["王科长"], "met": "deputy"}
JOINT = {
    "on": "2026-11-25",
    "place": "联络站议事厅",
    "units": ["hn-housing", "hn-enforcement"],
    "decisions": "住建局牵头",
}
ACTIONS = [
    ("reply", {"text": "已修复顶棚", "result_class": "A"}, HANDLER),
    ("return", {"reason": "不属于本单位职责"}, HANDLER),
    ("co-opinion", {"text": "同意"}, HANDLER),
    ("record-progress", {"note": "已现场查看"}, HANDLER),
    ("record-meeting", MEETING, HANDLER),
    ("request-extension", {"reason": "等待批复", "working_days": 5}, HANDLER),
    ("decide-extension", {"approve": True}, SUPERVISOR),
    ("pause", {"reason": "waiting_for_citizen"}, HANDLER | STATION),
    ("resume", {}, HANDLER | STATION),
    ("assign", {"lead_unit": "hn-housing"}, STATION),
    ("answer-on-the-spot", {"text": "当场答复"}, STATION),
    ("escalate", {"reason": "涉及多个镇街"}, HANDLER | STATION),
    ("close", {"reason": "办结"}, STATION | SUPERVISOR),
    ("consult", CONSULT, STATION),
    ("consultation-answer", {"agree": False, "reason": "非本单位职责"}, HANDLER),
    ("merge", {"primary": "7K3P-9XTA-2MQX"}, STATION),
    ("joint-meeting", JOINT, STATION),
]
MATRIX = [(action, body, role, role in roles or role is Role.ADMIN) for action, body, roles in ACTIONS for role in Role]


@pytest.fixture
def gateway():
    gateway = Gateway()
    gateway.broker.answers[("routing", "act_on_case")] = lambda kw: {**CASE, "version": 2}
    return gateway


@pytest.mark.parametrize(("action", "body", "role", "allowed"), MATRIX, ids=[f"{a}-{r.value}" for a, _, r, _ in MATRIX])
def test_each_action_is_open_to_its_roles_only(gateway, action, body, role, allowed):
    answer = gateway.request("POST", f"/v1/cases/7k3p-9xta-2mqd/{action}", role, json=body)
    if allowed:
        assert answer.status_code == 200 and answer.json()["version"] == 2
        (call,) = gateway.broker.calls
        assert call[:2] == ("routing", "act_on_case")
        assert (call[2]["case_id"], call[2]["action"]) == ("7K3P-9XTA-2MQD", action)
        assert call[2]["actor"]["role"] == role.value and call[2]["actor"]["unit"] == "hn-transport"
        assert all(call[2]["command"][k] == v for k, v in body.items())
    else:
        assert answer.status_code == 403 and answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["field"] == "role" and gateway.broker.calls == []


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("reply", {"result_class": "A"}, "text"),
        ("reply", {"text": "", "result_class": "A"}, "text"),
        ("reply", {"text": "答复", "result_class": "A", "promised": [{"item": "改造", "by": "明年"}]}, "promised"),
        ("return", {}, "reason"),
        ("pause", {}, "reason"),
        ("pause", {"reason": "午休"}, "reason"),
        ("record-meeting", {**MEETING, "stage": "someday"}, "stage"),
        ("record-meeting", {**MEETING, "participants": []}, "participants"),
        ("request-extension", {"reason": "r", "working_days": 0}, "working_days"),
        ("decide-extension", {}, "approve"),
        ("assign", {"lead_unit": ""}, "lead_unit"),
        ("close", {"expected_version": 0}, "expected_version"),
        ("consult", {**CONSULT, "units": []}, "units"),
        ("consult", {**CONSULT, "units": [""]}, "units"),
        ("consult", {**CONSULT, "question": ""}, "question"),
        ("consult", {**CONSULT, "reply_by": "下周五"}, "reply_by"),
        ("consultation-answer", {"reason": "同意"}, "agree"),
        ("consultation-answer", {"agree": True, "reason": ""}, "reason"),
        ("merge", {}, "primary"),
        ("joint-meeting", {**JOINT, "units": ["hn-housing"]}, "units"),
        ("joint-meeting", {**JOINT, "decisions": ""}, "decisions"),
        ("merge", {"primary": ""}, "primary"),
        ("merge", {"primary": "X" * 21}, "primary"),
    ],
)
def test_bad_input_names_the_field_in_chinese_and_reaches_no_service(gateway, action, body, field):
    role = {
        "decide-extension": Role.SUPERVISOR,
        "assign": Role.STATION,
        "close": Role.STATION,
        "consult": Role.STATION,
        "merge": Role.STATION,
        "joint-meeting": Role.STATION,
    }.get(action, Role.HANDLER)
    answer = gateway.request("POST", f"/v1/cases/7K3P-9XTA-2MQD/{action}", role, json=body)
    assert answer.status_code == 422 and answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert field in problem["field"] and problem["title"] == "请求参数不合法"
    assert gateway.broker.calls == []


@pytest.mark.parametrize(
    ("code", "field", "status"),
    [
        (ErrorCode.FORBIDDEN, "unit", 403),  # not the lead unit
        (ErrorCode.INVALID_TRANSITION, "status", 409),
        (ErrorCode.INVALID, "result_class", 422),
        (ErrorCode.INVALID, "lead_unit", 422),  # a unit from another division
        (ErrorCode.NOT_FOUND, "case_id", 404),  # outside the key's scope
    ],
)
def test_routings_refusals_are_problem_json_naming_the_reason(gateway, code, field, status):
    gateway.broker.refusal = ServiceError(code, "说明 (detail)", field)
    answer = gateway.request(
        "POST", "/v1/cases/7K3P-9XTA-2MQD/reply", Role.HANDLER, json={"text": "t", "result_class": "A"}
    )
    assert answer.status_code == status and (answer.json()["code"], answer.json()["field"]) == (code, field)


def test_the_loser_of_two_replies_gets_409_with_the_winners_state(gateway):
    winner = {**CASE, "status": "replied", "version": 3}
    bodies = iter([{**CASE, "status": "replied", "version": 3}])

    def first_wins_then_conflict(kw):
        try:
            return next(bodies)
        except StopIteration:
            raise ServiceError(ErrorCode.CONFLICT, "案件已被他人更新", "expected_version", state=winner) from None

    gateway.broker.answers[("routing", "act_on_case")] = first_wins_then_conflict
    body = {"text": "答复", "result_class": "A", "expected_version": 2}
    first = gateway.request("POST", "/v1/cases/7K3P-9XTA-2MQD/reply", Role.HANDLER, json=body)
    second = gateway.request("POST", "/v1/cases/7K3P-9XTA-2MQD/reply", Role.HANDLER, json=body)
    assert first.status_code == 200 and first.json()["status"] == "replied"
    assert second.status_code == 409 and second.headers["content-type"] == "application/problem+json"
    assert second.json()["code"] == "conflict" and second.json()["state"] == winner


def test_every_action_is_documented_with_its_problems():
    paths = Gateway().app.openapi()["paths"]
    for action, _, _ in ACTIONS:
        operation = paths[f"/v1/cases/{{case_id}}/{action}"]["post"]
        assert operation["description"] and {"403", "404", "409", "422"} <= set(operation["responses"])


SCHEME = {"classes": [{"code": "A", "label": "已解决或正在解决", "completed": True, "resolved": True}]}


@pytest.mark.parametrize("role", list(Role))
def test_the_result_scheme_is_read_by_case_readers_and_set_by_administrators(gateway, role):
    gateway.broker.answers[("routing", "result_scheme")] = lambda kw: {**SCHEME, "division": kw["division"]}
    gateway.broker.answers[("routing", "set_result_scheme")] = lambda kw: {**kw["scheme"], "division": kw["division"]}
    read = gateway.request("GET", "/v1/result-schemes/330481001", role)
    readers = {Role.STATION, Role.INFO_OFFICER, Role.SUPERVISOR, Role.DEPUTY, Role.HANDLER, Role.COUNTY_SYSTEM}
    assert read.status_code == (200 if role in readers | {Role.ADMIN} else 403)
    written = gateway.request("PUT", "/v1/admin/result-schemes/330481", role, json=SCHEME)
    if role is Role.ADMIN:
        assert written.status_code == 200 and written.json()["division"] == "330481"
        assert gateway.broker.calls[-1][:2] == ("routing", "set_result_scheme")
    else:
        assert written.status_code == 403 and written.json()["field"] == "role"


def test_a_scheme_outside_the_admins_scope_or_badly_formed_reaches_no_service(gateway):
    outside = gateway.request("PUT", "/v1/admin/result-schemes/330482", Role.ADMIN, json=SCHEME)
    assert outside.status_code == 403 and outside.json()["field"] == "division"
    empty = gateway.request("PUT", "/v1/admin/result-schemes/330481", Role.ADMIN, json={"classes": []})
    assert empty.status_code == 422 and empty.json()["field"] == "classes"
    repeated = {"classes": [SCHEME["classes"][0], {**SCHEME["classes"][0], "code": "a"}]}
    twice = gateway.request("PUT", "/v1/admin/result-schemes/330481", Role.ADMIN, json=repeated)
    assert twice.status_code == 422 and twice.json()["field"] == "classes"
    bad_code = gateway.request("GET", "/v1/result-schemes/33", Role.STATION)
    assert bad_code.status_code == 422 and bad_code.json()["field"] == "division"
    assert gateway.broker.calls == []


@pytest.mark.parametrize(
    ("code", "field", "status"),
    [(ErrorCode.FORBIDDEN, "unit", 403), (ErrorCode.INVALID_TRANSITION, "status", 409)],  # not asked; assigned
)
def test_a_consultation_answer_routing_refuses_is_problem_json(gateway, code, field, status):
    gateway.broker.refusal = ServiceError(code, "说明 (detail)", field)
    body = {"agree": True, "reason": "同意"}
    answer = gateway.request("POST", "/v1/cases/7K3P-9XTA-2MQD/consultation-answer", Role.HANDLER, json=body)
    assert answer.status_code == status and answer.headers["content-type"] == "application/problem+json"
    assert (answer.json()["code"], answer.json()["field"]) == (code, field)
