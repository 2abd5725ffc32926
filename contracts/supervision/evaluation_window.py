"""满意度测评's window: each reply is open for evaluation for a while, with a reminder before it
closes; no answer within it is recorded as not evaluated (never as satisfied)."""

from datetime import date, datetime
from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, Field

from contracts.message import Message
from contracts.supervision import EvaluatorKind, Rating
from contracts.vocabulary import DivisionCode


class EvaluationRequested(Message):
    """A reply waits for its evaluation: the deputy (a suggestion) or the citizen (an opinion) is asked;
    `reminder` when the window is about to close."""

    TYPE: ClassVar[str] = "evaluation.requested"
    SOURCE: ClassVar[str] = "supervision"

    case_id: str
    division: DivisionCode
    round: int
    evaluator_kind: EvaluatorKind
    closes_on: date
    reminder: bool = False


class WindowState(StrEnum):
    AWAITING = "awaiting"  # 待测评
    EVALUATED = "evaluated"  # 已测评
    NOT_EVALUATED = "not_evaluated"  # 逾期未测评


class EvaluationRoundView(BaseModel):
    round: int
    state: WindowState
    opened_at: datetime
    closes_on: date
    reminded: bool
    rating: Rating | None = None
    evaluated_at: datetime | None = None


class CaseEvaluationView(BaseModel):
    """A case's evaluation state: every reply's window, and how often it was re-handled."""

    case_id: str
    division: str
    rehandled: int = Field(description="不满意件再办理的次数 (times re-handled after an unsatisfied evaluation)")
    rehandle_limit: int
    rounds: list[EvaluationRoundView]
