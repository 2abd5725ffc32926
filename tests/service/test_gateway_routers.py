"""Every router on its own: roles and division scopes, errors and answers, with a fake broker behind the
typed clients (swapped in through `dependency_overrides`), so no service, broker or database runs."""

import asyncio
import copy
import inspect

import httpx
import pytest

from contracts.errors import ErrorCode, ServiceError
from contracts.vocabulary import Role
from gateway import deps
from gateway.app import create_app
from gateway.clients import IntakeClient, NotifyClient, RoutingClient, SupervisionClient
from infra.settings import Settings
from tests.factories import actor

STAMP = "2026-11-23T02:00:00Z"
CASE = {
    "case_id": "7K3P-9XTA-2MQD",
    "case_number": "330481-2026-000123",
    "division": "330481001",
    "channel": "web",
    "category": "道路交通",
    "status": "assigned",
    "lead_unit": {"id": "hn-transport", "name": "海宁市交通运输局"},
    "co_units": [],
    "due_date": "2026-12-14",
    "deadline_policy": "working_days",
    "received_at": STAMP,
    "history": [],
    "version": 1,
    "triage": None,
    **{"co_due_date": None, "reply": None, "paused": None},  # the lifecycle's records, none yet
    **{"co_opinions": [], "progress": [], "meetings": [], "extensions": []},
    "meeting_requests": [],  # 约见请求 to the deputy
    **{"consultations": [], "merged_into": None},  # 征求意见 rounds; 合并处置's primary
}
OPINION = {
    "tracking_code": "7K3P-9XTA-2MQD",
    "division": "330481001",
    "channel": "web",
    "content": "文苑路公交站台的顶棚坏了",
    "submitted_at": STAMP,
    "status": "assigned",
    "history": [],
    "contact": {"name": "陈**", "phone": "138****5678", "masked": True},
}
DEADLINE = {
    "case_id": "7K3P-9XTA-2MQD",
    "division": "330481001",
    "lead_unit": {"id": "hn-transport", "name": "海宁市交通运输局"},
    "assigned_at": STAMP,
    "due_date": "2026-12-14",
    "calendar_fallback": False,
    "status": "assigned",
    "overdue": False,
}
NOTICE = {
    "id": "01EVENT:unit:hn-transport",
    "recipient": "unit:hn-transport",
    "division": "330481001",
    "kind": "case.assigned",
    "title": "新交办事项（主办）",
    "body": "…",
    "created_at": STAMP,
    "case_id": "7K3P-9XTA-2MQD",
}
STATION = {
    "id": "xiashi-station",
    "name": "硖石街道人大代表联络站",
    "division": "330481001",
    "address": "",
    "reception_day": "",
    "deputies": ["张伟"],
}


class FakeBroker:
    """Answers the services' RPCs from memory and records every call."""

    def __init__(self):
        self.calls: list[tuple[str, str, dict]] = []
        self.refusal: ServiceError | None = None
        self.answers = {
            ("routing", "find_cases"): lambda kw: {"items": [CASE], "next": "bmV4dA"},
            ("routing", "case_detail"): lambda kw: {**CASE, "content": "文苑路公交站台的顶棚坏了"},
            ("routing", "accept_case"): lambda kw: {**CASE, "status": "accepted", "version": 2},
            ("routing", "register_unit"): lambda kw: kw["unit"],
            ("routing", "add_rule"): lambda kw: {**kw["rule"], "id": "01RULE"},
            ("routing", "set_calendar_day"): lambda kw: kw["day"],
            ("routing", "unit"): lambda kw: {"id": kw["unit_id"], "name": "海宁市交通运输局", "division": "330481"},
            ("intake", "staff_view"): lambda kw: OPINION,
            ("intake", "public_view"): lambda kw: {k: v for k, v in OPINION.items() if k != "contact"},
            ("intake", "register_station"): lambda kw: kw["station"],
            ("intake", "register_deputy"): lambda kw: kw["deputy"],
            ("intake", "stations"): lambda kw: {"items": [STATION], "next": None},
            ("supervision", "deadlines"): lambda kw: {"items": [DEADLINE], "next": None},
            ("notify", "inbox"): lambda kw: {"items": [NOTICE], "next": None},
        }

    async def call(self, service: str, method: str, **kwargs):
        self.calls.append((service, method, kwargs))
        if self.refusal is not None:
            raise self.refusal
        return copy.deepcopy(self.answers[(service, method)](kwargs))


class FakeDivisions:
    SERVED = {"330481", "330481001", "330482"}

    async def get(self, code: str):
        return {"_id": code, "name": "某地"} if code in self.SERVED else None

    async def save(self, code: str, name: str) -> None:
        self.SERVED = {*self.SERVED, code}


class FakeApiKeys:
    def __init__(self):
        self.issued = []
        self.deputies = []  # the deputy each issued key names, if any

    async def issue(self, role, scope, label, unit=None, deputy=None):
        self.issued.append((role, scope, label, unit))
        self.deputies.append(deputy)
        return "01NEWKEY", "rdk_secret"


