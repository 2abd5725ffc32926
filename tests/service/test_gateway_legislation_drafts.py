"""The legislation directory, drafts and tasks routes with a fake broker: each role allowed or refused,
inside and outside its scope; bad input refused naming the field before any service is asked; the
service's refusals (a broken draft text with its line) passed on as problem+json; public drafts
without a key."""

import pytest

from contracts.errors import ErrorCode, ServiceError
from contracts.vocabulary import Role
from gateway import deps
from gateway.clients import LegislationClient
from tests.service.test_gateway_routers import Gateway

DRAFT_ID = "01KAR2V7Q8M3XN5D4T6B9C0E1F"
TASK_ID = f"{DRAFT_ID}-sanjiang"
ARTICLE = {"number": 1, "chapter": "第一章 总则", "section": None, "text": "为了促进乡村旅游高质量发展，制定本条例。"}
DRAFT = {
    "draft_id": DRAFT_ID,
    "division": "450000",
    "office_id": "gx-fgw",
    "title": "三江侗族自治县乡村旅游促进条例（草案）",
    "level": "provincial",
    "version": "征求意见稿",
    "explanation": "",
    "articles": [ARTICLE],
    "opens_at": "2026-11-24T09:00:00+08:00",
    "closes_at": "2026-12-24T18:00:00+08:00",
    "status": "open",
    "previous_draft_id": None,
    "closed_early": False,
    "close_reason": None,
}
SUMMARY = {**{k: v for k, v in DRAFT.items() if k not in ("articles", "explanation", "closed_early", "close_reason")}}
SUMMARY["article_count"] = 1
POINT = {
    "point_id": "sanjiang",
    "division": "450226",
    "name": "三江侗族自治县基层立法联系点",
    "address": "",
    "partners": [{"point_id": "congjiang", "name": "从江县基层立法联系点", "division": "522633"}],
    "active": True,
}
LINK = {"task_id": TASK_ID, "point_id": "sanjiang", "name": "三江侗族自治县基层立法联系点", "division": "450226"}
TASK = {
    "task_id": TASK_ID,
    "draft_id": DRAFT_ID,
    "draft_title": DRAFT["title"],
    "office_id": "gx-fgw",
    "point_id": "sanjiang",
    "division": "450226",
    "due_date": "2026-12-15",
    "focus_questions": ["民宿客房数量上限是否合适？"],
    "note": "",
    "forwarded_from": None,
    "assigned_at": "2026-11-25T10:00:00+08:00",
    "chain": [LINK],
    "forwards": [],
}
OFFICER = {"officer_id": "sj-wu", "point_id": "sanjiang", "division": "450226", "name": "吴美兰", "role": "liaison"}
COLLECTION = {
    "collection_point_id": "sj-chengyang",
    "point_id": "sanjiang",
    "division": "450226104",
    "name": "程阳八寨信息采集点",
    "address": "",
}
NEW_DRAFT = {
    "office_id": "gx-fgw",
    "title": "三江侗族自治县乡村旅游促进条例（草案）",
    "level": "provincial",
    "version": "征求意见稿",
    "text": "第一章 总则\n第一条 为了促进乡村旅游高质量发展，制定本条例。",
    "opens_at": "2026-11-24T09:00:00",
    "closes_at": "2026-12-24T18:00:00",
}
ANSWERS = {
    "register_office": lambda kw: {**kw["office"], "active": True},
    "register_point": lambda kw: POINT,
    "set_partners": lambda kw: POINT,
    "contact_point": lambda kw: POINT,
    "register_officer": lambda kw: {**OFFICER, "active": True},
    "register_collection_point": lambda kw: {**COLLECTION, "active": True},
    "legislative_directory": lambda kw: {
        "division": kw["division_prefix"],
        "offices": [],
        "points": [POINT],
        "officers": [],
        "collection_points": [],
    },
    "create_draft": lambda kw: {**DRAFT, "status": "scheduled"},
    "close_draft": lambda kw: {**DRAFT, "status": "closed", "closed_early": True, "close_reason": "提前审议"},
    "draft": lambda kw: DRAFT,
    "draft_versions": lambda kw: [SUMMARY],
    "drafts": lambda kw: {"items": [SUMMARY], "next": None},
    "public_drafts": lambda kw: {"items": [SUMMARY], "next": "bmV4dA"},
    "public_draft": lambda kw: DRAFT,
    "assign_task": lambda kw: TASK,
    "forward_task": lambda kw: {**TASK, "point_id": "congjiang", "division": "522633"},
    "task": lambda kw: TASK,
    "tasks": lambda kw: {"items": [TASK], "next": None},
}

