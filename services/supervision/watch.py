"""Deadline watch: every assigned case with its due date; overdue means open past the due date."""

from datetime import date

from pydantic import BaseModel

from contracts.routing import (
    CaseAccepted,
    CaseAssigned,
    CaseClosed,
    CaseCoOpinionSent,
    CaseEscalated,
    CaseExtensionDecided,
    CaseExtensionRequested,
    CaseMeetingRecorded,
    CasePaused,
    CaseProgressRecorded,
    CaseReopened,
    CaseReplied,
    CaseResumed,
    CaseReturned,
    UnitRef,
)
from contracts.supervision import Rating
from contracts.supervision.watch import ReminderRecord
from contracts.vocabulary import CaseStatus, Channel, Instant

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
    paused: bool = False
    extension_pending: bool = False
    co_opinions: int = 0
    late_co_opinions: int = 0
    meetings: int = 0
    last_progress_at: Instant | None = None
    replies: int = 0
    version: int = 0
    # what the case is, for the public ledger (from case.assigned; absent on older events)
    case_number: str | None = None
    category: str | None = None
    channel: Channel | None = None
    received_at: Instant | None = None
    replied_at: Instant | None = None
    closed_at: Instant | None = None
    rating: Rating | None = None
    # the deadline watch (services/supervision/deadline_watch): the day each notice falls due, kept
    # only while it is still to be sent (indexed: the timer's queries), and the due date it went for
    midpoint: date | None = None
    due_soon_on: date | None = None
    overdue_on: date | None = None
    half_time_on: date | None = None
    due_soon_sent_for: date | None = None
    overdue_sent_for: date | None = None
    half_time_sent_for: date | None = None
    due_soon_sent_at: Instant | None = None
    overdue_sent_at: Instant | None = None
    half_time_sent_at: Instant | None = None
    reminders: list[ReminderRecord] = []  # 催办 records, oldest first
    deputy: str | None = None  # a suggestion's lead deputy (领衔代表), from case.assigned: who evaluates


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
        case_number=event.case_number,
        category=event.category,
        channel=event.channel,
        received_at=event.received_at,
        deputy=event.deputy,
    )


NOTICES = ("due_soon", "overdue", "half_time")
KEPT_ACROSS_ASSIGNMENTS = (
    "version",
    "reminders",
    *(f"{notice}_sent_{what}" for notice in NOTICES for what in ("for", "at")),
)


def assigned(case: WatchedCase, event: CaseAssigned) -> WatchedCase:
    """An assignment, the first or a later one, sets the units and a new deadline; the 催办 records
    and which deadline each notice went for stay (a new due date re-arms them)."""
    return watch(event).model_copy(update={name: getattr(case, name) for name in KEPT_ACROSS_ASSIGNMENTS})


def accepted(case: WatchedCase, event: CaseAccepted) -> WatchedCase:
    return case.model_copy(update={"status": CaseStatus.ACCEPTED})


def is_overdue(case: WatchedCase, today: date) -> bool:
    """Due on the due date itself; overdue from the day after while still open and its clock running."""
    return case.status in OPEN_STATUSES and not case.paused and today > case.due_date


# ---- the lifecycle's events (routing's case.*): each a pure change of the watched case ----


def returned(case: WatchedCase, event: CaseReturned) -> WatchedCase:
    """Back to triage: no unit's deadline runs until the next assignment sets a new one."""
    return case.model_copy(update={"status": CaseStatus.RETURNED, "paused": False, "extension_pending": False})


def replied(case: WatchedCase, event: CaseReplied) -> WatchedCase:
    """Answered: no longer counted as overdue."""
    return case.model_copy(
        update={
            "status": CaseStatus.REPLIED,
            "paused": False,
            "replies": case.replies + 1,
            "replied_at": event.reply.replied_at,
        }
    )


def reopened(case: WatchedCase, event: CaseReopened) -> WatchedCase:
    """Re-handled after an unsatisfied evaluation: open again, on its new deadline."""
    return case.model_copy(update={"status": CaseStatus.REOPENED, "due_date": event.due_date, "paused": False})


def closed(case: WatchedCase, event: CaseClosed) -> WatchedCase:
    return case.model_copy(update={"status": CaseStatus.CLOSED, "paused": False, "closed_at": event.at})


def escalated(case: WatchedCase, event: CaseEscalated) -> WatchedCase:
    """阶梯跟进: the case is in the parent division's queue now."""
    return case.model_copy(update={"status": CaseStatus.ESCALATED, "division": event.division, "paused": False})


def paused(case: WatchedCase, event: CasePaused) -> WatchedCase:
    return case.model_copy(update={"paused": True})


def resumed(case: WatchedCase, event: CaseResumed) -> WatchedCase:
    """The due date moved on by the paused working days."""
    return case.model_copy(update={"paused": False, "due_date": event.due_date or case.due_date})


def extension_requested(case: WatchedCase, event: CaseExtensionRequested) -> WatchedCase:
    return case.model_copy(update={"extension_pending": True})


def extension_decided(case: WatchedCase, event: CaseExtensionDecided) -> WatchedCase:
    due = event.due_date if event.approved and event.due_date else case.due_date
    return case.model_copy(update={"extension_pending": False, "due_date": due})


def co_opinion_sent(case: WatchedCase, event: CaseCoOpinionSent) -> WatchedCase:
    return case.model_copy(
        update={"co_opinions": case.co_opinions + 1, "late_co_opinions": case.late_co_opinions + event.late}
    )


def progress_recorded(case: WatchedCase, event: CaseProgressRecorded) -> WatchedCase:
    return case.model_copy(update={"last_progress_at": event.at})


def meeting_recorded(case: WatchedCase, event: CaseMeetingRecorded) -> WatchedCase:
    """三见面: supervision counts the meetings (at least three are expected)."""
    return case.model_copy(update={"meetings": case.meetings + 1})


def merged(case: WatchedCase) -> WatchedCase:
    """合并处置: the case is handled as its group's primary, so its own deadline is no longer watched."""
    return case.model_copy(update={"status": CaseStatus.MERGED})


def evaluated(case: WatchedCase, rating: Rating) -> WatchedCase:
    """The latest 满意度测评, shown on the public ledger."""
    return case.model_copy(update={"rating": rating})
