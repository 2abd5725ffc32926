"""The suggestions routes with a fake broker: every role allowed or refused, division scopes, bad
input refused before any RPC, the caller passed on as the actor, a stale version as 409."""

import pytest

from contracts.errors import ErrorCode, ServiceError
from contracts.vocabulary import Role
from tests.service.test_gateway_routers import STAMP, Gateway

SID = "JY-7K3P-9XTA-2MQD"
OTHER = "JY-9XTA-2MQD-7K3P"
VIEW = {
    "id": SID,
    "number": 12,
    "label": "建议第12号",
    "division": "330481",
    "session": {"term": 17, "meeting": 3},
    "session_name": "第十七届人民代表大会第三次会议",
    "title": "关于加快老旧小区加装电梯的建议",
    "text": "老旧小区没有电梯，老年居民上下楼困难。",
    "lead_deputy": {"id": "deputy-zhang-wei", "name": "张伟", "division": "330481001"},
    "co_signers": [{"id": "deputy-li-hong", "name": "李红", "division": "330481001"}],
    "status": "drafted",
    "merged_into": None,
    "merged_from": [],
    "filed_at": STAMP,
    "accepted_at": None,
    "handling": None,
    "history": [{"status": "drafted", "at": STAMP, "actor": "deputy:01KEY", "comment": "领衔代表提出"}],
    "version": 1,
}
FILING = {
    "division": "330481",
    "session": {"term": 17, "meeting": 3},
    "lead_deputy": "deputy-zhang-wei",
    "co_signers": ["deputy-li-hong"],
    "title": "关于加快老旧小区加装电梯的建议",
    "text": "老旧小区没有电梯，老年居民上下楼困难。建议简化审批流程。",
}
EDIT = {key: FILING[key] for key in ("title", "text", "co_signers")}
RPCS = [
    "file_suggestion",
    "list_suggestions",
    "suggestion",
    "edit_suggestion",
    "submit_suggestion",
    "return_suggestion",
    "accept_suggestion",
    "merge_suggestions",
]


@pytest.fixture
def gateway():
    gateway = Gateway()
    for rpc in RPCS:
        gateway.broker.answers[("intake", rpc)] = lambda kw: VIEW
    gateway.broker.answers[("intake", "list_suggestions")] = lambda kw: {"items": [VIEW], "next": None}
    return gateway


DEPUTY_SIDE = {Role.DEPUTY}
REVIEWERS = {Role.SUPERVISOR}
READERS = {Role.DEPUTY, Role.SUPERVISOR}
ROUTES = [
    ("POST", "/v1/suggestions", FILING, DEPUTY_SIDE, "division"),
    ("GET", "/v1/suggestions?division=330481", None, READERS, "division"),
    ("GET", f"/v1/suggestions/{SID}", None, READERS, None),
    ("PUT", f"/v1/suggestions/{SID}", EDIT, DEPUTY_SIDE, None),
    ("POST", f"/v1/suggestions/{SID}/submit", {}, DEPUTY_SIDE, None),
    ("POST", f"/v1/suggestions/{SID}/return", {"comment": "请补充小区名单"}, REVIEWERS, None),
    ("POST", f"/v1/suggestions/{SID}/accept", {"expected_version": 2}, REVIEWERS, None),
    ("POST", f"/v1/suggestions/{SID}/merge", {"absorb": [OTHER]}, REVIEWERS, None),
]


@pytest.mark.parametrize(
    ("method", "url", "body", "roles", "scope_field"), ROUTES, ids=[f"{r[0]} {r[1]}" for r in ROUTES]
)
def test_each_role_is_allowed_or_refused_inside_and_outside_its_scope(gateway, method, url, body, roles, scope_field):
    for role in Role:
        calls_before = len(gateway.broker.calls)
        answer = gateway.request(method, url, role, json=body)
        if role in roles or role is Role.ADMIN:
            assert answer.status_code in (200, 201), (role, answer.text)
        else:
            assert answer.status_code == 403, (role, answer.text)
            assert answer.headers["content-type"] == "application/problem+json" and answer.json()["field"] == "role"
            assert len(gateway.broker.calls) == calls_before
    if (
        scope_field is None
    ):  # by id: the service answers 404 outside the key's scope (tests/service/test_intake_suggestions.py)
        return
    for role in {*roles, Role.ADMIN}:
        calls_before = len(gateway.broker.calls)
        answer = gateway.request(method, url, role, scope="330482", json=body)
        assert answer.status_code == 403 and answer.json()["field"] == scope_field, (role, answer.text)
        assert len(gateway.broker.calls) == calls_before  # refused before any RPC


def test_a_filing_is_created_with_the_caller_as_the_actor(gateway):
    answer = gateway.request("POST", "/v1/suggestions", Role.DEPUTY, json=FILING)
    assert answer.status_code == 201 and answer.json() == VIEW
    service, method, kwargs = gateway.broker.calls[-1]
    assert (service, method) == ("intake", "file_suggestion")
    assert kwargs["command"] == FILING and kwargs["actor"]["role"] == "deputy" and kwargs["actor"]["scope"] == "330481"


def test_actions_pass_the_id_in_capitals_the_body_and_the_actor(gateway):
    gateway.request("POST", f"/v1/suggestions/{SID.lower()}/merge", Role.SUPERVISOR, json={"absorb": [OTHER]})
    _, method, kwargs = gateway.broker.calls[-1]
    assert method == "merge_suggestions" and kwargs["suggestion_id"] == SID
    assert kwargs["command"] == {"absorb": [OTHER], "expected_version": None}
    assert kwargs["actor"]["role"] == "supervisor"

    gateway.request("POST", f"/v1/suggestions/{SID}/return", Role.SUPERVISOR, json={"comment": " 请补充  小区名单 "})
    assert gateway.broker.calls[-1][2]["command"] == {"comment": "请补充 小区名单", "expected_version": None}


