"""A deputy is a principal: its key (or console user) names the directory's deputy it is. routing tells
supervision and notify a formal suggestion's lead deputy (领衔代表) on `case.assigned`, so that only
that deputy evaluates the reply, and that deputy's inbox (`deputy:<id>`) asks them to."""

import asyncio
from datetime import date

import httpx
import pytest
from nameko.testing.services import worker_factory

from contracts.errors import ErrorCode, ServiceError
from contracts.notify.delivery import principal_recipient
from contracts.routing import CaseReplied
from contracts.supervision import EvaluatorKind
from contracts.supervision.evaluation_window import EvaluationRequested
from contracts.vocabulary import Role
from gateway.auth import actor_of
from gateway.clients import IntakeClient
from gateway.problems import Problem
from gateway.routers.staff_users import StaffUserIn, create_user
from gateway.staff_users import actor_of_user
from services.notify.service import NotifyService
from services.notify.store import InboxStore
from services.routing.service import RoutingService
from services.routing.store import RoutingStore
from services.supervision.service import SupervisionService
from services.supervision.store import SupervisionStore
from tests.factories import Publications, actor, case_event
from tests.service.test_gateway_routers import FakeBroker, FakeDivisions, Gateway
from tests.service.test_routing_suggestions import SID, accepted

LEAD, CO_SIGNER = "deputy-zhang-wei", "deputy-li-hong"  # accepted()'s deputies, the lead first
LEAD_KEY = actor(role="deputy", scope="330481", deputy=LEAD)
ENTRY = {"id": LEAD, "name": "张伟", "division": "330481001", "level": "county", "station_ids": ["xiashi-station"]}


def wire(message) -> dict:
    return message.envelope("330481", "corr-deputy").wire()


@pytest.fixture
def routed(mongo_db):
    published = Publications()
    store = RoutingStore(mongo_db, published)
    store.ensure_indexes()
    routing = worker_factory(RoutingService, store=store)
    routing.register_unit({"id": "hn-housing", "name": "海宁市住房和城乡建设局", "division": "330481"})
    routing.add_rule({"division": "330481", "keywords": ["加装电梯"], "lead_unit": "hn-housing"})
    routing.on_suggestion_accepted(wire(accepted()))
    return next(w for w in published.wires if w["type"] == "case.assigned")


@pytest.fixture
def supervised(mongo_db, routed):
    """supervision's read model of the suggestion, assigned (routing's own wire) and replied."""
    published = Publications()
    store = SupervisionStore(mongo_db, published)
    store.ensure_indexes()
    supervision = worker_factory(SupervisionService, store=store)
    supervision.on_case_assigned(routed)
    supervision.on_case_replied(wire(case_event(CaseReplied, case_id=SID, division="330481")))
    return supervision, published


@pytest.fixture
def notify(mongo_db):
    store = InboxStore(mongo_db, Publications())
    store.ensure_indexes()
    return worker_factory(NotifyService, store=store)


def test_case_assigned_names_the_suggestions_lead_deputy(routed):
    assert routed["payload"]["deputy"] == LEAD


REFUSED = [
    (actor(role="deputy", scope="330481", deputy=CO_SIGNER), ErrorCode.FORBIDDEN, "deputy"),  # co-signer
    (actor(role="deputy", scope="330481"), ErrorCode.FORBIDDEN, "deputy"),  # a key naming no deputy
    (actor(role="deputy", scope="330482", deputy=LEAD), ErrorCode.NOT_FOUND, "case_id"),  # outside its scope
    (actor(role="admin", scope="330482"), ErrorCode.NOT_FOUND, "case_id"),
]


@pytest.mark.parametrize(("who", "code", "field"), REFUSED)
def test_nobody_but_the_lead_deputy_evaluates_and_a_refusal_changes_nothing(supervised, who, code, field):
    supervision, published = supervised
    with pytest.raises(ServiceError) as refused:
        supervision.evaluate_case(SID, {"rating": "unsatisfied"}, who.model_dump())
    assert (refused.value.code, refused.value.field) == (code, field)
    assert published.wires == [] and supervision.store.evaluations.collection.count_documents({}) == 0
    # the lead deputy's own evaluation is still the first one
    view = supervision.evaluate_case(SID, {"rating": "satisfied"}, LEAD_KEY.model_dump())
    assert (view["round"], view["evaluator_kind"]) == (1, EvaluatorKind.DEPUTY.value)


