"""An opinion from receipt to the citizen's view of its progress.

Intake keeps its own read model of the case's progress, fed by routing's events, so a citizen's
tracking-code lookup needs no other service.
"""

from datetime import date, datetime

from pydantic import BaseModel

from contracts.events import CaseAssigned, OpinionReceived, SealedContact, SubmitOpinion, Transition, UnitRef
from contracts.rpc import ContactView, PublicOpinionView, StaffOpinionView
from contracts.vocabulary import CaseStatus, Channel
from infra.pii import mask_name, mask_phone


class Opinion(BaseModel):
    tracking_code: str
    division: str
    channel: Channel
    content: str
    submitted_at: datetime
    contact: SealedContact | None = None
    status: CaseStatus
    lead_unit: UnitRef | None = None
    co_units: list[UnitRef] = []
    due_date: date | None = None
    calendar_fallback: bool = False
    history: list[Transition]


def receive(command: SubmitOpinion) -> tuple[Opinion, OpinionReceived]:
    opinion = Opinion(
        tracking_code=command.tracking_code,
        division=command.division,
        channel=command.channel,
        content=command.content,
        submitted_at=command.submitted_at,
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
        division=opinion.division,
        channel=opinion.channel,
        content=opinion.content,
        submitted_at=opinion.submitted_at,
        has_contact=command.contact is not None,
    )
    return opinion, event


def assignment_changes(event: CaseAssigned) -> dict:
    """The fields an assignment sets on the opinion's progress view."""
    return {
        "status": CaseStatus.ASSIGNED.value,
        "lead_unit": event.lead_unit.model_dump(),
        "co_units": [unit.model_dump() for unit in event.co_units],
        "due_date": event.due_date.isoformat(),
        "calendar_fallback": event.calendar_fallback,
    }


def public_view(opinion: Opinion) -> PublicOpinionView:
    return PublicOpinionView.model_validate(opinion.model_dump(exclude={"contact"}))


def staff_view(opinion: Opinion, contact: dict | None, reveal: bool) -> StaffOpinionView:
    """`contact` is the decrypted name and phone; masked unless `reveal` (the staff who call back)."""
    shown = None
    if contact is not None:
        name, phone = contact.get("name"), contact.get("phone")
        if not reveal:
            name, phone = name and mask_name(name), phone and mask_phone(phone)
        shown = ContactView(name=name, phone=phone, masked=not reveal)
    return StaffOpinionView.model_validate({**opinion.model_dump(exclude={"contact"}), "contact": shown})
