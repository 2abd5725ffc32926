"""A case from triage to its handling unit's signature: the rules, as pure functions.

Citizen items are due in 15 working days (惠城 限时办理制); assignment happens on acceptance.
Each rule returns a `Decision`: the case as it now is and the events the change causes.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from pydantic import BaseModel

from contracts.actor import Actor
from contracts.errors import ErrorCode, ServiceError
from contracts.message import Message
from contracts.routing import CaseAccepted, CaseAssigned, Transition, UnitRef
from contracts.vocabulary import CaseStatus, Channel, Instant
from infra.clock import local_date
from services.routing.calendar import Deadline, WorkingCalendar
from services.routing.lifecycle import move

CITIZEN_ITEM_WORKING_DAYS = 15
ACTOR = "routing"


class Case(BaseModel):
    case_id: str
    case_number: str | None = None
    division: str
    channel: Channel
    category: str | None = None
    content: str
    status: CaseStatus
    received_at: Instant
    lead_unit: UnitRef | None = None
    co_units: list[UnitRef] = []
    assigned_at: Instant | None = None
    due_date: date | None = None
    calendar_fallback: bool = False
    deadline_policy: str = "working_days"  # "statutory" for a deputy suggestion (services/routing/suggestion_case.py)
    history: list[Transition]
    version: int = 0


@dataclass(frozen=True)
class Decision:
    case: Case
    events: list[Message] = field(default_factory=list)


def assign(case: Case, lead: UnitRef, co_units: list[UnitRef], calendar: WorkingCalendar, now: datetime) -> Decision:
    """交办: the lead unit and co-handling units get the case, due in 15 working days from today."""
    deadline = calendar.add_working_days(local_date(now), CITIZEN_ITEM_WORKING_DAYS)
    return hand_over(case, lead, co_units, deadline, f"交办 {lead.name}，{deadline.working_days} 个工作日内答复", now)


def hand_over(
    case: Case, lead: UnitRef, co_units: list[UnitRef], deadline: Deadline, reason: str, now: datetime
) -> Decision:
    """The case assigned to its units under `deadline`, whatever policy set it, and `case.assigned`."""
    assigned = move(case.status, CaseStatus.ASSIGNED, ACTOR, reason, now)
    case = case.model_copy(
        update={
            "status": CaseStatus.ASSIGNED,
            "lead_unit": lead,
            "co_units": co_units,
            "assigned_at": now,
            "due_date": deadline.due_date,
            "calendar_fallback": deadline.calendar_fallback,
            "history": [*case.history, assigned],
        }
    )
    event = CaseAssigned(
        case_id=case.case_id,
        division=case.division,
        lead_unit=lead,
        co_units=co_units,
        assigned_at=now,
        due_date=deadline.due_date,
        working_days=deadline.working_days,
        calendar_fallback=deadline.calendar_fallback,
        transitions=case.history[-2:],
    )
    return Decision(case, [event])


def accept(case: Case, actor: Actor, now: datetime) -> Decision:
    """签收: the lead unit signs for its assignment; from then on it is handling the case."""
    if case.lead_unit is None or actor.unit != case.lead_unit.id:
        raise ServiceError(
            ErrorCode.FORBIDDEN, "只有主办单位可以签收此案件 (only the case's lead unit may sign for it)", "unit"
        )
    accepted = move(case.status, CaseStatus.ACCEPTED, actor.ref, f"{case.lead_unit.name} 签收", now)
    case = case.model_copy(update={"status": CaseStatus.ACCEPTED, "history": [*case.history, accepted]})
    event = CaseAccepted(
        case_id=case.case_id, division=case.division, unit=case.lead_unit, accepted_at=now, transitions=[accepted]
    )
    return Decision(case, [event])


def merge(case: Case, primary: str, actor: str, at: datetime) -> Case:
    """合并处置: a near-duplicate's case is `merged` into the primary's and handled as that one.

    A case the lifecycle does not let become `merged` (already merged, or too far along) stays as
    it is; so does the primary's own.
    """
    if case.case_id == primary or case.status is CaseStatus.MERGED:
        return case
    try:
        step = move(case.status, CaseStatus.MERGED, actor, f"合并至 {primary} 一并办理 (merged into {primary})", at)
    except ServiceError:
        return case
    return case.model_copy(update={"status": CaseStatus.MERGED, "history": [*case.history, step]})