STAFF = {Role.LEGISLATIVE_OFFICE, Role.CONTACT_POINT, Role.INFO_OFFICER}
OFFICE = {Role.LEGISLATIVE_OFFICE}
KEEPERS = {Role.LEGISLATIVE_OFFICE, Role.CONTACT_POINT}
SCOPE = "450226"
OUTSIDE = "330481"
OFFICE_IN = {"office_id": "sj-office", "division": SCOPE, "name": "三江法工委", "level": "municipal"}
POINT_IN = {"point_id": "sanjiang", "division": SCOPE, "name": "三江侗族自治县基层立法联系点"}
OFFICER_IN = {"officer_id": "sj-wu", "point_id": "sanjiang", "name": "吴美兰", "role": "liaison"}
COLLECTION_IN = {"collection_point_id": "sj-chengyang", "point_id": "sanjiang", "name": "程阳八寨信息采集点"}
TASK_IN = {"point_id": "sanjiang", "due_date": "2026-12-15"}
DRAFTS = "/v1/legislation/drafts"
TASKS = "/v1/legislation/tasks"
# method, url, body, roles (besides admin), the field a key outside the scope is refused on (None:
# the service checks the scope of what the id names), the RPC
ROUTES = [
    ("POST", "/v1/legislation/offices", OFFICE_IN, set(), "division", "register_office"),
    ("POST", "/v1/legislation/points", POINT_IN, OFFICE, "division", "register_point"),
    ("PUT", "/v1/legislation/points/sanjiang/partners", {"partners": ["congjiang"]}, KEEPERS, None, "set_partners"),
    ("GET", "/v1/legislation/points/sanjiang", None, STAFF, None, "contact_point"),
    ("POST", "/v1/legislation/officers", OFFICER_IN, KEEPERS, None, "register_officer"),
    ("POST", "/v1/legislation/collection-points", COLLECTION_IN, KEEPERS, None, "register_collection_point"),
    ("GET", f"/v1/legislation/directory?division={SCOPE}", None, STAFF, "division", "legislative_directory"),
    ("POST", DRAFTS, NEW_DRAFT, OFFICE, None, "create_draft"),
    ("GET", f"{DRAFTS}?division={SCOPE}", None, STAFF, "division", "drafts"),
    ("GET", f"{DRAFTS}/{DRAFT_ID}", None, STAFF, None, "draft"),
    ("GET", f"{DRAFTS}/{DRAFT_ID}/versions", None, STAFF, None, "draft_versions"),
    ("POST", f"{DRAFTS}/{DRAFT_ID}/close", {"reason": "常委会会议提前审议"}, OFFICE, None, "close_draft"),
    ("POST", f"{DRAFTS}/{DRAFT_ID}/tasks", TASK_IN, OFFICE, None, "assign_task"),
    (
        "POST",
        f"{TASKS}/{TASK_ID}/forward",
        {"partner_point_id": "congjiang"},
        {Role.CONTACT_POINT},
        None,
        "forward_task",
    ),
    ("GET", f"{TASKS}/{TASK_ID}", None, STAFF, None, "task"),
    ("GET", f"{TASKS}?draft_id={DRAFT_ID}", None, STAFF, None, "tasks"),
]


@pytest.fixture
def gateway():
    gateway = Gateway()
    for method, answer in ANSWERS.items():
        gateway.broker.answers[("legislation", method)] = answer
    gateway.app.dependency_overrides[deps.legislation_client] = lambda: LegislationClient(gateway.broker)
    return gateway


@pytest.mark.parametrize(("method", "url", "body", "roles", "scope_field", "rpc"), ROUTES, ids=[r[1] for r in ROUTES])
def test_each_role_is_allowed_or_refused_inside_and_outside_its_scope(
    gateway, method, url, body, roles, scope_field, rpc
):
    for role in Role:
        calls_before = len(gateway.broker.calls)
        answer = gateway.request(method, url, role, scope=SCOPE, json=body)
        if role in roles or role is Role.ADMIN:
            assert answer.status_code < 300, (role, answer.text)
            assert gateway.broker.calls[-1][:2] == ("legislation", rpc)
        else:
            assert answer.status_code == 403, (role, answer.text)
            assert answer.headers["content-type"] == "application/problem+json" and answer.json()["field"] == "role"
            assert len(gateway.broker.calls) == calls_before
    for role in {*roles, Role.ADMIN}:
        calls_before = len(gateway.broker.calls)
        answer = gateway.request(
            method,
            url.replace(SCOPE, OUTSIDE),
            role,
            scope=SCOPE,
            json=body and {k: (OUTSIDE if v == SCOPE else v) for k, v in body.items()},
        )
        if scope_field is None:
            # the scope of what the id names is the service's to check: the caller travels with the call
            assert "actor" in gateway.broker.calls[-1][2] or rpc in ("contact_point",), rpc
            continue
        assert answer.status_code == 403 and answer.json()["field"] == scope_field, (role, answer.text)
        assert len(gateway.broker.calls) == calls_before  # refused before anything was asked


def test_the_caller_travels_as_the_actor_and_the_body_as_the_input(gateway):
    forward = {"partner_point_id": "congjiang", "focus_questions": ["侗族大歌保护条款？"]}
    answer = gateway.request("POST", f"{TASKS}/{TASK_ID}/forward", Role.CONTACT_POINT, scope=SCOPE, json=forward)
    assert answer.status_code == 201 and answer.json()["point_id"] == "congjiang"
    _, method, kwargs = gateway.broker.calls[-1]
    assert method == "forward_task" and kwargs["task_id"] == TASK_ID
    assert kwargs["forward"] == {**forward, "due_date": None, "note": ""}
    assert kwargs["actor"]["role"] == "contact_point" and kwargs["actor"]["scope"] == SCOPE