@pytest.mark.parametrize("who", [LEAD_KEY, actor(role="admin", scope="330481"), actor(role="admin", scope="")])
def test_the_lead_deputy_or_an_administrator_on_their_behalf_evaluates(supervised, who):
    supervision, published = supervised
    view = supervision.evaluate_case(SID, {"rating": "unsatisfied", "comment": "加装电梯仍无进展"}, who.model_dump())
    assert (view["rating"], view["round"]) == ("unsatisfied", 1)
    assert [w["type"] for w in published.wires] == ["evaluation.recorded"]


def test_the_lead_deputy_is_asked_to_evaluate_in_their_own_inbox_once(notify, routed):
    replied = wire(case_event(CaseReplied, case_id=SID, division="330481"))
    for _ in range(2):  # each event redelivered: nothing twice
        notify.on_case_assigned(routed)
        notify.on_case_replied(replied)
    (note,) = notify.inbox(f"deputy:{LEAD}", "330481")["items"]
    assert note["kind"] == "case.replied" and "您领衔提出的建议" in note["body"] and "满意度测评" in note["body"]
    assert notify.inbox(f"deputy:{CO_SIGNER}", "330481")["items"] == []

    reminder = EvaluationRequested(
        case_id=SID, division="330481", round=1, evaluator_kind="deputy", closes_on=date(2026, 12, 23), reminder=True
    )
    notify.on_evaluation_requested(wire(reminder))
    kinds = [n["kind"] for n in notify.inbox(f"deputy:{LEAD}", "330481")["items"]]
    assert sorted(kinds) == ["case.replied", "evaluation.requested"]


# ---- the gateway: keys and users that name a deputy, the evaluation refusal, the deputy's inbox ----


