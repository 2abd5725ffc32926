"""The deadline watch's contracts: its three events, the 催办 records supervisors keep, the overdue
and half-time lists (督政议事会), and the public ledger (挂单销号, 张榜公示)."""

from datetime import date, datetime
from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from contracts.message import Message
from contracts.routing import UnitRef
from contracts.supervision import Rating
from contracts.vocabulary import CaseStatus, DivisionCode


class WatchEvent(Message):
    """A deadline fact about a case, sent once per case and due date (a moved deadline re-arms it)."""

    SOURCE: ClassVar[str] = "supervision"

    case_id: str
    division: DivisionCode
    lead_unit: UnitRef
    co_units: list[UnitRef] = Field(default_factory=list)
    due_date: date
    at: datetime


class CaseDueSoon(WatchEvent):
    """到期提醒: the due date is `working_days_left` working days away."""

    TYPE: ClassVar[str] = "case.due_soon"

    working_days_left: int


class CaseOverdue(WatchEvent):
    """超期: the first working day past the due date came and the case is still open."""

    TYPE: ClassVar[str] = "case.overdue"


class CaseHalfTime(WatchEvent):
    """时间过半任务过半: half the period is gone with no progress and no meeting recorded."""

    TYPE: ClassVar[str] = "case.half_time"

    assigned_at: datetime
    midpoint: date


class ReminderMethod(StrEnum):
    """催办方式: 电话催办 / 上门督办 / 发函催办."""

    PHONE = "phone"
    VISIT = "visit"
    LETTER = "letter"


class ReminderIn(BaseModel):
    """A 催办 a supervisor made; who and when come from the key and the clock."""

    model_config = ConfigDict(extra="forbid")

    method: ReminderMethod = Field(examples=["phone"])
    note: str = Field(default="", max_length=500, examples=["已电话联系交通运输局办公室，承诺本周内答复"])


class ReminderRecord(BaseModel):
    reminder_id: str
    method: ReminderMethod
    note: str = ""
    by: str = Field(description="催办人（密钥名称） / the key that recorded it", examples=["海宁市人大督查室"])
    at: datetime


class WatchNotices(BaseModel):
    """When the watch itself told the units (到期提醒, 超期通知, 时间过半), for the current due date."""

    due_soon_at: datetime | None = None
    overdue_at: datetime | None = None
    half_time_at: datetime | None = None


class OverdueCaseView(BaseModel):
    """One line of the 督政议事会's overdue list."""

    case_id: str
    case_number: str | None = None
    division: str
    category: str | None = None
    lead_unit: UnitRef
    co_units: list[UnitRef] = Field(default_factory=list)
    assigned_at: datetime
    due_date: date
    days_overdue: int = Field(description="超期自然日数 / calendar days past the due date")
    status: CaseStatus
    notices: WatchNotices
    reminders: list[ReminderRecord] = Field(description="催办记录，先早后晚 / 催办 records, oldest first")


class HalfTimeCaseView(BaseModel):
    """A case past the middle of its period with no progress and no meeting recorded."""

    case_id: str
    case_number: str | None = None
    division: str
    lead_unit: UnitRef
    assigned_at: datetime
    midpoint: date
    due_date: date
    status: CaseStatus
    notices: WatchNotices
    reminders: list[ReminderRecord]


class LedgerSettingsIn(BaseModel):
    """Whether the division's public ledger shows the citizen's own words (群众原话)."""

    model_config = ConfigDict(extra="forbid")

    show_text: bool = Field(examples=[False])


class LedgerSettingsView(LedgerSettingsIn):
    division: str
    updated_at: datetime | None = None


class LedgerEntry(BaseModel):
    """One public line of the ledger: no name, no phone, no staff note; the text only where allowed."""

    tracking_code: str
    case_number: str | None = None
    category: str | None = None
    division: str = Field(description="事项所在行政区划 / the case's division", examples=["330481001"])
    township: str | None = Field(
        default=None, description="所在乡镇（街道）代码，县级事项为空 / the township's code", examples=["330481001"]
    )
    township_name: str | None = Field(default=None, examples=["硖石街道"])
    unit: str = Field(description="主办单位 / the lead unit", examples=["海宁市交通运输局"])
    status: CaseStatus
    received_on: date | None = None
    assigned_on: date
    due_date: date
    replied_on: date | None = None
    closed_on: date | None = None
    rating: Rating | None = Field(default=None, description="最近一次满意度测评 / the latest evaluation")
    text: str | None = Field(default=None, description="群众原话，仅在本地允许公开时 / only where the division allows")
