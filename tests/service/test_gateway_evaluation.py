"""满意度测评's two routes: the deputy's (`POST /v1/cases/{id}/evaluation`, every role, the scope
passed on) and the citizen's (`POST /v1/public/opinions/{code}/evaluation`, no key, proof by
intake first, rate limited); bad input is named before any call."""

from types import SimpleNamespace

import pytest

from contracts.errors import ErrorCode, ServiceError
from contracts.vocabulary import Role
from gateway.rate_limit import RateLimiter
from tests.service.test_gateway_routers import Gateway

SUGGESTION = "JY-2026-0001"
VIEW = {
    "case_id": SUGGESTION,
    "round": 1,
    "evaluator_kind": "deputy",
    "rating": "unsatisfied",
    "comment": "路灯仍未修复",
    "evaluated_at": "2026-11-23T09:00:00Z",
}
DEPUTY_URL = f"/v1/cases/{SUGGESTION}/evaluation"
PUBLIC_URL = "/v1/public/opinions/7K3P-9XTA-2MQD/evaluation"
BODY = {"rating": "unsatisfied", "comment": "路灯仍未修复"}


@pytest.fixture
def gateway():
    gateway = Gateway()
    gateway.app.state.platform = SimpleNamespace(public_limiter=None)
    gateway.broker.answers[("supervision", "evaluate_case")] = lambda kw: VIEW
    gateway.broker.answers[("intake", "prove_evaluator")] = lambda kw: {"case_id": kw["tracking_code"]}
    gateway.broker.answers[("supervision", "evaluate_as_citizen")] = lambda kw: {
        **VIEW,
        "case_id": kw["case_id"],
        "evaluator_kind": "citizen",
    }
    return gateway


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_the_deputy_or_an_administrator_evaluates(gateway, role):
    answer = gateway.request("POST", DEPUTY_URL, role, json=BODY)
    if role in (Role.DEPUTY, Role.ADMIN):
        assert answer.status_code == 201 and answer.json()["rating"] == "unsatisfied"
        (call,) = gateway.broker.calls
        assert call[:2] == ("supervision", "evaluate_case")
        assert call[2]["case_id"] == SUGGESTION and call[2]["evaluation"] == BODY
        assert (call[2]["actor"]["role"], call[2]["actor"]["scope"]) == (role.value, "330481")
    else:
        assert answer.status_code == 403 and answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["field"] == "role" and gateway.broker.calls == []


def test_outside_the_deputys_scope_the_case_is_not_found(gateway):
    gateway.broker.refusal = ServiceError(ErrorCode.NOT_FOUND, "没有编号为 JY-2026-0001 的已交办案件", "case_id")
    answer = gateway.request("POST", DEPUTY_URL, Role.DEPUTY, scope="330482", json=BODY)
    assert answer.status_code == 404 and answer.json()["field"] == "case_id"
    assert gateway.broker.calls[0][2]["actor"]["scope"] == "330482"


@pytest.mark.parametrize(
    ("code", "field", "status"),
    [(ErrorCode.INVALID_TRANSITION, "status", 409), (ErrorCode.CONFLICT, "evaluation", 409)],
)
def test_supervisions_refusals_are_problems(gateway, code, field, status):
    gateway.broker.refusal = ServiceError(code, "说明 (detail)", field)
    answer = gateway.request("POST", DEPUTY_URL, Role.DEPUTY, json=BODY)
    assert answer.status_code == status and answer.json()["field"] == field


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"rating": "great"}, "rating"),
        ({}, "rating"),
        ({"rating": "satisfied", "comment": "长" * 1001}, "comment"),
    ],
)
def test_bad_deputy_input_is_named_before_any_call(gateway, body, field):
    answer = gateway.request("POST", DEPUTY_URL, Role.DEPUTY, json=body)
    assert answer.status_code == 422 and answer.headers["content-type"] == "application/problem+json"
    assert field in answer.json()["field"] and gateway.broker.calls == []


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_the_citizen_evaluates_without_a_key_after_intake_checks_the_digits(gateway, role):
    answer = gateway.request("POST", PUBLIC_URL, role, json={**BODY, "phone_last_four": "5678"})
    assert answer.status_code == 201 and answer.json()["evaluator_kind"] == "citizen"
    proof, record = gateway.broker.calls
    assert proof[:2] == ("intake", "prove_evaluator")
    assert proof[2] == {
        "tracking_code": "7K3P-9XTA-2MQD",
        "proof": {"one_time_code": None, "phone_last_four": "5678"},
        "address": "127.0.0.1",
    }
    assert record[:2] == ("supervision", "evaluate_as_citizen")
    assert record[2] == {"case_id": "7K3P-9XTA-2MQD", "evaluation": BODY}  # the digits stay in intake


def test_a_wrong_proof_records_nothing(gateway):
    gateway.broker.refusal = ServiceError(ErrorCode.FORBIDDEN, "手机号后四位不符", "phone_last_four")
    answer = gateway.request("POST", PUBLIC_URL, json={**BODY, "phone_last_four": "0000"})
    assert answer.status_code == 403 and answer.json()["field"] == "phone_last_four"
    assert [c[1] for c in gateway.broker.calls] == ["prove_evaluator"]


def test_an_item_without_a_phone_is_refused_naming_the_field(gateway):
    gateway.broker.refusal = ServiceError(
        ErrorCode.INVALID, "该事项未留手机号，无法凭手机号后四位测评", "phone_last_four"
    )
    answer = gateway.request("POST", PUBLIC_URL, json={**BODY, "phone_last_four": "5678"})
    assert answer.status_code == 422 and answer.json()["field"] == "phone_last_four"
    assert "手机号" in answer.json()["detail"]


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        (PUBLIC_URL, {"rating": "great", "phone_last_four": "5678"}, "rating"),
        (PUBLIC_URL, {"rating": "satisfied", "phone_last_four": "56a8"}, "phone_last_four"),
        (PUBLIC_URL, {"rating": "satisfied"}, "phone_last_four"),
        (
            "/v1/public/opinions/not-a-code/evaluation",
            {"rating": "satisfied", "phone_last_four": "5678"},
            "tracking_code",
        ),
    ],
)
def test_bad_public_input_is_named_before_any_call(gateway, url, body, field):
    answer = gateway.request("POST", url, json=body)
    assert answer.status_code == 422 and answer.headers["content-type"] == "application/problem+json"
    assert field in answer.json()["field"] and gateway.broker.calls == []


def test_the_citizens_route_is_rate_limited_per_address(gateway):
    gateway.app.state.platform = SimpleNamespace(public_limiter=RateLimiter(1, 60))
    first = gateway.request("POST", PUBLIC_URL, json={**BODY, "phone_last_four": "5678"})
    second = gateway.request("POST", PUBLIC_URL, json={**BODY, "phone_last_four": "5678"})
    assert first.status_code == 201 and second.status_code == 429 and "retry-after" in second.headers
    assert len(gateway.broker.calls) == 2  # the refused one made no call