BAD_INPUT = [
    ("POST", DRAFTS, {**NEW_DRAFT, "articles": [ARTICLE]}, "body"),  # text and articles both
    ("POST", DRAFTS, {**NEW_DRAFT, "closes_at": "2026-11-01T09:00:00"}, "body"),
    ("POST", DRAFTS, {**NEW_DRAFT, "level": "county"}, "level"),
    ("POST", DRAFTS, {**NEW_DRAFT, "opens_at": "明天"}, "opens_at"),
    ("POST", f"{DRAFTS}/{DRAFT_ID}/tasks", {**TASK_IN, "point_id": "Sanjiang!"}, "point_id"),
    ("POST", f"{DRAFTS}/{DRAFT_ID}/tasks", {**TASK_IN, "due_date": "12月15日"}, "due_date"),
    ("POST", f"{TASKS}/{TASK_ID}/forward", {}, "partner_point_id"),
    ("PUT", "/v1/legislation/points/sanjiang/partners", {"partners": ["congjiang", "congjiang"]}, "partners"),
    ("POST", f"{DRAFTS}/{DRAFT_ID}/close", {"reason": ""}, "reason"),
    ("POST", f"{DRAFTS}/not%20an%20id/close", {"reason": "提前审议"}, "draft_id"),
]


@pytest.mark.parametrize(("method", "url", "body", "field"), BAD_INPUT, ids=[f"{r[1]}:{r[3]}" for r in BAD_INPUT])
def test_bad_input_is_refused_naming_the_field_and_reaches_no_service(gateway, method, url, body, field):
    answer = gateway.request(method, url, Role.ADMIN, scope=SCOPE, json=body)
    assert answer.status_code == 422 and answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["title"] == "请求参数不合法" and problem["field"] == field, problem
    assert gateway.broker.calls == []


def test_a_broken_draft_text_answers_the_line_and_the_number_expected(gateway):
    where = {"line": 24, "expected": "第十二条", "found": "第十三条"}
    detail = "草案文本无法解析 (the text cannot be parsed)：第 24 行：编号中断，应为第十二条，实为第十三条"
    gateway.broker.refusal = ServiceError(ErrorCode.INVALID, detail, "text", state=where)
    answer = gateway.request("POST", "/v1/legislation/drafts", Role.LEGISLATIVE_OFFICE, scope="450000", json=NEW_DRAFT)
    assert answer.status_code == 422 and answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["field"] == "text" and answer.json()["state"] == where
    assert "第 24 行" in answer.json()["detail"]


@pytest.mark.parametrize(
    ("code", "field", "status"),
    [
        (ErrorCode.INVALID, "partner_point_id", 422),  # not a partner, or unknown
        (ErrorCode.NOT_FOUND, "task_id", 404),  # not the key's task
        (ErrorCode.CONFLICT, "point_id", 409),  # the partner already has the draft's task
        (ErrorCode.INVALID_TRANSITION, "draft_id", 409),  # the draft is closed
    ],
)
def test_a_refused_forward_is_problem_json_naming_the_reason(gateway, code, field, status):
    gateway.broker.refusal = ServiceError(code, "说明 (detail)", field)
    forward = {"partner_point_id": "rongshui"}
    answer = gateway.request("POST", f"{TASKS}/{TASK_ID}/forward", Role.CONTACT_POINT, scope=SCOPE, json=forward)
    assert answer.status_code == status and answer.json()["field"] == field and answer.json()["code"] == code


def test_public_drafts_need_no_key_and_page_on(gateway):
    gateway.app.dependency_overrides.pop(deps.current_principal)
    listing = gateway.request("GET", "/v1/public/drafts?division=4502&limit=1")
    assert listing.status_code == 422  # a division is a whole code
    listing = gateway.request("GET", "/v1/public/drafts?limit=1")
    (listed,) = listing.json()
    assert listing.status_code == 200 and listed | SUMMARY == listed  # what the service said, passed on
    assert listing.headers["link"] == '</v1/public/drafts?limit=1&after=bmV4dA>; rel="next"'
    assert gateway.broker.calls[-1][2] == {"division_prefix": "", "limit": 1, "after": None}
    shown = gateway.request("GET", f"/v1/public/drafts/{DRAFT_ID}")
    assert shown.status_code == 200 and shown.json()["articles"] == [ARTICLE]
    assert gateway.request("GET", f"/v1/legislation/drafts/{DRAFT_ID}").status_code == 401


def test_openapi_documents_the_models_and_examples(gateway):
    schema = gateway.app.openapi()
    created = schema["paths"]["/v1/legislation/drafts"]["post"]
    assert set(created["responses"]) >= {"201", "401", "403", "409", "422"}
    assert schema["components"]["schemas"]["DraftIn"]["properties"]["title"]["examples"]
    assert "/v1/public/drafts/{draft_id}" in schema["paths"]
