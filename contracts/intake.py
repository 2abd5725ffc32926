"""intake's contracts: the submission command, its event, the opinion views and the directory."""

from datetime import date, datetime
from typing import ClassVar

from pydantic import BaseModel, Field

from contracts.message import Message
from contracts.routing import Transition, UnitRef
from contracts.vocabulary import CaseStatus, Channel, DivisionCode, EntityId


class SealedContact(BaseModel):
    """A citizen's name and phone, encrypted by `infra.pii` before it leaves the gateway."""

    key_id: str
    nonce: str
    ciphertext: str
    phone_hash: str | None = None


class SubmitOpinion(Message):
    """Command from the gateway: store this citizen's opinion. Durable before the 202."""

    TYPE: ClassVar[str] = "opinion.submit"
    SOURCE: ClassVar[str] = "gateway"

    tracking_code: str
    division: DivisionCode
    channel: Channel
    content: str
    submitted_at: datetime
    contact: SealedContact | None = None


class OpinionReceived(Message):
    TYPE: ClassVar[str] = "opinion.received"
    SOURCE: ClassVar[str] = "intake"

    tracking_code: str
    division: DivisionCode
    channel: Channel
    content: str
    submitted_at: datetime
    has_contact: bool


class PublicOpinionView(BaseModel):
    """What anyone holding the tracking code may see: never the citizen's name or phone."""

    tracking_code: str
    division: str
    channel: Channel
    content: str
    submitted_at: datetime
    status: CaseStatus
    lead_unit: UnitRef | None = None
    co_units: list[UnitRef] = Field(default_factory=list)
    due_date: date | None = None
    calendar_fallback: bool = False
    history: list[Transition]


class ContactView(BaseModel):
    name: str | None = None
    phone: str | None = None
    masked: bool


class StaffOpinionView(PublicOpinionView):
    """For staff in the item's division: the citizen's contact, masked unless the role calls back."""

    contact: ContactView | None = None


class StationIn(BaseModel):
    """A deputies' liaison station (代表联络站) or township congress presidium office."""

    id: EntityId
    name: str = Field(min_length=1, max_length=100, examples=["硖石街道人大代表联络站"])
    division: DivisionCode
    address: str = Field(default="", max_length=200)
    reception_day: str = Field(default="", max_length=50, description="e.g. 每周二 代表有约")


class DeputyIn(BaseModel):
    id: EntityId
    name: str = Field(min_length=1, max_length=50, examples=["张伟"])
    division: DivisionCode
    station_id: str
    level: str = Field(default="county", pattern=r"^(national|provincial|municipal|county|township)$")


class StationView(BaseModel):
    id: str
    name: str
    division: str
    address: str
    reception_day: str
    deputies: list[str]
