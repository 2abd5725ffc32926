from datetime import date

import pytest
from nameko.testing.services import worker_factory

from contracts.envelope import Envelope
from contracts.errors import ErrorCode, ServiceError
from infra.clock import local_today
from services.routing.calendar import WorkingCalendar
from services.routing.service import RoutingService
from services.routing.store import RoutingStore
from tests.factories import Publications, actor, opinion_received

EVERYWHERE = actor(role="admin", scope="").model_dump()  # sees every case


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

    triaged, *events = [Envelope.model_validate(wire) for wire in published.wires]
    assert triaged.type == "case.triaged" and triaged.payload["matched"] and triaged.correlation_id == "corr-9"
    assert [e.type for e in events] == ["case.assigned"]
    assert events[0].correlation_id == "corr-9" and events[0].payload["lead_unit"]["id"] == "hn-transport"
    cases = routing.find_cases({"division": "330481"}, EVERYWHERE)["items"]
    assert [(c["case_id"], c["status"]) for c in cases] == [("7K3P-9XTA-2MQD", "assigned")]


def test_cases_are_listed_by_division_prefix(routing):
    routing.on_opinion_received(opinion_received().envelope("330481001", "c").wire())

    def cases(prefix):
        return routing.find_cases({"division": prefix}, EVERYWHERE)["items"]

    assert cases("330481001") and cases("330481") and not cases("330482")
    with pytest.raises(ServiceError) as refused:  # a division is a code, never a pattern
        cases(".*")
    assert refused.value.field == "division"


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
    (case,) = routing.find_cases({"division": "330481"}, EVERYWHERE)["items"]
    expected = WorkingCalendar({first_working_day: False}).add_working_days(today, 15)
    assert case["due_date"] == expected.due_date.isoformat() != normal.due_date.isoformat()


def test_a_township_override_beats_its_county(routing):
    day = date(2030, 5, 6)
    routing.set_calendar_day({"division": "330481", "day": day.isoformat(), "workday": False, "reason": "县"})
    routing.set_calendar_day({"division": "330481001", "day": day.isoformat(), "workday": True, "reason": "镇"})
    assert routing.store.calendar_overrides("330481001", date(2030, 1, 1)) == {day: True}
    assert routing.store.calendar_overrides("330481002", date(2030, 1, 1)) == {day: False}
    assert routing.store.calendar_overrides("330481001", date(2030, 6, 1)) == {}


def handler_key(**overrides) -> dict:
    return actor(**{"role": "handler", "unit": "hn-transport", **overrides}).model_dump()


def test_the_lead_unit_signs_for_a_case_and_routing_announces_it(routing, published):
    routing.on_opinion_received(opinion_received().envelope("330481001", "c").wire())
    view = routing.accept_case("7K3P-9XTA-2MQD", {"expected_version": 1}, handler_key())

    assert view["status"] == "accepted" and view["version"] == 2
    assert published.types() == ["case.triaged", "case.assigned", "case.accepted"]
    assert routing.find_cases({"division": "330481"}, EVERYWHERE)["items"][0]["status"] == "accepted"


def test_acting_on_a_stale_version_is_a_conflict_carrying_the_current_case(routing, published):
    routing.on_opinion_received(opinion_received().envelope("330481001", "c").wire())
    routing.accept_case("7K3P-9XTA-2MQD", {}, handler_key())

    with pytest.raises(ServiceError) as conflict:
        routing.accept_case("7K3P-9XTA-2MQD", {"expected_version": 1}, handler_key())
    assert conflict.value.code is ErrorCode.CONFLICT and conflict.value.field == "expected_version"
    assert conflict.value.state["status"] == "accepted" and conflict.value.state["version"] == 2
    assert published.types() == ["case.triaged", "case.assigned", "case.accepted"]


def test_losing_a_race_is_a_conflict_carrying_the_winners_state(routing, published, monkeypatch):
    routing.on_opinion_received(opinion_received().envelope("330481001", "c").wire())
    get, raced = routing.store.cases.get, []

    def loaded_then_overtaken(key):
        case = get(key)
        if not raced:  # a concurrent change wins between this load and the save
            raced.append(routing.store.cases.save(case.model_copy(update={"content": "另一次修改"})))
        return case

    monkeypatch.setattr(routing.store.cases, "get", loaded_then_overtaken)
    with pytest.raises(ServiceError) as conflict:
        routing.accept_case("7K3P-9XTA-2MQD", {}, handler_key())
    monkeypatch.undo()
    assert conflict.value.code is ErrorCode.CONFLICT and conflict.value.state["version"] == 2
    stored = routing.store.cases.get("7K3P-9XTA-2MQD")
    assert (stored.status, stored.version) == ("assigned", 2)


def test_a_case_outside_the_keys_scope_is_not_found(routing):
    routing.on_opinion_received(opinion_received().envelope("330481001", "c").wire())
    with pytest.raises(ServiceError) as missing:
        routing.accept_case("7K3P-9XTA-2MQD", {}, handler_key(scope="330482"))
    assert missing.value.code is ErrorCode.NOT_FOUND and missing.value.field == "case_id"


def test_bad_input_to_an_action_names_the_field(routing):
    with pytest.raises(ServiceError) as invalid:
        routing.accept_case("7K3P-9XTA-2MQD", {"expected_version": 0}, handler_key())
    assert invalid.value.code is ErrorCode.INVALID and invalid.value.field == "expected_version"


def test_a_unit_is_found_by_id_or_not_found(routing):
    assert routing.unit("hn-transport") == {
        **{"id": "hn-transport", "name": "海宁市交通运输局", "division": "330481"},
        **{"parent": None, "contacts": [], "active": True},
    }
    with pytest.raises(ServiceError) as missing:
        routing.unit("ghost")
    assert missing.value.code is ErrorCode.NOT_FOUND and missing.value.field == "unit"
