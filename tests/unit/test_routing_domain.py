from datetime import date

from contracts.routing import UnitRef
from contracts.vocabulary import CaseStatus
from services.routing.calendar import WorkingCalendar
from services.routing.rules import Rule
from services.routing.triage import open_case
from tests.factories import NOW, opinion_received

UNITS = {
    "hn-transport": UnitRef(id="hn-transport", name="海宁市交通运输局"),
    "hn-enforcement": UnitRef(id="hn-enforcement", name="海宁市综合行政执法局"),
}
RULES = [Rule("330481", ("公交",), "hn-transport", ("hn-enforcement", "gone"), 100)]


def test_matching_rule_assigns_lead_and_co_units_with_a_fifteen_working_day_deadline():
    opened = open_case(opinion_received(), RULES, UNITS, WorkingCalendar(), NOW)
    assert opened.case.status is CaseStatus.ASSIGNED
    assert [t.status for t in opened.case.history] == [CaseStatus.RECEIVED, CaseStatus.TRIAGED, CaseStatus.ASSIGNED]
    triaged, event = opened.events
    assert (triaged.TYPE, triaged.matched, triaged.level) == ("case.triaged", True, "assign")
    assert event.lead_unit.name == "海宁市交通运输局"
    assert [unit.id for unit in event.co_units] == ["hn-enforcement"]  # an unknown co-unit is left out
    assert event.due_date == opened.case.due_date == date(2026, 12, 14)  # NOW is 2026-11-23 10:00 in Shanghai
    assert [t.status for t in event.transitions] == [CaseStatus.TRIAGED, CaseStatus.ASSIGNED]


def test_no_matching_rule_leaves_the_case_at_triage_announcing_only_that():
    opened = open_case(opinion_received(content="别的事情"), RULES, UNITS, WorkingCalendar(), NOW)
    assert opened.case.status is CaseStatus.TRIAGED
    (event,) = opened.events
    assert (event.TYPE, event.matched, event.level, event.suggested_units) == ("case.triaged", False, None, [])
    assert opened.case.lead_unit is None
    assert "人工" in opened.case.history[-1].reason


def test_a_rule_whose_lead_unit_is_unknown_does_not_assign():
    opened = open_case(opinion_received(), RULES, {}, WorkingCalendar(), NOW)
    assert [(e.TYPE, e.matched) for e in opened.events] == [("case.triaged", False)]
