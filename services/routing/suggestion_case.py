"""A formal deputy suggestion's case: triaged by the division's rules like any item, but due under
the statutory policy (法定: 自交办之日起三个月内答复), three calendar months from assignment by
default, configurable per division (`DivisionDeadlinesIn.suggestion`) and by a rule's own
calendar-month policy (services/routing/policies.py).

Calendar months, not working days: 2026-11-30 is due 2027-02-28 (the month's last day when the
day does not exist), whatever weekday or holiday that is.
"""

from datetime import date, datetime

from contracts.intake.suggestions import SuggestionAccepted
from contracts.routing import DivisionDeadlinesIn, Transition, UnitRef
from contracts.vocabulary import CaseStatus
from services.routing import clock, policies
from services.routing.calendar import WorkingCalendar
from services.routing.case import Case, Decision
from services.routing.rules import Rule, choose_rule
from services.routing.triage import triage

STATUTORY = "statutory"
STATUTORY_MONTHS = 3


def add_months(start: date, months: int) -> date:
    """The same day `months` later, or that month's last day if it has no such day."""
    return clock.add_months(start, months)


def open_case(
    suggestion: SuggestionAccepted,
    rules: list[Rule],
    units: dict[str, UnitRef],
    working: WorkingCalendar,
    now: datetime,
    deadlines: DivisionDeadlinesIn | None = None,
) -> Decision:
    """The case of an accepted suggestion (its id is the suggestion's), triaged by the rules that
    match its title and text, or left at triage for a person to assign."""
    label = f"{suggestion.session_name} 建议第{suggestion.number}号"
    received = Transition(
        status=CaseStatus.RECEIVED, at=suggestion.accepted_at, actor=f"channel:{suggestion.channel}", reason=label
    )
    content = f"{suggestion.title}\n\n{suggestion.text}"
    case = Case(
        case_id=suggestion.suggestion_id,
        division=suggestion.division,
        channel=suggestion.channel,
        content=content,
        status=CaseStatus.RECEIVED,
        received_at=suggestion.accepted_at,
        deadline_policy=STATUTORY,
        history=[received],
        deputy=suggestion.deputies[0].id if suggestion.deputies else None,
    )
    rule = choose_rule(rules, suggestion.division, content, None, suggestion.channel)
    deadlines = deadlines or policies.division_policies(suggestion.division, {})
    return triage(case, rule, units, working, now, deadlines, statutory=True)
