"""Routing applies intake's `opinion.merged`: each member's case becomes `merged` into the primary's."""

import pytest
from nameko.testing.services import worker_factory

from contracts.vocabulary import CaseStatus
from services.routing import case as rules
from services.routing.service import RoutingService
from services.routing.store import RoutingStore
from tests.factories import NOW, Publications, actor, opinion_merged, opinion_received

EVERYWHERE = actor(role="admin", scope="").model_dump()  # sees every case

PRIMARY, FIRST, SECOND = "7K3P-9XTA-2MQD", "7K3P-9XTA-2MQE", "7K3P-9XTA-2MQF"


@pytest.fixture
def published():
    return Publications()


@pytest.fixture
def routing(mongo_db, published):
    """No routing rule: cases wait at triage, where a station merges them."""
    store = RoutingStore(mongo_db, published)
    store.ensure_indexes()
    service = worker_factory(RoutingService, store=store)
    for code in (PRIMARY, FIRST, SECOND):
        service.on_opinion_received(opinion_received(tracking_code=code).envelope("330481001", "c").wire())
    return service


def cases(routing) -> dict[str, dict]:
    return {case["case_id"]: case for case in routing.find_cases({"division": "330481"}, EVERYWHERE)["items"]}


def test_the_members_cases_become_merged_into_the_primary_once(routing, published):
    wire = opinion_merged().envelope("330481001", "c").wire()
    del published.wires[:]  # each case's case.triaged
    routing.on_opinion_merged(wire)
    routing.on_opinion_merged(wire)

    found = cases(routing)
    assert found[PRIMARY]["status"] == "triaged" and found[PRIMARY]["version"] == 1
    for member in (FIRST, SECOND):
        assert found[member]["status"] == "merged" and found[member]["version"] == 2
        assert [step["status"] for step in found[member]["history"]] == ["received", "triaged", "merged"]
        step = found[member]["history"][-1]
        assert PRIMARY in step["reason"] and step["actor"] == "station:01KEY"
    assert published.types() == ["case.merged", "case.merged"]  # one per member, not again on redelivery
    assert [w["payload"]["case_id"] for w in published.wires] == [FIRST, SECOND]
    assert {w["payload"]["primary"] for w in published.wires} == {PRIMARY}


def test_a_case_the_lifecycle_does_not_let_merge_stays_as_it_is(routing):
    stored = routing.store.cases.get(FIRST)
    closed = routing.store.cases.save(stored.model_copy(update={"status": CaseStatus.CLOSED}))
    routing.on_opinion_merged(opinion_merged().envelope("330481001", "c").wire())

    found = cases(routing)
    assert found[FIRST]["status"] == "closed" and len(found[FIRST]["history"]) == len(closed.history)
    assert found[SECOND]["status"] == "merged"


def test_the_merge_rule_leaves_the_primary_and_merged_cases_alone():
    case = rules.Case(
        case_id=FIRST,
        division="330481001",
        channel="web",
        content="文苑路中段有个大坑",
        status=CaseStatus.TRIAGED,
        received_at=NOW,
        history=[],
    )
    decision = rules.merge(case, PRIMARY, "station:01KEY", NOW, "330481-2026-000123")
    merged = decision.case
    assert merged.status is CaseStatus.MERGED and merged.history[-1].at == NOW and merged.merged_into == PRIMARY
    (event,) = decision.events
    assert (event.TYPE, event.primary, event.primary_case_number) == ("case.merged", PRIMARY, "330481-2026-000123")
    assert rules.merge(merged, PRIMARY, "station:01KEY", NOW) == rules.Decision(merged)
    assert rules.merge(case, FIRST, "station:01KEY", NOW) == rules.Decision(case)
