"""routing's contracts: its events about cases, the answers of its RPCs and the inputs they take."""

from datetime import date, datetime
from typing import Annotated, ClassVar

from pydantic import BaseModel, Field

from contracts.message import Message
from contracts.vocabulary import CaseStatus, Channel, DivisionCode, EntityId


class UnitRef(BaseModel):
    id: str
    name: str


class Transition(BaseModel):
    status: CaseStatus
    at: datetime
    actor: str
    reason: str = ""


class CaseAssigned(Message):
    TYPE: ClassVar[str] = "case.assigned"
    SOURCE: ClassVar[str] = "routing"

    case_id: str
    division: DivisionCode
    lead_unit: UnitRef
    co_units: list[UnitRef] = Field(default_factory=list)
    assigned_at: datetime
    due_date: date
    working_days: int
    calendar_fallback: bool
    transitions: list[Transition]


class CaseAccepted(Message):
    """签收: the lead unit signed for the case; handling has begun."""

    TYPE: ClassVar[str] = "case.accepted"
    SOURCE: ClassVar[str] = "routing"

    case_id: str
    division: DivisionCode
    unit: UnitRef
    accepted_at: datetime
    transitions: list[Transition]


class CaseView(BaseModel):
    """A case as staff see it; `version` is what an action's `expected_version` refers to."""

    case_id: str
    case_number: str | None = None
    division: str
    channel: Channel
    category: str | None = None
    status: CaseStatus
    lead_unit: UnitRef | None = None
    co_units: list[UnitRef] = Field(default_factory=list)
    due_date: date | None = None
    deadline_policy: str = Field(
        default="working_days", description="working_days（群众意见，工作日）或 statutory（代表建议，法定三个月）"
    )
    received_at: datetime
    history: list[Transition]
    version: int


class AcceptCaseIn(BaseModel):
    """签收. `expected_version`, when given, must be the case's current version, or nothing changes (409)."""

    expected_version: int | None = Field(default=None, ge=1, examples=[2])


class UnitIn(BaseModel):
    id: EntityId
    name: str = Field(min_length=1, max_length=100, examples=["海宁市交通运输局"])
    division: DivisionCode


class RoutingRuleIn(BaseModel):
    """Items of `division` (and below) whose content contains any keyword, and whose category is one
    of `categories`, go to `lead_unit`. A rule with neither keywords nor categories is the default.
    """

    division: DivisionCode
    keywords: list[Annotated[str, Field(min_length=1, max_length=30)]] = Field(default_factory=list, max_length=100)
    categories: list[Annotated[str, Field(min_length=1, max_length=20)]] = Field(
        default_factory=list, max_length=50, examples=[["道路交通"]]
    )
    lead_unit: str = Field(min_length=1, max_length=64)
    co_units: list[str] = Field(default_factory=list, max_length=10)
    priority: int = Field(default=100, ge=0, le=10_000)


class CalendarDayIn(BaseModel):
    """A county's own working-day decision for one date, overriding the national schedule."""

    division: DivisionCode
    day: date
    workday: bool
    reason: str = Field(min_length=1, max_length=100, description="e.g. 防汛调休, 地方节日")
