"""`case.triaged` on the real stores: every triage is announced with its level, whether a rule
matched and the suggested units; an item left for manual triage reaches its station's inbox once."""

import pytest
from nameko.testing.services import worker_factory

from services.notify.service import NotifyService
from services.notify.store import InboxStore
from services.routing.service import RoutingService
from services.routing.store import RoutingStore
from tests.factories import Publications, opinion_received


@pytest.fixture
def published():
    return Publications()


@pytest.fixture
def routing(mongo_db, published):
    store = RoutingStore(mongo_db, published)
    store.ensure_indexes()
    service = worker_factory(RoutingService, store=store)
    service.register_unit({"id": "hn-transport", "name": "海宁市交通运输局", "division": "330481"})
    service.add_rule({"division": "330481", "keywords": ["公交"], "lead_unit": "hn-transport"})
    return service


@pytest.fixture
def notify(mongo_db):
    store = InboxStore(mongo_db, Publications())
    store.ensure_indexes()
    return worker_factory(NotifyService, store=store)


def receive(routing, code: str, content: str) -> None:
    routing.on_opinion_received(opinion_received(tracking_code=code, content=content).envelope("330481001", "c").wire())


def triaged(published: Publications) -> list[dict]:
    return [wire["payload"] for wire in published.wires if wire["type"] == "case.triaged"]


def test_a_matched_item_is_announced_with_its_rule_and_units_and_notifies_no_station(routing, notify, published):
    receive(routing, "HIST-0000-0001", "公交站台坏了")
    (event,) = triaged(published)
    assert (event["level"], event["matched"]) == ("assign", True) and event["rule_id"]
    assert [u["id"] for u in event["suggested_units"]] == ["hn-transport"]
    assert published.types() == ["case.triaged", "case.assigned"]
    notify.on_case_triaged(published.wires[0])
    assert notify.inbox("station:330481001", "330481")["items"] == []


def test_an_unmatched_item_carries_the_learned_suggestions_to_the_stations_inbox_once(routing, notify, published):
    receive(routing, "HIST-0000-0001", "公交站台坏了")
    routing.learn_from_assignment(published.wires[1])
    receive(routing, "NEW0-0000-0001", "站台坏了")
    receive(routing, "NEW0-0000-0001", "站台坏了")  # a redelivery announces nothing new
    unmatched = [event for event in triaged(published) if not event["matched"]]
    assert len(unmatched) == 1 and unmatched[0]["level"] is None
    assert [u["id"] for u in unmatched[0]["suggested_units"]] == ["hn-transport"]

    wire = next(w for w in published.wires if w["type"] == "case.triaged" and not w["payload"]["matched"])
    notify.on_case_triaged(wire)
    notify.on_case_triaged(wire)
    (notice,) = notify.inbox("station:330481001", "330481")["items"]
    assert notice["title"] == "新事项待人工分办" and notice["case_id"] == "NEW0-0000-0001"
    assert "海宁市交通运输局" in notice["body"]
