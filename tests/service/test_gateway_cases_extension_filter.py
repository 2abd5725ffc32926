"""`GET /v1/cases?extension=pending` (the cases whose extension request awaits a decision): each role
allowed or refused as for any listing, inside and outside its division scope, with a fake broker."""

import pytest

from contracts.vocabulary import Role
from tests.service.test_gateway_routers import READERS, Gateway

URL = "/v1/cases?division=330481001&extension=pending"


@pytest.fixture
def gateway():
    return Gateway()


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
def test_each_role_inside_its_scope_is_allowed_or_refused_before_any_rpc(gateway, role):
    answer = gateway.request("GET", URL, role, scope="330481")
    if role in READERS or role is Role.ADMIN:
        assert answer.status_code == 200, (role, answer.text)
        _, method, kwargs = gateway.broker.calls[-1]
        assert method == "find_cases" and kwargs["query"]["extension"] == "pending"
        assert kwargs["query"]["division"] == "330481001" and kwargs["actor"]["role"] == role.value
    else:
        assert answer.status_code == 403 and answer.json()["field"] == "role", (role, answer.text)
        assert gateway.broker.calls == []


@pytest.mark.parametrize("role", sorted(READERS | {Role.ADMIN}), ids=lambda role: role.value)
def test_each_allowed_role_outside_its_scope_is_refused_naming_the_division(gateway, role):
    answer = gateway.request("GET", URL, role, scope="330482")
    assert answer.status_code == 403 and answer.json()["field"] == "division", (role, answer.text)
    assert answer.headers["content-type"] == "application/problem+json"
    assert gateway.broker.calls == []


def test_an_unknown_extension_state_is_422_naming_the_parameter_in_chinese_first(gateway):
    answer = gateway.request("GET", "/v1/cases?extension=approved")
    problem = answer.json()
    assert answer.status_code == 422 and problem["field"] == "extension" and problem["title"] == "请求参数不合法"
    assert gateway.broker.calls == []


def test_the_parameter_is_documented_in_openapi(gateway):
    parameters = gateway.app.openapi()["paths"]["/v1/cases"]["get"]["parameters"]
    extension = next(parameter for parameter in parameters if parameter["name"] == "extension")
    assert extension["in"] == "query" and extension["schema"]["anyOf"][0]["const"] == "pending"
    assert extension["description"].startswith("pending：有待督办审批的延期申请")
