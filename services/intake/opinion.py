"""An opinion from receipt to the citizen's view of its progress.

Intake keeps its own read model of the case's progress, fed by routing's events, so a citizen's
tracking-code lookup needs no other service.
"""

import hmac
from datetime import date, datetime

from pydantic import BaseModel

from contracts.intake.opinions import (
    ChannelDetails,
    ContactErased,
    Location,
    OpinionReceived,
    Origin,
    Receiver,
    SealedContact,
    SubmitOpinion,
)
from contracts.routing import (
    CaseAccepted,
    CaseAssigned,
    CaseClosed,
    CaseEscalated,
    CaseExtensionDecided,
    CasePaused,
    CaseReopened,
    CaseReplied,
    CaseResumed,
    CaseReturned,
    ReplyRecord,
    Transition,
    UnitRef,
)
from contracts.supervision import EvaluationRecorded, Rating
from contracts.vocabulary import CaseStatus, Channel, Instant, Role

# The staff who call the citizen back see the contact in full; everyone else sees it masked.
CALLS_BACK = frozenset({Role.STATION, Role.INFO_OFFICER})


class Opinion(BaseModel):
    tracking_code: str
    case_number: str | None = None
    division: str
    channel: Channel
    content: str
    submitted_at: Instant
    category: str | None = None
    details: ChannelDetails | None = None
    receiver: Receiver | None = None
    origin: Origin | None = None
    location: Location | None = None
    photos: list[str] = []
    entered_by: str | None = None
    contact: SealedContact | None = None
    contact_erased: bool = False
    erase_attempts: int = 0
    status: CaseStatus
    lead_unit: UnitRef | None = None
    co_units: list[UnitRef] = []
    due_date: date | None = None
    calendar_fallback: bool = False
    reply: ReplyRecord | None = None
    paused: bool = False
    evaluation: str | None = None  # the latest reply's rating (满意度测评), from supervision
    history: list[Transition]
    follows: str | None = None  # 合并处置 by hand: the primary case whose outcome this item follows (case.merged)
    version: int = 0


def external_key(command: SubmitOpinion) -> str | None:
    """A county system's own id for the item, unique per division and system: an import or Open311
    request sent twice is stored once."""
    details = command.details
    if details is None or details.channel is not Channel.COUNTY_SYSTEM:
        return None
    return f"{command.division}|{details.system}|{details.external_id}"


def case_number(division: str, year: int, sequence: int) -> str:
    """330481-2026-000123: the county, the year of receipt, the county's sequence in that year."""
    return f"{division[:6]}-{year}-{sequence:06d}"


def receive(
    command: SubmitOpinion, receiver: Receiver | None = None, number: str | None = None
) -> tuple[Opinion, OpinionReceived]:
    opinion = Opinion(
        tracking_code=command.tracking_code,
        case_number=number,
        division=command.division,
        channel=command.channel,
        content=command.content,
        submitted_at=command.submitted_at,
        category=command.category,
        details=command.details,
        receiver=receiver,
        origin=Origin(division=command.division, grid_id=command.grid_id),
        location=command.location,
        photos=command.photos,
        entered_by=command.entered_by,
        contact=command.contact,
        status=CaseStatus.RECEIVED,
        history=[
            Transition(
                status=CaseStatus.RECEIVED, at=command.submitted_at, actor=f"channel:{command.channel}", reason="已受理"
            )
        ],
    )
    event = OpinionReceived(
        tracking_code=opinion.tracking_code,
        case_number=opinion.case_number,
        division=opinion.division,
        channel=opinion.channel,
        content=opinion.content,
        submitted_at=opinion.submitted_at,
        has_contact=command.contact is not None,
        category=opinion.category,
        receiver=opinion.receiver,
        origin=opinion.origin,
        photos=opinion.photos,
    )
    return opinion, event


def assigned(opinion: Opinion, event: CaseAssigned) -> Opinion:
    """The citizen sees who handles the item and by when."""
    return opinion.model_copy(
        update={
            "status": CaseStatus.ASSIGNED,
            "lead_unit": event.lead_unit,
            "co_units": event.co_units,
            "due_date": event.due_date,
            "calendar_fallback": event.calendar_fallback,
            "history": [*opinion.history, *event.transitions],
        }
    )


def accepted(opinion: Opinion, event: CaseAccepted) -> Opinion:
    """The citizen sees that the unit has signed for the item."""
    return opinion.model_copy(update={"status": CaseStatus.ACCEPTED, "history": [*opinion.history, *event.transitions]})


def public_step(status: CaseStatus, at: datetime, actor: str, reason: str) -> Transition:
    """What the citizen's history shows of a step: its status and a public wording, never staff notes."""
    return Transition(status=status, at=at, actor=actor, reason=reason)