def test_the_list_filters_by_status_and_points_to_the_next_page(gateway):
    gateway.broker.answers[("intake", "list_suggestions")] = lambda kw: {"items": [VIEW], "next": "bmV4dA"}
    answer = gateway.request("GET", "/v1/suggestions?division=330481&status=under_review&limit=1", Role.SUPERVISOR)
    assert answer.json() == [VIEW]
    assert (
        answer.headers["link"]
        == '</v1/suggestions?division=330481&status=under_review&limit=1&after=bmV4dA>; rel="next"'
    )
    assert gateway.broker.calls[-1][2] == {
        "division_prefix": "330481",
        "status": "under_review",
        "limit": 1,
        "after": None,
    }


def test_a_stale_version_is_409_with_the_current_suggestion(gateway):
    current = {**VIEW, "status": "accepted", "version": 3}
    gateway.broker.refusal = ServiceError(ErrorCode.CONFLICT, "代表建议已被他人更新", "expected_version", state=current)
    answer = gateway.request("POST", f"/v1/suggestions/{SID}/accept", Role.SUPERVISOR, json={"expected_version": 2})
    assert answer.status_code == 409 and answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["field"] == "expected_version" and answer.json()["state"] == current


@pytest.mark.parametrize(
    ("code", "status"), [(ErrorCode.NOT_FOUND, 404), (ErrorCode.INVALID, 422), (ErrorCode.INVALID_TRANSITION, 409)]
)
def test_service_refusals_are_problems_naming_the_field(gateway, code, status):
    gateway.broker.refusal = ServiceError(code, "说明 (detail)", "co_signers.0")
    answer = gateway.request("PUT", f"/v1/suggestions/{SID}", Role.DEPUTY, json=EDIT)
    assert answer.status_code == status and answer.json()["field"] == "co_signers.0"


BAD = [
    ("POST", "/v1/suggestions", {**FILING, "division": "33"}, Role.DEPUTY, "division"),
    ("POST", "/v1/suggestions", {**FILING, "title": "短"}, Role.DEPUTY, "title"),
    ("POST", "/v1/suggestions", {**FILING, "text": "长" * 10_001}, Role.DEPUTY, "text"),
    ("POST", "/v1/suggestions", {**FILING, "session": {"term": 17}}, Role.DEPUTY, "session.meeting"),
    ("POST", "/v1/suggestions", {**FILING, "session": {"term": 17, "meeting": 0}}, Role.DEPUTY, "session.meeting"),
    ("POST", "/v1/suggestions", {**FILING, "lead_deputy": "张伟"}, Role.DEPUTY, "lead_deputy"),
    ("POST", "/v1/suggestions", {**FILING, "co_signers": ["deputy-li-hong"] * 2}, Role.DEPUTY, "co_signers"),
    ("POST", "/v1/suggestions", {**FILING, "number": 1}, Role.DEPUTY, "number"),
    ("GET", "/v1/suggestions?division=330481&status=lost", None, Role.SUPERVISOR, "status"),
    ("GET", "/v1/suggestions?division=330481&limit=0", None, Role.SUPERVISOR, "limit"),
    ("GET", "/v1/suggestions/not-an-id", None, Role.SUPERVISOR, "suggestion_id"),
    ("PUT", f"/v1/suggestions/{SID}", {**EDIT, "title": ""}, Role.DEPUTY, "title"),
    ("PUT", f"/v1/suggestions/{SID}", {"title": EDIT["title"]}, Role.DEPUTY, "text"),
    ("POST", f"/v1/suggestions/{SID}/submit", {"expected_version": 0}, Role.DEPUTY, "expected_version"),
    ("POST", f"/v1/suggestions/{SID}/return", {}, Role.SUPERVISOR, "comment"),
    ("POST", f"/v1/suggestions/{SID}/return", {"comment": " "}, Role.SUPERVISOR, "comment"),
    ("POST", f"/v1/suggestions/{SID}/accept", {"expected_version": "two"}, Role.SUPERVISOR, "expected_version"),
    ("POST", f"/v1/suggestions/{SID}/merge", {"absorb": []}, Role.SUPERVISOR, "absorb"),
    ("POST", f"/v1/suggestions/{SID}/merge", {"absorb": ["x"]}, Role.SUPERVISOR, "absorb.0"),
    ("POST", f"/v1/suggestions/{SID}/merge", {"absorb": [OTHER, OTHER]}, Role.SUPERVISOR, "absorb"),
    ("POST", "/v1/suggestions/JY-1/merge", {"absorb": [OTHER]}, Role.SUPERVISOR, "suggestion_id"),
]


@pytest.mark.parametrize(("method", "url", "body", "role", "field"), BAD, ids=[f"{b[0]} {b[1]} {b[4]}" for b in BAD])
def test_bad_input_is_422_naming_the_field_in_chinese_first_and_reaches_no_service(
    gateway, method, url, body, role, field
):
    answer = gateway.request(method, url, role, json=body)
    assert answer.status_code == 422, answer.text
    problem = answer.json()
    assert answer.headers["content-type"] == "application/problem+json"
    assert problem["field"] == field and problem["title"] == "请求参数不合法"
    assert gateway.broker.calls == []


def test_a_duplicate_co_signer_is_explained_in_chinese(gateway):
    answer = gateway.request("POST", "/v1/suggestions", Role.DEPUTY, json={**FILING, "co_signers": ["a", "a"]})
    assert "不能重复" in answer.json()["errors"][0]["message"]