class Gateway:
    def __init__(self):
        self.app = create_app(Settings())
        self.broker = FakeBroker()
        self.api_keys = FakeApiKeys()
        self.principal = actor()
        overrides = {
            deps.current_principal: lambda: self.principal,
            deps.intake_client: lambda: IntakeClient(self.broker),
            deps.routing_client: lambda: RoutingClient(self.broker),
            deps.supervision_client: lambda: SupervisionClient(self.broker),
            deps.notify_client: lambda: NotifyClient(self.broker),
            deps.division_store: FakeDivisions,
            deps.api_key_store: lambda: self.api_keys,
        }
        self.app.dependency_overrides.update(overrides)

    def request(self, method: str, url: str, role: Role | None = None, scope: str = "330481", **kwargs):
        self.principal = actor(role=role or Role.SUPERVISOR, scope=scope, unit="hn-transport")

        async def send():
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
                return await client.request(method, url, **kwargs)

        return asyncio.run(send())


@pytest.fixture
def gateway():
    return Gateway()


READERS = {Role.STATION, Role.INFO_OFFICER, Role.SUPERVISOR, Role.DEPUTY, Role.HANDLER, Role.COUNTY_SYSTEM}
UNIT = {"id": "hn-transport", "name": "海宁市交通运输局", "division": "330481"}
ROUTES = [
    ("GET", "/v1/cases?division=330481", None, READERS, "division"),
    ("POST", "/v1/cases/7K3P-9XTA-2MQD/accept", {}, {Role.HANDLER}, None),
    ("GET", "/v1/supervision/deadlines?division=330481", None, {Role.SUPERVISOR}, "division"),
    ("GET", "/v1/notifications?recipient=unit:hn-transport&division=330481", None, READERS, "division"),
    ("GET", "/v1/opinions/7K3P-9XTA-2MQD", None, READERS, "division"),
    ("POST", "/v1/admin/units", UNIT, set(), "division"),
    ("POST", "/v1/admin/routing-rules", {"division": "330481", "lead_unit": "hn-transport"}, set(), "division"),
    (
        "PUT",
        "/v1/admin/calendar-days",
        {"division": "330481", "day": "2026-12-07", "workday": False, "reason": "防汛"},
        set(),
        "division",
    ),
    ("POST", "/v1/admin/api-keys", {"role": "supervisor", "scope": "330481", "label": "督查室"}, set(), "scope"),
    ("PUT", "/v1/admin/divisions/330481", {"name": "海宁市"}, set(), "code"),
]


@pytest.mark.parametrize(("method", "url", "body", "roles", "scope_field"), ROUTES, ids=[r[1] for r in ROUTES])
def test_each_role_is_allowed_or_refused_inside_and_outside_its_scope(gateway, method, url, body, roles, scope_field):
    for role in Role:
        answer = gateway.request(method, url, role, json=body)
        if role in roles or role is Role.ADMIN:
            assert answer.status_code < 300, (role, answer.text)
        else:
            assert answer.status_code == 403, (role, answer.text)
            assert answer.headers["content-type"] == "application/problem+json" and answer.json()["field"] == "role"
    if scope_field is None:
        return
    for role in {*roles, Role.ADMIN}:
        calls_before = len(gateway.broker.calls)
        answer = gateway.request(method, url, role, scope="330482", json=body)
        assert answer.status_code == 403 and answer.json()["field"] == scope_field, (role, answer.text)
        if method != "GET":
            assert len(gateway.broker.calls) == calls_before  # refused before anything changed


def test_public_routes_need_no_key(gateway):
    gateway.app.dependency_overrides.pop(deps.current_principal)
    assert gateway.request("GET", "/v1/public/opinions/7K3P-9XTA-2MQD").status_code == 200
    assert gateway.request("GET", "/v1/public/stations?division=330481").json() == [STATION]
    assert gateway.request("GET", "/v1/cases").status_code == 401


def test_the_public_view_never_has_the_contact(gateway):
    gateway.broker.answers[("intake", "public_view")] = lambda kw: OPINION  # even if a service sent it
    view = gateway.request("GET", "/v1/public/opinions/7k3p-9xta-2mqd").json()
    assert "contact" not in view and gateway.broker.calls[-1][2] == {"tracking_code": "7K3P-9XTA-2MQD"}


def test_a_listing_points_to_its_next_page_and_passes_the_cursor_on(gateway):
    answer = gateway.request("GET", "/v1/cases?division=330481&limit=1")
    assert answer.json() == [CASE]
    assert answer.headers["link"] == '</v1/cases?division=330481&limit=1&after=bmV4dA>; rel="next"'
    gateway.request("GET", "/v1/cases?division=330481&limit=1&after=bmV4dA")
    query = gateway.broker.calls[-1][2]["query"]
    assert (query["division"], query["limit"], query["after"]) == ("330481", 1, "bmV4dA")
    assert gateway.request("GET", "/v1/cases?after=not%20a%20cursor").status_code == 422