def returned(opinion: Opinion, event: CaseReturned) -> Opinion:
    """退回: the item waits to be assigned again; the unit's own reason stays with staff."""
    step = public_step(CaseStatus.RETURNED, event.at, f"unit:{event.unit.id}", "承办单位退回，重新分办中")
    return opinion.model_copy(
        update={
            "status": CaseStatus.RETURNED,
            "lead_unit": None,
            "co_units": [],
            "due_date": None,
            "paused": False,
            "history": [*opinion.history, step],
        }
    )


def replied(opinion: Opinion, event: CaseReplied) -> Opinion:
    """答复: the citizen reads the reply and its class."""
    return opinion.model_copy(
        update={"status": CaseStatus.REPLIED, "reply": event.reply, "history": [*opinion.history, *event.transitions]}
    )


def paused(opinion: Opinion, event: CasePaused) -> Opinion:
    return opinion.model_copy(update={"paused": True, "history": [*opinion.history, *event.transitions]})


def resumed(opinion: Opinion, event: CaseResumed) -> Opinion:
    """The clock runs again; the due date moved by the paused working days."""
    return opinion.model_copy(
        update={"paused": False, "due_date": event.due_date, "history": [*opinion.history, *event.transitions]}
    )


def extension_decided(opinion: Opinion, event: CaseExtensionDecided) -> Opinion:
    """An approved extension moves the due date the citizen sees; the supervisor's note stays with staff."""
    if not event.approved:
        return opinion
    step = public_step(opinion.status, event.at, "supervisor", f"经批准延期，答复期限顺延至 {event.due_date}")
    return opinion.model_copy(update={"due_date": event.due_date, "history": [*opinion.history, step]})


def closed(opinion: Opinion, event: CaseClosed) -> Opinion:
    """办结 (or answered on the spot, with its reply)."""
    return opinion.model_copy(
        update={
            "status": CaseStatus.CLOSED,
            "reply": event.reply or opinion.reply,
            "paused": False,
            "history": [*opinion.history, *event.transitions],
        }
    )


def reopened(opinion: Opinion, event: CaseReopened) -> Opinion:
    """不满意件再办理: the same units handle it again by a new due date."""
    step = public_step(CaseStatus.REOPENED, event.at, "routing", f"不满意件再办理，{event.due_date} 前重新答复")
    return opinion.model_copy(
        update={"status": CaseStatus.REOPENED, "due_date": event.due_date, "history": [*opinion.history, step]}
    )


def escalated(opinion: Opinion, event: CaseEscalated) -> Opinion:
    """阶梯跟进: the item waits in the parent division's queue; the station's reason stays with staff."""
    step = public_step(CaseStatus.ESCALATED, event.at, "routing", f"阶梯跟进，提交上级（{event.division}）协调办理")
    return opinion.model_copy(
        update={
            "status": CaseStatus.ESCALATED,
            "lead_unit": None,
            "co_units": [],
            "due_date": None,
            "paused": False,
            "history": [*opinion.history, step],
        }
    )


def reveals_contact(role: Role) -> bool:
    return role in CALLS_BACK


def proves_submitter(opinion: Opinion, contact: dict | None, last_four: str) -> bool:
    """The citizen proves the item is theirs with the last four digits of the phone they gave."""
    phone = (contact or {}).get("phone") or ""
    return len(phone) >= 4 and hmac.compare_digest(phone[-4:], last_four)


def evaluation_recorded(opinion: Opinion, event: EvaluationRecorded) -> Opinion:
    """满意度测评: the citizen sees the rating; a satisfied reply is evaluated, an unsatisfied one
    becomes reopened when routing says so (case.reopened), or stays evaluated once the re-handling
    limit is reached (`reopen` false: supervision's key list takes it on)."""
    update: dict = {"evaluation": event.rating.value}
    settled = event.rating is not Rating.UNSATISFIED or not event.reopen
    if settled and opinion.status is CaseStatus.REPLIED:
        step = public_step(CaseStatus.EVALUATED, event.at, "supervision", "满意度测评 (evaluated)")
        update |= {"status": CaseStatus.EVALUATED, "history": [*opinion.history, step]}
    return opinion.model_copy(update=update)


def erase_contact(opinion: Opinion, now: datetime) -> tuple[Opinion, ContactErased]:
    """PIPL 删除权: the item stays, anonymised; every service holding a copy is told."""
    erased = opinion.model_copy(update={"contact": None, "contact_erased": True})
    return erased, ContactErased(tracking_code=opinion.tracking_code, division=opinion.division, erased_at=now)


def failed_proof(opinion: Opinion) -> Opinion:
    return opinion.model_copy(update={"erase_attempts": opinion.erase_attempts + 1})
