"""When the watch tells whom what, as dates kept on the watched case (pure; no I/O).

After every change of a watched case, `arm` sets the day each notice falls due, or clears it when
the notice was already sent for the current due date or no longer applies (the case answered,
closed, paused, or progress recorded). The timer then only asks for cases whose day has come (an
indexed range query), and `fire` turns one of them into its event and the claim that clears the day.
Claim and event are written together, guarded on the version read (services/supervision/deadline_watch/
handlers.py), so a notice goes out once per case and due date whatever the runs and replicas.
"""

from dataclasses import dataclass
from datetime import date, datetime

from contracts.message import Message
from contracts.supervision.watch import CaseDueSoon, CaseHalfTime, CaseOverdue
from infra.clock import local_date
from infra.working_days import WorkingCalendar
from services.supervision.watch import OPEN_STATUSES, WatchedCase


@dataclass(frozen=True)
class WatchPlan:
    calendar: WorkingCalendar
    reminder_working_days: int = 3


def midpoint(case: WatchedCase, calendar: WorkingCalendar) -> date | None:
    """The working day half the period's working days after assignment (rounded up); none for a
    period of less than two working days."""
    start = local_date(case.assigned_at)
    total = calendar.working_days_between(start, case.due_date)
    if total < 2:
        return None
    return calendar.add_working_days(start, (total + 1) // 2).due_date


def arm(case: WatchedCase, plan: WatchPlan) -> WatchedCase:
    running = case.status in OPEN_STATUSES and not case.paused
    due = case.due_date
    middle = midpoint(case, plan.calendar)
    quiet = case.meetings == 0 and case.last_progress_at is None

    def pending(sent_for: date | None, on: date | None) -> date | None:
        return on if running and sent_for != due else None

    return case.model_copy(
        update={
            "midpoint": middle,
            "due_soon_on": pending(
                case.due_soon_sent_for, plan.calendar.working_days_before(due, plan.reminder_working_days)
            ),
            "overdue_on": pending(case.overdue_sent_for, plan.calendar.next_working_day(due)),
            "half_time_on": pending(case.half_time_sent_for, middle) if quiet else None,
        }
    )


@dataclass(frozen=True)
class Fired:
    case: WatchedCase
    events: list[Message]


def claimed(case: WatchedCase, notice: str, now: datetime, sent: bool) -> WatchedCase:
    """The notice's day cleared and the due date it was decided for remembered, sent or not."""
    update = {f"{notice}_on": None, f"{notice}_sent_for": case.due_date}
    if sent:
        update[f"{notice}_sent_at"] = now
    return case.model_copy(update=update)


def fire_due_soon(case: WatchedCase, plan: WatchPlan, today: date, now: datetime) -> Fired:
    """到期提醒; a case already past its due date (the timer was down) gets the overdue notice instead."""
    if today > case.due_date:
        return Fired(claimed(case, "due_soon", now, sent=False), [])
    event = CaseDueSoon(**common(case, now), working_days_left=plan.calendar.working_days_between(today, case.due_date))
    return Fired(claimed(case, "due_soon", now, sent=True), [event])


def fire_overdue(case: WatchedCase, plan: WatchPlan, today: date, now: datetime) -> Fired:
    return Fired(claimed(case, "overdue", now, sent=True), [CaseOverdue(**common(case, now))])


def fire_half_time(case: WatchedCase, plan: WatchPlan, today: date, now: datetime) -> Fired:
    """时间过半; pointless once the due date passed (the overdue notice says more)."""
    if today > case.due_date or case.midpoint is None:
        return Fired(claimed(case, "half_time", now, sent=False), [])
    event = CaseHalfTime(**common(case, now), assigned_at=case.assigned_at, midpoint=case.midpoint)
    return Fired(claimed(case, "half_time", now, sent=True), [event])


def common(case: WatchedCase, now: datetime) -> dict:
    return {
        "case_id": case.case_id,
        "division": case.division,
        "lead_unit": case.lead_unit,
        "co_units": case.co_units,
        "due_date": case.due_date,
        "at": now,
    }


FIRE = {"due_soon": fire_due_soon, "overdue": fire_overdue, "half_time": fire_half_time}


def fire(case: WatchedCase, plan: WatchPlan, today: date, now: datetime) -> Fired:
    """Every notice of the case whose day has come, in order (a reminder the timer missed gives way
    to the overdue notice), as one change and its events."""
    events: list[Message] = []
    for notice, fire_one in FIRE.items():
        on = getattr(case, f"{notice}_on")
        if on is not None and on <= today:
            fired = fire_one(case, plan, today, now)
            case, events = fired.case, [*events, *fired.events]
    return Fired(case, events)
