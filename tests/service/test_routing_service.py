import pytest
from nameko.testing.services import worker_factory

from contracts.envelope import Envelope
from contracts.errors import ServiceError
from services.routing.service import RoutingService
from services.routing.store import RoutingStore
from tests.factories import opinion_received


@pytest.fixture
def routing(mongo_db):
    store = RoutingStore(mongo_db)
    store.ensure_indexes()
    service = worker_factory(RoutingService, store=store)
    service.register_unit({"id": "hn-transport", "name": "海宁市交通运输局", "division": "330481"})
    service.add_rule({"division": "330481", "keywords": ["公交"], "lead_unit": "hn-transport"})
    return service


def test_received_opinion_becomes_an_assigned_case_and_one_event(routing):
    wire = opinion_received().envelope("330481001", "corr-9").wire()
    routing.on_opinion_received(wire)
    routing.on_opinion_received(wire)

    events = [Envelope.model_validate(call.args[1]) for call in routing.dispatch.call_args_list]
    assert [e.type for e in events] == ["case.assigned"]
    assert events[0].correlation_id == "corr-9" and events[0].payload["lead_unit"]["id"] == "hn-transport"
    cases = routing.list_cases("330481")
    assert [(c["case_id"], c["status"]) for c in cases] == [("7K3P-9XTA-2MQD", "assigned")]


def test_cases_are_listed_by_division_prefix(routing):
    routing.on_opinion_received(opinion_received().envelope("330481001", "c").wire())
    assert routing.list_cases("330481001") and routing.list_cases("330481") and not routing.list_cases("330482")
    assert routing.list_cases(".*") == []  # the prefix is matched literally, never as a pattern


def test_rules_must_name_known_units(routing):
    with pytest.raises(ServiceError) as raised:
        routing.add_rule({"division": "330481", "keywords": [], "lead_unit": "hn-transport", "co_units": ["ghost"]})
    assert raised.value.field == "co_units"


def test_units_need_a_valid_division_code(routing):
    with pytest.raises(ServiceError) as raised:
        routing.register_unit({"id": "x", "name": "某局", "division": "33"})
    assert raised.value.field == "division"
