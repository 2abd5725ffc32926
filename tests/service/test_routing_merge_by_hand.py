"""合并处置 by hand on the real stores: a station merges a case into a primary; `case.merged` makes
the member's submitter follow the primary in intake and stops supervision watching it, once."""

import pytest
from nameko.testing.services import worker_factory

from contracts.errors import ErrorCode, ServiceError
from services.intake.service import IntakeService
from services.intake.store import IntakeStore
from services.routing.service import RoutingService
from services.routing.store import RoutingStore
from services.supervision.service import SupervisionService
from services.supervision.store import SupervisionStore
from tests.factories import Publications, actor, opinion_merged, opinion_received, submit_opinion

PRIMARY, MEMBER, ELSEWHERE = "7K3P-9XTA-2MQX", "7K3P-9XTA-2MQD", "7K3P-9XTA-2MQY"
STATION = actor(role="station", scope="330481001", label="许村镇联络站").model_dump()
HANDLER = actor(role="handler", unit="hn-transport").model_dump()
NUMBER = "330481-2026-000007"


@pytest.fixture
def published():
    return Publications()


@pytest.fixture
def routing(mongo_db, published):
    """No rule: the cases wait at triage."""
    store = RoutingStore(mongo_db, published)
    store.ensure_indexes()
    service = worker_factory(RoutingService, store=store)
    service.register_unit({"id": "hn-transport", "name": "海宁市交通运输局", "division": "330481"})
    received = [
        opinion_received(tracking_code=PRIMARY, case_number=NUMBER),
        opinion_received(tracking_code=MEMBER),
        opinion_received(tracking_code=ELSEWHERE, division="330482001"),
    ]
    for opinion in received:
        service.on_opinion_received(opinion.envelope(opinion.division, "c").wire())
    return service


@pytest.fixture
def intake(mongo_db):
    store = IntakeStore(mongo_db, Publications())
    store.ensure_indexes()
    service = worker_factory(IntakeService, store=store)
    for code in (PRIMARY, MEMBER):
        service.submit_opinion(submit_opinion(tracking_code=code).envelope("330481001", "c").wire())
    return service


@pytest.fixture
def supervision(mongo_db):
    store = SupervisionStore(mongo_db, Publications())
    store.ensure_indexes()
    return worker_factory(SupervisionService, store=store)


def deliver(service, published: Publications, start: int = 0) -> None:
    """Routing's events to the service's consumers, twice each (a redelivery)."""
    for wire in published.wires[start:]:
        method = getattr(service, "on_" + wire["type"].replace(".", "_"), None)
        for _ in range(2):
            if method is not None:
                method(wire)


def merge(routing, case_id: str, primary: str, key: dict = STATION) -> dict:
    return routing.act_on_case(case_id, "merge", {"primary": primary}, key)


def test_a_station_merges_a_case_and_its_submitter_follows_the_primary(routing, intake, published):
    view = merge(routing, MEMBER, PRIMARY.lower())
    assert view["status"] == "merged" and view["merged_into"] == PRIMARY
    step = view["history"][-1]
    assert step["status"] == "merged" and NUMBER in step["reason"] and step["actor"] == "station:01KEY"
    (event,) = [w for w in published.wires if w["type"] == "case.merged"]
    assert (event["payload"]["case_id"], event["payload"]["primary"]) == (MEMBER, PRIMARY)
    assert event["payload"]["primary_case_number"] == NUMBER

    start = len(published.wires)
    deliver(intake, published, start - 1)
    seen = intake.public_view(MEMBER)
    assert seen["history"][-1]["status"] == "merged" and PRIMARY not in str(seen)  # never the other's code

    routing.act_on_case(PRIMARY, "assign", {"lead_unit": "hn-transport"}, STATION)
    deliver(intake, published, start)
    followed = intake.public_view(MEMBER)
    assert followed["status"] == "assigned" and followed["lead_unit"]["id"] == "hn-transport"
    assert followed["due_date"] == intake.public_view(PRIMARY)["due_date"]


def test_supervision_stops_watching_a_merged_case_once_whichever_way_it_learns(routing, supervision, published):
    routing.act_on_case(MEMBER, "assign", {"lead_unit": "hn-transport"}, STATION)
    deliver(supervision, published)
    assert supervision.deadlines("330481")["items"][0]["case_id"] == MEMBER

    supervision.on_opinions_merged(opinion_merged(primary=PRIMARY, members=[MEMBER]).envelope("330481001", "c").wire())
    watched = supervision.store.cases.get(MEMBER)
    assert watched.status == "merged"
    start = len(published.wires)
    merge(routing, MEMBER, PRIMARY)
    deliver(supervision, published, start)
    assert supervision.store.cases.get(MEMBER).version == watched.version  # the merge is not applied twice


def test_supervision_learns_a_merge_by_hand_from_case_merged(routing, supervision, published):
    routing.act_on_case(MEMBER, "assign", {"lead_unit": "hn-transport"}, STATION)
    merge(routing, MEMBER, PRIMARY)
    deliver(supervision, published)
    assert supervision.store.cases.get(MEMBER).status == "merged"


@pytest.mark.parametrize(
    ("case_id", "primary", "key", "code", "field"),
    [
        (MEMBER, "7K3P-9XTA-ZZZZ", STATION, ErrorCode.INVALID, "primary"),  # no such case
        (MEMBER, MEMBER, STATION, ErrorCode.INVALID, "primary"),  # itself
        (MEMBER, ELSEWHERE, STATION, ErrorCode.INVALID, "primary"),  # outside the station's scope
        (MEMBER, PRIMARY, HANDLER, ErrorCode.FORBIDDEN, "role"),
        (ELSEWHERE, PRIMARY, STATION, ErrorCode.NOT_FOUND, "case_id"),
    ],
)
def test_a_merge_that_may_not_happen_changes_nothing(routing, published, case_id, primary, key, code, field):
    before = len(published.wires)
    with pytest.raises(ServiceError) as raised:
        merge(routing, case_id, primary, key)
    assert (raised.value.code, raised.value.field) == (code, field)
    assert routing.store.cases.get(MEMBER).status == "triaged" and len(published.wires) == before


def test_a_merged_primary_is_refused_and_a_merged_case_cannot_merge_again(routing):
    merge(routing, PRIMARY, MEMBER)  # the primary is merged itself now
    with pytest.raises(ServiceError) as raised:
        merge(routing, MEMBER, PRIMARY)
    assert raised.value.field == "primary"
    with pytest.raises(ServiceError) as again:
        merge(routing, PRIMARY, MEMBER)  # merged already: the state machine refuses
    assert again.value.code is ErrorCode.INVALID_TRANSITION
