"""What statistics need to know of one case, changed by each event as a pure function.

A case counts from its first assignment, in the month of it (交办月份). Its reply facts (class,
completed, resolved, on time) are those of its latest reply: a case reopened after an unsatisfied
evaluation (再办理) stays replied, and its next reply replaces them, on time or late against the new
deadline. Its evaluation is the latest one: an unsatisfied rating counts until a later one replaces
it. Where it comes from (channel, category, deputy) arrives from intake or with the assignment,
in whichever order; the counters follow (services/supervision/statistics/counters.py).
"""

from datetime import date

from pydantic import BaseModel

from contracts.intake.opinions import OpinionReceived, ReceiverKind
from contracts.intake.suggestions import SuggestionAccepted
from contracts.routing import (
    CaseAssigned,
    CaseClosed,
    CaseEscalated,
    CaseExtensionDecided,
    CaseMeetingRecorded,
    CasePaused,
    CaseReopened,
    CaseReplied,
    CaseResumed,
    CaseReturned,
    ReplyRecord,
    UnitRef,
)
from contracts.supervision import EvaluationRecorded
from contracts.vocabulary import CaseStatus
from infra.clock import local_date

OPEN = frozenset({CaseStatus.ASSIGNED, CaseStatus.ACCEPTED, CaseStatus.REOPENED})


class Deputy(BaseModel):
    id: str
    name: str


class StatCase(BaseModel):
    case_id: str
    division: str
    month: str | None = None
    status: CaseStatus | None = None
    lead_unit: UnitRef | None = None
    channel: str | None = None
    category: str | None = None
    deputy: Deputy | None = None
    due_date: date | None = None
    paused: bool = False
    overdue: bool = False
    replied: bool = False
    result_class: str | None = None
    completed: bool = False
    resolved: bool = False
    on_time: bool = False
    deputy_meetings: int = 0
    rating: str | None = None
    rating_round: int = 0
    returns: dict[str, int] = {}
    unit_names: dict[str, str] = {}
    reopened: int = 0

    @property
    def counted(self) -> bool:
        """Assigned at least once and not merged into another case (合并处置: the primary counts)."""
        return self.month is not None and self.status is not CaseStatus.MERGED


def blank(case_id: str, division: str) -> StatCase:
    return StatCase(case_id=case_id, division=division)


def with_overdue(case: StatCase, today: date) -> StatCase:
    """Overdue means open, its clock running and past the due date, as of `today`."""
    late = case.status in OPEN and not case.paused and case.due_date is not None and today > case.due_date
    return case if late == case.overdue else case.model_copy(update={"overdue": late})


# ---- where it comes from (intake) ----


def opinion_received(case: StatCase, event: OpinionReceived) -> StatCase:
    deputy = None
    if event.receiver is not None and event.receiver.kind is ReceiverKind.DEPUTY and event.receiver.id:
        deputy = Deputy(id=event.receiver.id, name=event.receiver.name)
    return case.model_copy(
        update={"channel": event.channel.value, "category": event.category or case.category, "deputy": deputy}
    )


def suggestion_accepted(case: StatCase, event: SuggestionAccepted) -> StatCase:
    """A suggestion counts for its lead deputy (领衔代表), the first of its deputies."""
    lead = event.deputies[0] if event.deputies else None
    deputy = Deputy(id=lead.id, name=lead.name) if lead else None
    return case.model_copy(update={"channel": event.channel.value, "deputy": deputy})


# ---- the lifecycle (routing) and the evaluation ----


def assigned(case: StatCase, event: CaseAssigned) -> StatCase:
    """A first or later assignment: the lead unit and deadline are the latest; the month the first."""
    update = {
        "division": event.division,
        "month": case.month or local_date(event.assigned_at).strftime("%Y-%m"),
        "status": CaseStatus.ASSIGNED,
        "lead_unit": event.lead_unit,
        "due_date": event.due_date,
        "paused": False,
        "unit_names": {**case.unit_names, event.lead_unit.id: event.lead_unit.name},
    }
    if event.channel is not None:
        update["channel"] = case.channel or event.channel.value
    if event.category:
        update["category"] = event.category
    return case.model_copy(update=update)


def status(new: CaseStatus):
    def change(case: StatCase, event) -> StatCase:
        return case.model_copy(update={"status": new})

    return change


def replied(case: StatCase, event: CaseReplied) -> StatCase:
    return with_reply(case, event.reply, CaseStatus.REPLIED)


def closed(case: StatCase, event: CaseClosed) -> StatCase:
    if event.reply is not None and not case.replied:
        return with_reply(case, event.reply, CaseStatus.CLOSED)
    return case.model_copy(update={"status": CaseStatus.CLOSED})


def with_reply(case: StatCase, reply: ReplyRecord, new: CaseStatus) -> StatCase:
    on_time = case.due_date is None or local_date(reply.replied_at) <= case.due_date
    return case.model_copy(
        update={
            "status": new,
            "replied": True,
            "result_class": reply.result_class,
            "completed": reply.completed,
            "resolved": reply.resolved,
            "on_time": on_time,
            "paused": False,
        }
    )


def returned(case: StatCase, event: CaseReturned) -> StatCase:
    returns = {**case.returns, event.unit.id: case.returns.get(event.unit.id, 0) + 1}
    names = {**case.unit_names, event.unit.id: event.unit.name}
    return case.model_copy(update={"status": CaseStatus.RETURNED, "returns": returns, "unit_names": names})


def reopened(case: StatCase, event: CaseReopened) -> StatCase:
    return case.model_copy(
        update={"status": CaseStatus.REOPENED, "due_date": event.due_date, "reopened": case.reopened + 1}
    )


def escalated(case: StatCase, event: CaseEscalated) -> StatCase:
    """阶梯跟进: the case counts in the parent division from now on."""
    return case.model_copy(update={"status": CaseStatus.ESCALATED, "division": event.division})


def paused(case: StatCase, event: CasePaused) -> StatCase:
    return case.model_copy(update={"paused": True})


def resumed(case: StatCase, event: CaseResumed) -> StatCase:
    return case.model_copy(update={"paused": False, "due_date": event.due_date or case.due_date})


def extension_decided(case: StatCase, event: CaseExtensionDecided) -> StatCase:
    if event.approved and event.due_date:
        return case.model_copy(update={"due_date": event.due_date})
    return case


def meeting_recorded(case: StatCase, event: CaseMeetingRecorded) -> StatCase:
    """面商: only a meeting with the deputy counts (DOMAIN.md: ≥1 recorded meeting with the deputy)."""
    if event.met != "deputy":
        return case
    return case.model_copy(update={"deputy_meetings": case.deputy_meetings + 1})


def merged(case: StatCase, event) -> StatCase:
    return case.model_copy(update={"status": CaseStatus.MERGED})


def evaluation_recorded(case: StatCase, event: EvaluationRecorded) -> StatCase:
    """The latest reply's evaluation stands; an older round's arriving late changes nothing."""
    if event.round < case.rating_round:
        return case
    return case.model_copy(update={"rating": event.rating.value, "rating_round": event.round})
