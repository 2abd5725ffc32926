"""Deadline policies (办理时限) and the time from receipt to assignment, as pure functions.

A case's policy is its rule's, else its division's (the most local that set one), else the default:
citizen items 15 working days (惠城 限时办理制), deputy suggestions three calendar months from
assignment (法定: 自交办之日起三个月内答复). Working days follow the official calendar with 调休 and
the division's overrides; calendar months ignore holidays.

An assignment is due within one working day of receipt (桂林: 1 个工作日内交办).
"""

from collections.abc import Mapping
from datetime import date, datetime

from contracts.routing import DeadlinePolicy, DivisionDeadlinesIn
from infra.clock import local_date
from services.routing.calendar import Deadline, WorkingCalendar
from services.routing.clock import add_months, working_days_in

CITIZEN = DeadlinePolicy(kind="working_days", amount=15)
SUGGESTION = DeadlinePolicy(kind="calendar_months", amount=3)
ASSIGNMENT_WORKING_DAYS = 1


def division_policies(division: str, configured: Mapping[str, DivisionDeadlinesIn]) -> DivisionDeadlinesIn:
    """The policies of the most local division at or above `division` that set them, else the defaults."""
    for length in (12, 9, 6):
        if len(division) >= length and division[:length] in configured:
            return configured[division[:length]]
    return DivisionDeadlinesIn(division=division, citizen=CITIZEN, suggestion=SUGGESTION)


def policy_for(
    rule_policy: DeadlinePolicy | None, division: DivisionDeadlinesIn, statutory: bool = False
) -> DeadlinePolicy:
    """The rule's own policy wins over the division's. For a deputy suggestion (`statutory`) only a
    rule's calendar-month policy applies: a statutory period is never counted in working days."""
    if rule_policy is not None and (not statutory or rule_policy.kind == "calendar_months"):
        return rule_policy
    return division.suggestion if statutory else division.citizen


def due(policy: DeadlinePolicy, calendar: WorkingCalendar, start: date) -> Deadline:
    """The due date under `policy` from `start` (the start day itself not counted)."""
    if policy.kind == "working_days":
        return calendar.add_working_days(start, policy.amount)
    end = add_months(start, policy.amount)
    return Deadline(end, working_days_in(calendar, start, end), calendar_fallback=False)


def describe(policy: DeadlinePolicy, deadline: Deadline) -> str:
    if policy.kind == "working_days":
        return f"{policy.amount} 个工作日内（{deadline.due_date.isoformat()} 前）答复"
    return f"法定期限：自交办之日起 {policy.amount} 个月内（{deadline.due_date.isoformat()} 前）答复"


def working_days_to_assignment(calendar: WorkingCalendar, received_at: datetime, assigned_at: datetime) -> int:
    """Working days from receipt to assignment (Beijing dates): 0 the same day, 1 the next working day."""
    return working_days_in(calendar, local_date(received_at), local_date(assigned_at))


def late(working_days: int) -> bool:
    return working_days > ASSIGNMENT_WORKING_DAYS
