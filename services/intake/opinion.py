"""An opinion from receipt to the citizen's view of its progress.

Intake keeps its own read model of the case's progress, fed by routing's events, so a citizen's
tracking-code lookup needs no other service.
"""

from datetime import date

from pydantic import BaseModel

from contracts.intake.opinions import OpinionReceived, SealedContact, SubmitOpinion
from contracts.routing import CaseAccepted, CaseAssigned, Transition, UnitRef
from contracts.vocabulary import CaseStatus, Channel, Instant, Role

# The staff who call the citizen back see the contact in full; everyone else sees it masked.
CALLS_BACK = frozenset({Role.STATION, Role.INFO_OFFICER})


class Opinion(BaseModel):
    tracking_code: str
    division: str
    channel: Channel
    content: str
    submitted_at: Instant
    contact: SealedContact | None = None
    status: CaseStatus
    lead_unit: UnitRef | None = None
    co_units: list[UnitRef] = []
    due_date: date | None = None
    calendar_fallback: bool = False
    history: list[Transition]
    version: int = 0


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


def reveals_contact(role: Role) -> bool:
    return role in CALLS_BACK
