from datetime import date

import pytest
from nameko.testing.services import worker_factory

from contracts.envelope import Envelope
from contracts.errors import ServiceError
from infra.clock import local_today
from services.routing.calendar import WorkingCalendar
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


def test_received_opinion_becomes_an_assigned_case_and_one_event(routing, published):
    wire = opinion_received().envelope("330481001", "corr-9").wire()
    routing.on_opinion_received(wire)
    routing.on_opinion_received(wire)

    events = [Envelope.model_validate(wire) for wire in published.wires]
    assert [e.type for e in events] == ["case.assigned"]
    assert events[0].correlation_id == "corr-9" and events[0].payload["lead_unit"]["id"] == "hn-transport"
    cases = routing.list_cases("330481")["items"]
    assert [(c["case_id"], c["status"]) for c in cases] == [("7K3P-9XTA-2MQD", "assigned")]


def test_cases_are_listed_by_division_prefix(routing):
    routing.on_opinion_received(opinion_received().envelope("330481001", "c").wire())

    def cases(prefix):
        return routing.list_cases(prefix)["items"]

    assert cases("330481001") and cases("330481") and not cases("330482")
    assert cases(".*") == []  # the prefix is matched literally, never as a pattern


def test_rules_must_name_known_units(routing):
    with pytest.raises(ServiceError) as raised:
        routing.add_rule({"division": "330481", "keywords": [], "lead_unit": "hn-transport", "co_units": ["ghost"]})
    assert raised.value.field == "co_units"


def test_units_need_a_valid_division_code(routing):
    with pytest.raises(ServiceError) as raised:
        routing.register_unit({"id": "x", "name": "某局", "division": "33"})
    assert raised.value.field == "division"


def test_a_county_day_off_moves_the_deadline(routing):
    today = local_today()
    normal = WorkingCalendar().add_working_days(today, 15)
    first_working_day = WorkingCalendar().add_working_days(today, 1).due_date
    routing.set_calendar_day(
        {"division": "330481", "day": first_working_day.isoformat(), "workday": False, "reason": "防汛"}
    )

    routing.on_opinion_received(opinion_received().envelope("330481001", "c").wire())
    (case,) = routing.list_cases("330481")["items"]
    expected = WorkingCalendar({first_working_day: False}).add_working_days(today, 15)
    assert case["due_date"] == expected.due_date.isoformat() != normal.due_date.isoformat()


def test_a_township_override_beats_its_county(routing):
    day = date(2030, 5, 6)
    routing.set_calendar_day({"division": "330481", "day": day.isoformat(), "workday": False, "reason": "县"})
    routing.set_calendar_day({"division": "330481001", "day": day.isoformat(), "workday": True, "reason": "镇"})
    assert routing.store.calendar_overrides("330481001", date(2030, 1, 1)) == {day: True}
    assert routing.store.calendar_overrides("330481002", date(2030, 1, 1)) == {day: False}
    assert routing.store.calendar_overrides("330481001", date(2030, 6, 1)) == {}
