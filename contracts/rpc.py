"""Payloads of RPC calls between the gateway and the services."""

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field

from contracts.events import Transition, UnitRef
from contracts.vocabulary import CaseStatus, Channel


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


class CaseSummary(BaseModel):
    case_id: str
    division: str
    channel: Channel
    status: CaseStatus
    lead_unit: UnitRef | None = None
    due_date: date | None = None
    received_at: datetime
    history: list[Transition]


class UnitIn(BaseModel):
    id: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str = Field(min_length=1, max_length=100)
    division: str


class RoutingRuleIn(BaseModel):
    """Items of `division` (and below) whose content contains any keyword go to `lead_unit`.

    A rule with no keywords is the division's default.
    """

    division: str
    keywords: list[Annotated[str, Field(min_length=1, max_length=30)]] = Field(default_factory=list, max_length=100)
    lead_unit: str = Field(min_length=1, max_length=64)
    co_units: list[str] = Field(default_factory=list, max_length=10)
    priority: int = Field(default=100, ge=0, le=10_000)


class DeadlineView(BaseModel):
    case_id: str
    division: str
    lead_unit: UnitRef
    assigned_at: datetime
    due_date: date
    calendar_fallback: bool
    status: CaseStatus
    overdue: bool


class NotificationView(BaseModel):
    id: str
    recipient: str
    division: str
    kind: str
    title: str
    body: str
    created_at: datetime
    case_id: str | None = None


class StationIn(BaseModel):
    """A deputies' liaison station (代表联络站) or township congress presidium office."""

    id: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str = Field(min_length=1, max_length=100)
    division: str
    address: str = Field(default="", max_length=200)
    reception_day: str = Field(default="", max_length=50, description="e.g. 每周二 代表有约")


class DeputyIn(BaseModel):
    id: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str = Field(min_length=1, max_length=50)
    division: str
    station_id: str
    level: str = Field(default="county", pattern=r"^(national|provincial|municipal|county|township)$")


class StationView(BaseModel):
    id: str
    name: str
    division: str
    address: str
    reception_day: str
    deputies: list[str]


class CalendarDayIn(BaseModel):
    """A county's own working-day decision for one date, overriding the national schedule."""

    division: str
    day: date
    workday: bool
    reason: str = Field(min_length=1, max_length=100, description="e.g. 防汛调休, 地方节日")