def send(gateway: Gateway, principal, method: str, url: str, **kwargs) -> httpx.Response:
    gateway.principal = principal

    async def go():
        transport = httpx.ASGITransport(app=gateway.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
            return await client.request(method, url, **kwargs)

    return asyncio.run(go())


@pytest.fixture
def gateway():
    gateway = Gateway()
    gateway.broker.answers[("intake", "directory_entry")] = lambda kw: {**ENTRY, "active": True}
    return gateway


KEY = {"role": "deputy", "scope": "330481", "label": "张伟代表", "deputy_id": LEAD}


def test_an_administrator_issues_a_key_naming_a_deputy_of_its_scope(gateway):
    answer = send(gateway, actor(role="admin", scope="330481"), "POST", "/v1/admin/api-keys", json=KEY)
    assert answer.status_code == 201 and answer.json()["deputy_id"] == LEAD
    assert gateway.api_keys.deputies == [LEAD]
    (call,) = gateway.broker.calls
    assert call == ("intake", "directory_entry", {"kind": "deputy", "entry_id": LEAD})


@pytest.mark.parametrize(
    ("who", "body", "status", "field"),
    [
        *((actor(role=role, scope="330481"), KEY, 403, "role") for role in Role if role is not Role.ADMIN),
        (actor(role="admin", scope="330482"), {**KEY, "scope": "330482"}, 403, "deputy_id"),  # another county's deputy
        (actor(role="admin", scope="330482"), KEY, 403, "scope"),
        (actor(role="admin", scope="330481"), {**KEY, "role": "supervisor"}, 422, "deputy_id"),
        (actor(role="admin", scope="330481"), {**KEY, "deputy_id": "张伟"}, 422, "deputy_id"),
    ],
)
def test_a_key_naming_a_deputy_is_refused_outside_the_rules_and_none_is_issued(gateway, who, body, status, field):
    answer = send(gateway, who, "POST", "/v1/admin/api-keys", json=body)
    assert answer.status_code == status and answer.json()["field"] == field
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert gateway.api_keys.issued == []


@pytest.mark.parametrize(
    ("entry", "title"),
    [
        (ServiceError(ErrorCode.NOT_FOUND, "目录中没有 x (no such deputy)", "id"), "代表名录中没有这位代表"),
        ({**ENTRY, "active": False}, "这位代表已停用"),
    ],
)
def test_an_unknown_or_deactivated_deputy_is_refused(gateway, entry, title):
    def answer_with(kw):
        if isinstance(entry, ServiceError):
            raise entry
        return entry

    gateway.broker.answers[("intake", "directory_entry")] = answer_with
    answer = send(gateway, actor(role="admin", scope="330481"), "POST", "/v1/admin/api-keys", json=KEY)
    assert answer.status_code == 422 and answer.json()["field"] == "deputy_id" and answer.json()["title"] == title
    assert gateway.api_keys.issued == []


class FakeUsers:
    def __init__(self):
        self.created = []

    async def create(self, username, role, scope, label, unit, password, deputy=None):
        self.created.append((username, role, deputy))
        return {"_id": username}


def test_a_console_user_names_its_deputy_checked_as_for_a_key():
    broker, users = FakeBroker(), FakeUsers()
    broker.answers[("intake", "directory_entry")] = lambda kw: {**ENTRY, "division": "330482001", "active": True}
    body = StaffUserIn(username="zhang.wei", **KEY)
    admin = actor(role="admin", scope="330481")
    with pytest.raises(Problem) as refused:  # the deputy sits in another county
        asyncio.run(create_user(body, admin, FakeDivisions(), users, None, IntakeClient(broker)))
    assert (refused.value.status, refused.value.field) == (403, "deputy_id") and users.created == []
    broker.answers[("intake", "directory_entry")] = lambda kw: {**ENTRY, "active": True}
    created = asyncio.run(create_user(body, admin, FakeDivisions(), users, None, IntakeClient(broker)))
    assert created.deputy_id == LEAD and users.created == [("zhang.wei", Role.DEPUTY, LEAD)]


def test_a_stored_key_or_user_acts_as_its_deputy():
    record = {"_id": "01KEY", "role": "deputy", "scope": "330481", "label": "张伟代表", "deputy": LEAD}
    assert actor_of(record).deputy == LEAD
    assert actor_of_user({**record, "_id": "zhang.wei"}).deputy == LEAD
    assert principal_recipient(actor_of(record)) == f"deputy:{LEAD}"


def test_another_deputys_refusal_reaches_the_caller_as_problem_json(gateway):
    gateway.broker.refusal = ServiceError(ErrorCode.FORBIDDEN, "只有建议的领衔代表可以评价答复", "deputy")
    other = actor(role="deputy", scope="330481", deputy=CO_SIGNER)
    answer = send(gateway, other, "POST", f"/v1/cases/{SID}/evaluation", json={"rating": "satisfied"})
    assert answer.status_code == 403 and answer.json()["field"] == "deputy"
    assert answer.headers["content-type"].startswith("application/problem+json")
    (call,) = gateway.broker.calls
    assert call[2]["actor"]["deputy"] == CO_SIGNER  # supervision decides, knowing who the deputy is


def test_a_deputy_reads_its_own_inbox_and_nobody_elses_deputy_inbox(gateway):
    answer = send(gateway, LEAD_KEY, "GET", "/v1/notifications/inbox")
    assert answer.status_code == 200 and gateway.broker.calls[-1][2]["recipient"] == f"deputy:{LEAD}"
    own = f"/v1/notifications?recipient=deputy:{LEAD}&division=330481"
    assert send(gateway, LEAD_KEY, "GET", own).status_code == 200
    assert send(gateway, actor(role="admin", scope="330481"), "GET", own).status_code == 200
    calls = len(gateway.broker.calls)
    for who in (
        actor(role="deputy", scope="330481", deputy=CO_SIGNER),
        actor(role="deputy", scope="330481"),
        actor(role="supervisor", scope="330481"),
        actor(role="station", scope="330481"),
    ):
        refused = send(gateway, who, "GET", own)
        assert refused.status_code == 403 and refused.json()["field"] == "recipient"
    assert len(gateway.broker.calls) == calls
