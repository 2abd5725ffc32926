"""The template and webhook subscription routes on their own: roles and scopes, answers, bad input named
in problem+json and never reaching notify; the fake broker of the router tests behind the clients."""

import pytest

from contracts.errors import ErrorCode, ServiceError
from contracts.vocabulary import Role
from tests.service.test_gateway_routers import Gateway

STAMP = "2026-11-23T02:00:00Z"
TEMPLATE = {
    "subject": "新交办事项",
    "text": "事项 {case_number} 已交由 {lead_unit_name} 主办，答复期限 {due_date}。",
    "template_code": None,
    "event_type": "case.assigned",
    "channel": "in_app",
    "division": "330481",
    "source": "default",
    "variables": [{"name": "case_number", "description": "事项编号", "personal": False}],
}
PREVIEW = {
    "subject": "新交办事项",
    "text": "事项 330481-2026-000123 已交由 海宁市交通运输局 主办",
    "template_code": None,
}
SUBSCRIPTION = {
    "id": "01JDQ8M5V6X4T2R9K7W3B1N0PZ",
    "url": "https://county.example.gov.cn/hooks/minqing",
    "event_types": ["case.assigned"],
    "division": "330481",
    "status": "active",
    "owner": "county_system:01KEY",
    "created_at": STAMP,
    "verified_at": STAMP,
}
NEW_SUBSCRIPTION = {
    "url": "https://county.example.gov.cn/hooks/minqing",
    "event_types": ["case.assigned", "case.replied"],
    "secret": "whsec_6f1c3a0d2e94f5b8a7c6d5e4",
    "division": "330481",
}


@pytest.fixture
def gateway():
    gateway = Gateway()
    gateway.broker.answers.update(
        {
            ("notify", "notify_templates"): lambda kw: [TEMPLATE],
            ("notify", "notify_template"): lambda kw: TEMPLATE,
            ("notify", "save_notify_template"): lambda kw: TEMPLATE | kw["template"] | {"source": kw["division"]},
            ("notify", "reset_notify_template"): lambda kw: TEMPLATE,
            ("notify", "preview_notify_template"): lambda kw: PREVIEW,
            ("notify", "webhook_subscriptions"): lambda kw: [SUBSCRIPTION],
            ("notify", "create_webhook_subscription"): lambda kw: SUBSCRIPTION | {"status": "unverified"},
            ("notify", "verify_webhook_subscription"): lambda kw: SUBSCRIPTION,
            ("notify", "delete_webhook_subscription"): lambda kw: None,
        }
    )
    return gateway


PREVIEW_IN = {"division": "330481", "event_type": "case.assigned", "channel": "sms"}
SUB = "/v1/webhook-subscriptions"
ROUTES = [
    ("GET", "/v1/notify/templates?division=330481", None, set(), "division"),
    ("GET", "/v1/notify/templates/case.assigned/in_app?division=330481", None, set(), "division"),
    ("PUT", "/v1/notify/templates/case.assigned/in_app?division=330481", {"text": "x"}, set(), "division"),
    ("DELETE", "/v1/notify/templates/case.assigned/in_app?division=330481", None, set(), "division"),
    ("POST", "/v1/notify/templates/preview", PREVIEW_IN, set(), "division"),
    ("GET", f"{SUB}?division=330481", None, {Role.COUNTY_SYSTEM}, "division"),
    ("POST", SUB, NEW_SUBSCRIPTION, {Role.COUNTY_SYSTEM}, "division"),
    ("POST", f"{SUB}/01JDQ8M5V6X4T2R9K7W3B1N0PZ/verify", None, {Role.COUNTY_SYSTEM}, None),
    ("DELETE", f"{SUB}/01JDQ8M5V6X4T2R9K7W3B1N0PZ", None, {Role.COUNTY_SYSTEM}, None),
]


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
        assert len(gateway.broker.calls) == calls_before  # refused before anything was asked or changed


