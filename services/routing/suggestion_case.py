"""A formal deputy suggestion's case: triaged by the division's rules like any item, but due under
the statutory policy (法定: 自交办之日起三个月内答复), three calendar months from assignment.

Calendar months, not working days: 2026-11-30 is due 2027-02-28 (the month's last day when the
day does not exist), whatever weekday or holiday that is. Extension to six months is not here yet.
"""

import calendar
from datetime import date, datetime, timedelta

from contracts.intake.suggestions import SuggestionAccepted
from contracts.routing import Transition, UnitRef
from contracts.vocabulary import CaseStatus
from infra.clock import local_date
from services.routing.calendar import Deadline, WorkingCalendar
from services.routing.case import ACTOR, Case, Decision, hand_over
from services.routing.lifecycle import move
from services.routing.rules import Rule, choose_rule

STATUTORY = "statutory"
STATUTORY_MONTHS = 3


def add_months(start: date, months: int) -> date:
    """The same day `months` later, or that month's last day if it has no such day."""
    year, month = divmod(start.month - 1 + months, 12)
    year, month = start.year + year, month + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def working_days_between(working: WorkingCalendar, start: date, end: date) -> int:
    """How many working days the period holds (start excluded): for display, the due date ignores it."""
    days = (start + timedelta(days=offset) for offset in range(1, (end - start).days + 1))
    return sum(working.is_workday(day)[0] for day in days)


def open_case(
    suggestion: SuggestionAccepted,
    rules: list[Rule],
    units: dict[str, UnitRef],
    working: WorkingCalendar,
    now: datetime,
) -> Decision:
    """The case of an accepted suggestion (its id is the suggestion's), assigned by the rules that
    match its title and text, or left at triage for a person to assign."""
    label = f"{suggestion.session_name} 建议第{suggestion.number}号"
    received = Transition(
        status=CaseStatus.RECEIVED, at=suggestion.accepted_at, actor=f"channel:{suggestion.channel}", reason=label
    )
    content = f"{suggestion.title}\n\n{suggestion.text}"
    rule = choose_rule(rules, suggestion.division, content)
    matched = rule is not None and rule.lead_unit in units
    reason = "按分办规则分级：交办" if matched else "无匹配的分办规则，待人工交办 (no routing rule matched)"
    case = Case(
        case_id=suggestion.suggestion_id,
        division=suggestion.division,
        channel=suggestion.channel,
        content=content,
        status=CaseStatus.TRIAGED,
        received_at=suggestion.accepted_at,
        deadline_policy=STATUTORY,
        history=[received, move(CaseStatus.RECEIVED, CaseStatus.TRIAGED, ACTOR, reason, now)],
    )
    if not matched:
        return Decision(case)
    return assign(case, units[rule.lead_unit], [units[u] for u in rule.co_units if u in units], working, now)


def assign(case: Case, lead: UnitRef, co_units: list[UnitRef], working: WorkingCalendar, now: datetime) -> Decision:
    """交办 under the statutory policy: due three calendar months from today (Beijing)."""
    today = local_date(now)
    due = add_months(today, STATUTORY_MONTHS)
    deadline = Deadline(due, working_days_between(working, today, due), calendar_fallback=False)
    reason = f"交办 {lead.name}，法定期限：自交办之日起三个月内（{due.isoformat()} 前）答复"
    return hand_over(case, lead, co_units, deadline, reason, now)
