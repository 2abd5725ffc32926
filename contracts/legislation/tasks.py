"""Consultation tasks (立法征询意见任务): an office asks a contact point for comments on a draft by a
due date, with focus questions; a point may forward the task to its partners (区域协同), and what a
partner collects flows back along the chain of forwards."""

from datetime import date
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from contracts.intake.receptions import BeijingTime
from contracts.message import Message
from contracts.vocabulary import DivisionCode, EntityId

Question = Annotated[str, Field(min_length=2, max_length=300)]
TaskId = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_-]+$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class AssignTaskIn(Strict):
    point_id: EntityId = Field(examples=["sanjiang"])
    due_date: date = Field(description="北京时间日期 / a date in Beijing time", examples=["2026-12-20"])
    focus_questions: list[Question] = Field(
        default=[], max_length=20, examples=[["民宿经营许可的条件是否合适？", "侗族大歌等非遗保护条款是否充分？"]]
    )
    note: str = Field(default="", max_length=500)


class ForwardTaskIn(Strict):
    partner_point_id: EntityId = Field(examples=["congjiang"])
    due_date: date | None = Field(
        default=None, description="默认与原任务相同，且不得晚于它 / defaults to, and may not pass, the task's own"
    )
    focus_questions: list[Question] = Field(
        default=[], max_length=20, description="在原有问题之外 / added to the task's"
    )
    note: str = Field(default="", max_length=500)


class ChainLink(BaseModel):
    """One point on the way from the office to the task's holder."""

    task_id: str
    point_id: str
    name: str
    division: str


class ForwardView(BaseModel):
    task_id: str
    point_id: str
    name: str
    division: str
    due_date: date


class TaskView(BaseModel):
    """A task, the chain it came along (`chain[0]` is the point the office asked, the last is the
    holder) and the forwards it was sent on as."""

    task_id: str
    draft_id: str
    draft_title: str
    office_id: str
    point_id: str
    division: str
    due_date: date
    focus_questions: list[str]
    note: str
    forwarded_from: str | None
    assigned_at: BeijingTime
    chain: list[ChainLink]
    forwards: list[ForwardView]


class TaskAssigned(Message):
    TYPE: ClassVar[str] = "task.assigned"
    SOURCE: ClassVar[str] = "legislation"

    task_id: str
    draft_id: str
    draft_title: str
    division: DivisionCode
    office_id: str
    point_id: str
    due_date: date
    focus_questions: list[str]


class TaskForwarded(Message):
    """A point forwarded its task to a partner: `task_id` is the partner's new task, `chain` the
    points from the one the office asked to the partner."""

    TYPE: ClassVar[str] = "task.forwarded"
    SOURCE: ClassVar[str] = "legislation"

    task_id: str
    forwarded_from: str
    draft_id: str
    draft_title: str
    division: DivisionCode
    from_point_id: str
    point_id: str
    chain: list[str]
    due_date: date
    focus_questions: list[str]