def test_an_action_passes_the_caller_as_the_actor(gateway):
    answer = gateway.request("POST", "/v1/cases/7k3p-9xta-2mqd/accept", Role.HANDLER, json={"expected_version": 1})
    assert answer.status_code == 200 and answer.json()["status"] == "accepted"
    _, method, kwargs = gateway.broker.calls[-1]
    assert method == "accept_case" and kwargs["case_id"] == "7K3P-9XTA-2MQD"
    assert kwargs["command"] == {"expected_version": 1}
    assert kwargs["actor"]["role"] == "handler" and kwargs["actor"]["unit"] == "hn-transport"


def test_a_conflict_is_409_problem_with_the_current_state(gateway):
    current = {**CASE, "status": "accepted", "version": 2}
    gateway.broker.refusal = ServiceError(ErrorCode.CONFLICT, "案件已被他人更新", "expected_version", state=current)
    answer = gateway.request("POST", "/v1/cases/7K3P-9XTA-2MQD/accept", Role.HANDLER, json={"expected_version": 1})
    assert answer.status_code == 409 and answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["field"] == "expected_version" and problem["code"] == "conflict" and problem["state"] == current


@pytest.mark.parametrize(
    ("code", "status"),
    [
        (ErrorCode.NOT_FOUND, 404),
        (ErrorCode.INVALID, 422),
        (ErrorCode.FORBIDDEN, 403),
        (ErrorCode.INVALID_TRANSITION, 409),
        (ErrorCode.UNAVAILABLE, 503),
    ],
)
def test_service_refusals_map_to_http_in_one_table(gateway, code, status):
    gateway.broker.refusal = ServiceError(code, "说明 (detail)", "case_id")
    answer = gateway.request("POST", "/v1/cases/7K3P-9XTA-2MQD/accept", Role.HANDLER, json={})
    assert answer.status_code == status and answer.json()["field"] == "case_id" and answer.json()["code"] == code


def test_bad_input_names_the_field_and_reaches_no_service(gateway):
    answer = gateway.request("POST", "/v1/cases/X/accept", Role.HANDLER, json={"expected_version": 0})
    assert answer.status_code == 422 and answer.json()["field"] == "expected_version"
    answer = gateway.request("POST", "/v1/admin/units", Role.ADMIN, json={**UNIT, "division": "33"})
    assert answer.status_code == 422 and answer.json()["field"] == "division"
    assert "行政区划代码" in answer.json()["errors"][0]["message"]
    assert gateway.broker.calls == []


def test_a_key_for_a_unit_must_be_a_handlers_and_the_unit_within_the_admins_scope(gateway):
    key = {"role": "handler", "scope": "330481", "label": "交通局办理员", "unit": "hn-transport"}
    assert gateway.request("POST", "/v1/admin/api-keys", Role.ADMIN, json=key).status_code == 201
    assert gateway.api_keys.issued == [(Role.HANDLER, "330481", "交通局办理员", "hn-transport")]

    answer = gateway.request("POST", "/v1/admin/api-keys", Role.ADMIN, json={**key, "role": "supervisor"})
    assert answer.status_code == 422 and answer.json()["field"] == "unit"
    gateway.broker.answers[("routing", "unit")] = lambda kw: {**UNIT, "division": "330482"}
    answer = gateway.request("POST", "/v1/admin/api-keys", Role.ADMIN, json=key)
    assert answer.status_code == 403 and answer.json()["field"] == "unit"
    assert len(gateway.api_keys.issued) == 1


def test_every_route_documents_its_errors_as_problem_json(gateway):
    spec = gateway.app.openapi()
    assert "ProblemDetails" in spec["components"]["schemas"]
    for path, operations in spec["paths"].items():
        if not path.startswith("/v1/"):
            continue
        for method, operation in operations.items():
            errors = {status: r for status, r in operation["responses"].items() if status.startswith(("4", "5"))}
            documented = {s for s, r in errors.items() if "application/problem+json" in r.get("content", {})}
            assert documented, f"{method.upper()} {path} documents no problem+json error"


def test_no_route_dependency_hops_to_a_worker_thread(gateway):
    """FastAPI runs a plain `def` dependency in a thread pool: every one here is `async def`."""

    def routes(container):
        for route in container.routes:
            nested = getattr(route, "original_router", None)  # an included router
            yield from routes(nested) if nested is not None else [route]

    def calls(dependant):
        for sub in dependant.dependencies:
            yield sub.call
            yield from calls(sub)

    checked = [route for route in routes(gateway.app) if hasattr(route, "dependant")]
    assert len(checked) >= 15
    for route in checked:
        sync = [call.__name__ for call in calls(route.dependant) if not inspect.iscoroutinefunction(call)]
        assert not sync, f"{route.path}: {sync}"
