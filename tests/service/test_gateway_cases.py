"""`GET /v1/cases` (with its filters) and `GET /v1/cases/{id}`: who may call them, what reaches routing,
and bad input refused before any RPC, with a fake broker."""

import pytest

from contracts.errors import ErrorCode, ServiceError
from contracts.vocabulary import Role
from tests.service.test_gateway_routers import CASE, READERS, Gateway

ROUTES = [
    ("/v1/cases?division=330481&status=assigned&status=accepted&text=电梯", "find_cases"),
    ("/v1/cases/7K3P-9XTA-2MQD", "case_detail"),
]


@pytest.fixture
def gateway():
    return Gateway()


@pytest.mark.parametrize(("url", "rpc"), ROUTES)
def test_every_reader_role_is_allowed_and_the_others_refused_before_any_rpc(gateway, url, rpc):
    for role in Role:
        calls_before = len(gateway.broker.calls)
        answer = gateway.request("GET", url, role)
        if role in READERS or role is Role.ADMIN:
            assert answer.status_code == 200, (role, answer.text)
            assert gateway.broker.calls[-1][1] == rpc
        else:
            assert answer.status_code == 403 and answer.json()["field"] == "role", (role, answer.text)
            assert answer.headers["content-type"] == "application/problem+json"
            assert len(gateway.broker.calls) == calls_before


def test_a_division_outside_the_scope_is_refused_before_any_rpc(gateway):
    for role in {*READERS, Role.ADMIN}:
        answer = gateway.request("GET", "/v1/cases?division=330481&category=道路交通", role, scope="330482")
        assert answer.status_code == 403 and answer.json()["field"] == "division", (role, answer.text)
    assert gateway.broker.calls == []


def test_the_filters_and_the_caller_reach_routing(gateway):
    url = (
        "/v1/cases?division=330481001&unit=hn-housing&status=assigned&status=accepted&category=加装电梯"
        "&channel=hotline&due_from=2026-12-01&due_to=2026-12-31&overdue=true&extension=pending&text=电梯&limit=20"
    )
    answer = gateway.request("GET", url, Role.HANDLER)
    assert answer.status_code == 200 and [case["case_id"] for case in answer.json()] == [CASE["case_id"]]
    _, method, kwargs = gateway.broker.calls[-1]
    assert method == "find_cases"
    assert kwargs["query"] == {
        "division": "330481001",
        "unit": "hn-housing",
        "status": ["assigned", "accepted"],
        "category": "加装电梯",
        "channel": "hotline",
        "due_from": "2026-12-01",
        "due_to": "2026-12-31",
        "overdue": True,
        "extension": "pending",
        "text": "电梯",
        "limit": 20,
        "after": None,
    }
    assert kwargs["actor"]["role"] == "handler" and kwargs["actor"]["unit"] == "hn-transport"


def test_without_a_division_the_keys_scope_is_asked_for(gateway):
    gateway.request("GET", "/v1/cases", Role.STATION, scope="330481001")
    assert gateway.broker.calls[-1][2]["query"]["division"] == "330481001"


def test_the_bootstrap_administrator_asks_for_every_division(gateway):
    assert gateway.request("GET", "/v1/cases?text=电梯", Role.ADMIN, scope="").status_code == 200
    assert gateway.broker.calls[-1][2]["query"]["division"] is None


def test_the_next_page_keeps_the_filters(gateway):
    answer = gateway.request("GET", "/v1/cases?status=assigned&status=accepted&text=电梯&limit=1&after=b2xk")
    assert answer.headers["link"] == (
        '</v1/cases?status=assigned&status=accepted&text=%E7%94%B5%E6%A2%AF&limit=1&after=bmV4dA>; rel="next"'
    )


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=bogus", "status"),
        ("channel=fax", "channel"),
        ("due_from=2026-12-31&due_to=2026-12-01", "due_to"),
        ("due_to=next-week", "due_to"),
        ("overdue=maybe", "overdue"),
        ("extension=approved", "extension"),
        ("text=" + "长" * 51, "text"),
        ("unit=Not%20A%20Unit", "unit"),
        ("category=" + "类" * 21, "category"),
        ("division=33048", "division"),
        ("limit=501", "limit"),
        ("after=not%20a%20cursor", "after"),
    ],
)
def test_an_invalid_filter_is_422_naming_it_and_reaches_no_service(gateway, query, field):
    answer = gateway.request("GET", f"/v1/cases?{query}")
    problem = answer.json()
    assert answer.status_code == 422 and answer.headers["content-type"] == "application/problem+json"
    assert problem["field"].split(".")[0] == field and problem["title"] == "请求参数不合法", problem
    assert gateway.broker.calls == []


def test_the_whole_case_is_asked_for_with_the_caller(gateway):
    answer = gateway.request("GET", "/v1/cases/7k3p-9xta-2mqd", Role.HANDLER)
    assert answer.status_code == 200 and answer.json()["content"] == "文苑路公交站台的顶棚坏了"
    assert answer.json()["case_id"] == CASE["case_id"] and answer.json()["history"] == CASE["history"]
    _, method, kwargs = gateway.broker.calls[-1]
    assert (
        method == "case_detail" and kwargs["case_id"] == "7K3P-9XTA-2MQD" and kwargs["actor"]["unit"] == "hn-transport"
    )


def test_a_case_the_caller_may_not_see_is_404_never_403(gateway):
    gateway.broker.refusal = ServiceError(ErrorCode.NOT_FOUND, "没有编号为 X 的案件 (no such case)", "case_id")
    answer = gateway.request("GET", "/v1/cases/7K3P-9XTA-2MQD", Role.HANDLER)
    assert answer.status_code == 404 and answer.json()["field"] == "case_id"
    assert gateway.request("GET", "/v1/cases/" + "X" * 21).status_code == 422
