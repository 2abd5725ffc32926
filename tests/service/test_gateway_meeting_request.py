"""`POST /v1/cases/{id}/request-meeting` (约见请求): handlers' keys only (the lead unit is routing's check,
tests/service/test_meeting_request.py), bad input named in Chinese before any call, and routing's refusals
(not the lead unit, a past date, a case not signed, a case outside the key's scope) as problem+json."""

import pytest

from contracts.errors import ErrorCode, ServiceError
from contracts.vocabulary import Role
from tests.service.test_gateway_routers import CASE, Gateway

URL = "/v1/cases/7k3p-9xta-2mqd/request-meeting"
ASK = {"stage": "before", "on": "2026-11-27", "place": "交通运输局 302 会议室", "note": "听取代表意见"}
ALLOWED = {Role.HANDLER, Role.ADMIN}


@pytest.fixture
def gateway():
    gateway = Gateway()
    gateway.broker.answers[("routing", "act_on_case")] = lambda kw: {**CASE, "version": 2}
    return gateway


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
def test_only_handlers_keys_reach_routing(gateway, role):
    answer = gateway.request("POST", URL, role, json=ASK)
    if role in ALLOWED:
        assert answer.status_code == 200 and answer.json()["version"] == 2
        (call,) = gateway.broker.calls
        assert call[:2] == ("routing", "act_on_case")
        assert (call[2]["case_id"], call[2]["action"]) == ("7K3P-9XTA-2MQD", "request-meeting")
        assert call[2]["command"] == {**ASK, "expected_version": None}
        assert call[2]["actor"]["unit"] == "hn-transport"
    else:
        assert answer.status_code == 403 and answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["field"] == "role" and gateway.broker.calls == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**ASK, "stage": "someday"}, "stage"),
        ({k: v for k, v in ASK.items() if k != "stage"}, "stage"),
        ({**ASK, "on": "下周三"}, "on"),
        ({k: v for k, v in ASK.items() if k != "on"}, "on"),
        ({**ASK, "place": ""}, "place"),
        ({**ASK, "place": "会" * 101}, "place"),
        ({**ASK, "note": "注" * 501}, "note"),
        ({**ASK, "expected_version": 0}, "expected_version"),
    ],
)
def test_bad_input_names_the_field_in_chinese_and_reaches_no_service(gateway, body, field):
    answer = gateway.request("POST", URL, Role.HANDLER, json=body)
    assert answer.status_code == 422 and answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert field in problem["field"] and problem["title"] == "请求参数不合法"
    assert gateway.broker.calls == []


@pytest.mark.parametrize(
    ("code", "field", "status"),
    [
        (ErrorCode.FORBIDDEN, "unit", 403),  # a co-unit or another unit
        (ErrorCode.INVALID, "on", 422),  # the proposed date is past
        (ErrorCode.INVALID_TRANSITION, "status", 409),  # not signed, or already replied
        (ErrorCode.NOT_FOUND, "case_id", 404),  # outside the key's scope
    ],
)
def test_routings_refusals_are_problem_json_naming_the_reason(gateway, code, field, status):
    gateway.broker.refusal = ServiceError(code, "说明 (detail)", field)
    answer = gateway.request("POST", URL, Role.HANDLER, json=ASK)
    assert answer.status_code == status and answer.headers["content-type"] == "application/problem+json"
    assert (answer.json()["code"], answer.json()["field"]) == (code, field)


def test_the_openapi_document_shows_the_input_with_examples(gateway):
    schema = gateway.app.openapi()
    operation = schema["paths"]["/v1/cases/{case_id}/request-meeting"]["post"]
    assert {"403", "409", "422"} <= set(operation["responses"])
    fields = schema["components"]["schemas"]["MeetingRequestIn"]["properties"]
    assert all(fields[name].get("examples") for name in ("stage", "on", "place", "note"))
