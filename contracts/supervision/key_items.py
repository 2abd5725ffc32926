"""重点督办 (key supervision): a supervisor marks a case, names who leads it and which committees
supervise it, and records the plan, site visits and progress until it is done."""

from datetime import date, datetime
from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from contracts.message import Message
from contracts.routing import UnitRef
from contracts.vocabulary import DivisionCode

PERIOD_PATTERN = r"^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$"
"""A year (`2026`), a quarter (`2026-Q3`) or a month (`2026-11`)."""


class KeyLevel(StrEnum):
    KEY = "key"  # 重点督办
    LEADER_LED = "leader_led"  # 常委会领导领衔督办
    MAJOR = "major"  # 大督办


class KeySource(StrEnum):
    SUPERVISOR = "supervisor"  # marked by hand
    REHANDLE_LIMIT = "rehandle_limit"  # 不满意件再办理 reached its limit: an unsatisfied reply again


class MarkKeyItemIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    level: KeyLevel = Field(default=KeyLevel.KEY, examples=["leader_led"])
    lead_supervisor: str = Field(min_length=1, max_length=50, examples=["常委会副主任 王建国"])
    committees: list[str] = Field(
        default_factory=list, max_length=10, examples=[["人大常委会代表工委", "城建环资工委"]]
    )
    reason: str = Field(min_length=1, max_length=500, examples=["群众反映强烈，涉及多个部门"])


class UnmarkKeyItemIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=500, examples=["问题已解决，销号"])


class KeyRecordKind(StrEnum):
    PLAN = "plan"  # 督办方案
    SITE_VISIT = "site_visit"  # 实地督查
    PROGRESS = "progress"  # 办理进展


class KeyRecordIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: KeyRecordKind = Field(examples=["site_visit"])
    on: date = Field(examples=["2026-11-20"])
    text: str = Field(min_length=1, max_length=2000, examples=["王建国副主任带队到文苑路实地查看站台照明整改"])
    participants: list[str] = Field(default_factory=list, max_length=30, examples=[["王建国", "交通运输局 李科长"]])


class KeyRecord(KeyRecordIn):
    by: str
    at: datetime


class KeyItemView(BaseModel):
    case_id: str
    division: str
    lead_unit: UnitRef | None = None
    marked: bool = Field(description="仍在重点督办清单上 (still on the list)")
    level: KeyLevel
    source: KeySource
    lead_supervisor: str | None = None
    committees: list[str] = []
    reason: str
    marked_by: str
    marked_on: date
    unmarked_on: date | None = None
    unmark_reason: str | None = None
    records: list[KeyRecord] = []


class CaseKeyMarked(Message):
    """A case went on (or, `marked=false`, came off) the key supervision list."""

    TYPE: ClassVar[str] = "case.key_marked"
    SOURCE: ClassVar[str] = "supervision"

    case_id: str
    division: DivisionCode
    marked: bool
    level: KeyLevel
    source: KeySource
    lead_supervisor: str | None = None
    committees: list[str] = []
    lead_unit: UnitRef | None = None
    reason: str
    at: datetime
