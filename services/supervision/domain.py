"""Deadline watch: every assigned case with its due date; overdue means open past the due date."""

from datetime import date, datetime

from pydantic import BaseModel

from contracts.events import CaseAssigned, UnitRef
from contracts.rpc import DeadlineView
from contracts.vocabulary import CaseStatus

OPEN_STATUSES = frozenset({CaseStatus.ASSIGNED, CaseStatus.ACCEPTED, CaseStatus.REOPENED})


class WatchedCase(BaseModel):
    case_id: str
    division: str
    lead_unit: UnitRef
    co_units: list[UnitRef] = []
    assigned_at: datetime
    due_date: date
    calendar_fallback: bool
    status: CaseStatus


def watch(event: CaseAssigned) -> WatchedCase:
    return WatchedCase(
        case_id=event.case_id,
        division=event.division,
        lead_unit=event.lead_unit,
        co_units=event.co_units,
        assigned_at=event.assigned_at,
        due_date=event.due_date,
        calendar_fallback=event.calendar_fallback,
        status=CaseStatus.ASSIGNED,
    )


def is_overdue(case: WatchedCase, today: date) -> bool:
    """Due on the due date itself; overdue from the day after while still open."""
    return case.status in OPEN_STATUSES and today > case.due_date


def deadline_view(case: WatchedCase, today: date) -> DeadlineView:
    return DeadlineView(**case.model_dump(exclude={"co_units"}), overdue=is_overdue(case, today))
