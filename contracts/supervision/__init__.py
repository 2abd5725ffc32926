"""supervision's contracts: the answers of its RPCs."""

from datetime import date, datetime
from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from contracts.message import Message
from contracts.routing import UnitRef
from contracts.vocabulary import CaseStatus, DivisionCode


class DeadlineView(BaseModel):
    case_id: str
    division: str
    lead_unit: UnitRef
    assigned_at: datetime
    due_date: date
    calendar_fallback: bool
    status: CaseStatus
    overdue: bool


class Rating(StrEnum):
    """满意度测评: 满意 / 基本满意 / 不满意."""

    SATISFIED = "satisfied"
    BASICALLY_SATISFIED = "basically_satisfied"
    UNSATISFIED = "unsatisfied"


class EvaluatorKind(StrEnum):
    DEPUTY = "deputy"
    CITIZEN = "citizen"


class EvaluationIn(BaseModel):
    """The deputy's evaluation of the reply to their suggestion."""

    model_config = ConfigDict(extra="forbid")

    rating: Rating = Field(examples=["unsatisfied"])
    comment: str | None = Field(default=None, max_length=1000, examples=["路灯仍未修复"])


class PublicEvaluationIn(EvaluationIn):
    """The citizen's evaluation of the reply to their opinion, proven with a one-time code sent to the
    phone they gave (`POST .../evaluation-code`) or with the last four digits of that phone."""

    phone_last_four: str | None = Field(default=None, pattern=r"^\d{4}$", examples=["5678"])
    one_time_code: str | None = Field(default=None, pattern=r"^\d{6}$", examples=["402913"])


class SubmitterProof(BaseModel):
    """intake's answer when a citizen proved an item is theirs: the case to act on."""

    case_id: str


class EvaluationView(BaseModel):
    case_id: str
    round: int = Field(description="第几次答复的测评 (which reply, counting from 1)")
    evaluator_kind: EvaluatorKind
    rating: Rating
    comment: str | None = None
    evaluated_at: datetime


class EvaluationRecorded(Message):
    """满意度测评: a reply was evaluated; unsatisfied means routing reopens the case (不满意件再办理)."""

    TYPE: ClassVar[str] = "evaluation.recorded"
    SOURCE: ClassVar[str] = "supervision"

    case_id: str
    division: DivisionCode
    round: int
    evaluator_kind: EvaluatorKind
    rating: Rating
    at: datetime
    # False once the case was re-handled as often as allowed: routing leaves it be, and it goes on the
    # key supervision list instead (supervision counts the re-handlings: services/supervision/evaluation.py)
    reopen: bool = True
