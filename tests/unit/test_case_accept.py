"""签收: only the case's lead unit signs, only an assigned case, and the history says who and when."""

import pytest

from contracts.errors import ErrorCode, ServiceError
from contracts.routing import UnitRef
from contracts.vocabulary import CaseStatus
from services.routing.calendar import WorkingCalendar
from services.routing.case import accept
from services.routing.rules import Rule
from services.routing.triage import open_case
from tests.factories import NOW, actor, opinion_received

UNITS = {"hn-transport": UnitRef(id="hn-transport", name="海宁市交通运输局")}
RULES = [Rule("330481", ("公交",), "hn-transport", (), 100)]


def assigned_case():
    return open_case(opinion_received(), RULES, UNITS, WorkingCalendar(), NOW).case


def test_the_lead_unit_signs_and_the_case_is_accepted_with_one_event():
    unit = actor(role="handler", unit="hn-transport")
    decision = accept(assigned_case(), unit, NOW)
    assert decision.case.status is CaseStatus.ACCEPTED
    last = decision.case.history[-1]
    assert (last.status, last.actor, last.at) == (CaseStatus.ACCEPTED, "unit:hn-transport", NOW)
    (event,) = decision.events
    assert event.unit.id == "hn-transport" and event.transitions == [last] and event.accepted_at == NOW


@pytest.mark.parametrize("unit", [None, "hn-housing"])
def test_a_key_not_acting_for_the_lead_unit_may_not_sign(unit):
    with pytest.raises(ServiceError) as refused:
        accept(assigned_case(), actor(role="handler", unit=unit), NOW)
    assert refused.value.code is ErrorCode.FORBIDDEN and refused.value.field == "unit"


def test_an_accepted_case_cannot_be_accepted_again():
    unit = actor(role="handler", unit="hn-transport")
    once = accept(assigned_case(), unit, NOW).case
    with pytest.raises(ServiceError) as refused:
        accept(once, unit, NOW)
    assert refused.value.code is ErrorCode.INVALID_TRANSITION


def test_a_case_waiting_at_triage_has_no_lead_unit_to_sign():
    untriaged = open_case(opinion_received(content="别的事"), RULES, UNITS, WorkingCalendar(), NOW).case
    with pytest.raises(ServiceError) as refused:
        accept(untriaged, actor(role="handler", unit="hn-transport"), NOW)
    assert refused.value.code is ErrorCode.FORBIDDEN
