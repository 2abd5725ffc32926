"""Events (past tense) and commands (imperative), each with its wire name, version and source.

A handler subscribes by model (`durable_event_handler(CaseAssigned)`), so the name, the
publishing service and the payload schema are written once, here.
"""

from datetime import date, datetime
from typing import ClassVar

from pydantic import BaseModel, Field

from contracts.envelope import Envelope
from contracts.vocabulary import CaseStatus, Channel


class Message(BaseModel):
    TYPE: ClassVar[str]
    VERSION: ClassVar[int] = 1
    SOURCE: ClassVar[str]

    def envelope(self, division: str, correlation_id: str) -> Envelope:
        return Envelope(
            type=self.TYPE,
            version=self.VERSION,
            division=division,
            correlation_id=correlation_id,
            payload=self.model_dump(mode="json"),
        )

    @classmethod
    def from_wire(cls, body: dict) -> tuple[Envelope, "Message"]:
        """Parses a message as it came off the broker: the envelope, then this payload model."""
        envelope = Envelope.model_validate(body)
        return envelope, cls.from_envelope(envelope)

    @classmethod
    def from_envelope(cls, envelope: Envelope) -> "Message":
        if envelope.type != cls.TYPE or envelope.version != cls.VERSION:
            raise ValueError(f"expected {cls.TYPE} v{cls.VERSION}, got {envelope.type} v{envelope.version}")
        return cls.model_validate(envelope.payload)


class SealedContact(BaseModel):
    """A citizen's name and phone, encrypted by `infra.pii` before it leaves the gateway."""

    key_id: str
    nonce: str
    ciphertext: str
    phone_hash: str | None = None


class UnitRef(BaseModel):
    id: str
    name: str


class Transition(BaseModel):
    status: CaseStatus
    at: datetime
    actor: str
    reason: str = ""


class SubmitOpinion(Message):
    """Command from the gateway: store this citizen's opinion. Durable before the 202."""

    TYPE: ClassVar[str] = "opinion.submit"
    SOURCE: ClassVar[str] = "gateway"

    tracking_code: str
    division: str
    channel: Channel
    content: str
    submitted_at: datetime
    contact: SealedContact | None = None


class OpinionReceived(Message):
    TYPE: ClassVar[str] = "opinion.received"
    SOURCE: ClassVar[str] = "intake"

    tracking_code: str
    division: str
    channel: Channel
    content: str
    submitted_at: datetime
    has_contact: bool


class CaseAssigned(Message):
    TYPE: ClassVar[str] = "case.assigned"
    SOURCE: ClassVar[str] = "routing"

    case_id: str
    division: str
    lead_unit: UnitRef
    co_units: list[UnitRef] = Field(default_factory=list)
    assigned_at: datetime
    due_date: date
    working_days: int
    calendar_fallback: bool
    transitions: list[Transition]
