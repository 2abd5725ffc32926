"""回头看 (follow-up reviews): promised work is checked at its promised date and a sample of completed
replies later; when reality falls short, a rectification order (责成整改) reopens the case."""

from datetime import date, datetime
from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from contracts.message import Message
from contracts.routing import UnitRef
from contracts.vocabulary import DivisionCode


class ReviewKind(StrEnum):
    PROMISED = "promised"  # 答复承诺解决事项: at the promised date
    SAMPLE = "sample"  # 抽查: a sample of completed replies


class ReviewState(StrEnum):
    SCHEDULED = "scheduled"
    DUE = "due"
    KEPT = "kept"  # 已落实
    FELL_SHORT = "fell_short"  # 未落实，责成整改


class ReviewOutcome(StrEnum):
    KEPT = "kept"
    FELL_SHORT = "fell_short"


class ReviewOutcomeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: ReviewOutcome = Field(examples=["fell_short"])
    visited_on: date = Field(examples=["2027-04-02"])
    finding: str = Field(min_length=1, max_length=2000, examples=["站台照明仅装设一侧，另一侧仍无照明"])
    rectification: str | None = Field(
        default=None, max_length=1000, examples=["责成交通运输局 15 个工作日内完成另一侧照明安装"]
    )

    @model_validator(mode="after")
    def rectification_when_short(self) -> "ReviewOutcomeIn":
        if self.outcome is ReviewOutcome.FELL_SHORT and not self.rectification:
            raise ValueError("未落实时须写明整改要求 (rectification is required when the review fell short)")
        return self


class ReviewView(BaseModel):
    review_id: str
    case_id: str
    division: str
    kind: ReviewKind
    replied_at: datetime = Field(description="所回头看的答复时间 (the reply under review)")
    unit: UnitRef
    result_class: str
    item: str | None = Field(default=None, description="承诺事项 (the promised work)")
    promised_by: date | None = None
    due_on: date
    state: ReviewState
    visited_on: date | None = None
    finding: str | None = None
    rectification: str | None = None
    recorded_by: str | None = None
    recorded_at: datetime | None = None


class ReviewDue(Message):
    """回头看 is due: supervisors of the division check the reply against reality."""

    TYPE: ClassVar[str] = "review.due"
    SOURCE: ClassVar[str] = "supervision"

    review_id: str
    case_id: str
    division: DivisionCode
    kind: ReviewKind
    unit: UnitRef
    item: str | None = None
    due_on: date


class ReviewRecorded(Message):
    """回头看's outcome; `rectify` means routing reopens the case on a new deadline (责成整改)."""

    TYPE: ClassVar[str] = "review.recorded"
    SOURCE: ClassVar[str] = "supervision"

    review_id: str
    case_id: str
    division: DivisionCode
    outcome: ReviewOutcome
    rectify: bool
    rectification: str | None = None
    at: datetime