def test_the_caller_and_the_division_reach_notify(gateway):
    answer = gateway.request(
        "PUT", "/v1/notify/templates/case.assigned/sms?division=330481001", Role.ADMIN,
        json={"text": "事项 {case_number}", "template_code": "2001234"},
    )  # fmt: skip
    created = gateway.request("POST", SUB, Role.COUNTY_SYSTEM, json=NEW_SUBSCRIPTION)

    assert answer.status_code == 200 and answer.json()["source"] == "330481001"
    assert created.status_code == 201 and "secret" not in created.json()
    (_, save, saved), (_, create, sent) = gateway.broker.calls
    assert save == "save_notify_template" and (saved["division"], saved["channel"]) == ("330481001", "sms")
    assert saved["actor"]["role"] == "admin"
    assert create == "create_webhook_subscription" and sent["subscription"]["secret"] == NEW_SUBSCRIPTION["secret"]
    assert sent["actor"]["role"] == "county_system"


def test_a_delete_answers_no_content(gateway):
    answer = gateway.request("DELETE", f"{SUB}/01JDQ8M5V6X4T2R9K7W3B1N0PZ", Role.COUNTY_SYSTEM)
    assert answer.status_code == 204 and answer.content == b""


@pytest.mark.parametrize(
    ("method", "url", "body", "field"),
    [
        ("PUT", "/v1/notify/templates/case.assigned/fax?division=330481", {"text": "x"}, "channel"),
        ("PUT", "/v1/notify/templates/Case!/in_app?division=330481", {"text": "x"}, "event_type"),
        ("PUT", "/v1/notify/templates/case.assigned/in_app?division=330481", {"text": ""}, "text"),
        ("PUT", "/v1/notify/templates/case.assigned/sms?division=330481", {"text": "x", "template_code": "a b"},
         "template_code"),
        ("PUT", "/v1/notify/templates/case.assigned/in_app?division=33", {"text": "x"}, "division"),
        ("POST", "/v1/notify/templates/preview", {"division": "330481", "event_type": "case.assigned"}, "channel"),
        ("POST", SUB, NEW_SUBSCRIPTION | {"url": "x"}, "url"),
        ("POST", SUB, NEW_SUBSCRIPTION | {"event_types": ["Case Assigned"]}, "event_types.0"),
        ("POST", SUB, NEW_SUBSCRIPTION | {"secret": "short"}, "secret"),
        ("POST", f"{SUB}/not-an-id/verify", None, "subscription_id"),
    ],
)  # fmt: skip
def test_bad_input_is_named_in_problem_json_and_reaches_no_service(gateway, method, url, body, field):
    answer = gateway.request(method, url, Role.ADMIN, json=body)

    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["field"] == field
    assert gateway.broker.calls == []


@pytest.mark.parametrize(
    ("refusal", "status"),
    [
        (ServiceError(ErrorCode.INVALID, "未知的变量 {case_no}（unknown variable case_no）", "text"), 422),
        (ServiceError(ErrorCode.INVALID, "目标地址属于内网、回环或链路本地地址", "url"), 422),
        (ServiceError(ErrorCode.NOT_FOUND, "没有这个订阅（no such subscription）", "subscription_id"), 404),
    ],
)
def test_notify_refusals_come_back_as_problem_json_naming_the_field(gateway, refusal, status):
    gateway.broker.refusal = refusal
    answer = gateway.request("POST", SUB, Role.COUNTY_SYSTEM, json=NEW_SUBSCRIPTION)

    assert answer.status_code == status
    assert answer.json()["field"] == refusal.field and answer.json()["detail"] == refusal.detail


def test_the_routes_document_their_models_and_errors(gateway):
    paths = gateway.app.openapi()["paths"]
    put = paths["/v1/notify/templates/{event_type}/{channel}"]["put"]
    post = paths[SUB]["post"]

    assert put["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/TemplateView"
    }
    assert {"401", "403", "422"} <= set(put["responses"]) and {"401", "403", "422"} <= set(post["responses"])
    assert post["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].endswith("WebhookSubscriptionView")
