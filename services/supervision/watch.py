"""Deadline watch: every assigned case with its due date; overdue means open past the due date."""

from datetime import date

from pydantic import BaseModel

from contracts.routing import CaseAccepted, CaseAssigned, UnitRef
from contracts.vocabulary import CaseStatus, Instant

OPEN_STATUSES = frozenset({CaseStatus.ASSIGNED, CaseStatus.ACCEPTED, CaseStatus.REOPENED})


class WatchedCase(BaseModel):
    case_id: str
    division: str
    lead_unit: UnitRef
    co_units: list[UnitRef] = []
    assigned_at: Instant
    due_date: date
    calendar_fallback: bool
    status: CaseStatus
    version: int = 0


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


def assigned(case: WatchedCase, event: CaseAssigned) -> WatchedCase:
    """An assignment, the first or a later one, sets the units and a new deadline."""
    return watch(event).model_copy(update={"version": case.version})


def accepted(case: WatchedCase, event: CaseAccepted) -> WatchedCase:
    return case.model_copy(update={"status": CaseStatus.ACCEPTED})


def is_overdue(case: WatchedCase, today: date) -> bool:
    """Due on the due date itself; overdue from the day after while still open."""
    return case.status in OPEN_STATUSES and today > case.due_date


def merged(case: WatchedCase) -> WatchedCase:
    """合并处置: the case is handled as its group's primary, so its own deadline is no longer watched."""
    return case.model_copy(update={"status": CaseStatus.MERGED})
