"""Reception sessions of liaison stations (主题接待清单, 周二代表有约): what a station plans and
announces, and what the public and staff see of it.

Times are entered and shown in Asia/Shanghai: an input without an offset is Beijing time, and
every view writes its times with `+08:00`. The store keeps UTC.
"""

from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationInfo,
    field_validator,
)

from contracts.vocabulary import EntityId

SHANGHAI = ZoneInfo("Asia/Shanghai")
LONGEST_SESSION = timedelta(hours=12)


def utc_from_beijing(moment: datetime) -> datetime:
    """A time without an offset is Beijing time; every time is kept in UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SHANGHAI)
    return moment.astimezone(UTC)


BeijingInput = Annotated[
    datetime,
    AfterValidator(utc_from_beijing),
    Field(description="北京时间；不带时区时按北京时间 / Beijing time unless an offset is given"),
]
BeijingTime = Annotated[
    AwareDatetime,
    PlainSerializer(lambda moment: moment.astimezone(SHANGHAI).isoformat(), return_type=str, when_used="json"),
    Field(examples=["2026-12-01T09:00:00+08:00"]),
]
"""A stored UTC moment, shown in Beijing time (`+08:00`)."""

Reason = Annotated[str, Field(min_length=2, max_length=200)]


class ReceptionStatus(StrEnum):
    DRAFT = "draft"
    ANNOUNCED = "announced"
    HELD = "held"
    CANCELLED = "cancelled"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class InvitedOfficial(Strict):
    """A government or department official invited to the session (视情邀请政府及部门相关负责人)."""

    name: str = Field(min_length=1, max_length=50, examples=["刘建国"])
    post: str = Field(min_length=1, max_length=100, examples=["海宁市住房和城乡建设局 副局长"])


class ReceptionIn(Strict):
    """A session a station plans: when, who receives, on what theme, with which officials. Stored as a draft."""

    station_id: EntityId = Field(examples=["xiashi-station"])
    starts_at: BeijingInput = Field(examples=["2026-12-01T09:00:00+08:00"])
    ends_at: BeijingInput = Field(examples=["2026-12-01T11:30:00+08:00"])
    deputy_ids: list[EntityId] = Field(
        min_length=1, max_length=10, description="值班代表 / deputies on duty", examples=[["deputy-zhang-wei"]]
    )
    theme: str | None = Field(default=None, min_length=2, max_length=100, examples=["老旧小区加装电梯专题接待"])
    place: str | None = Field(default=None, min_length=2, max_length=100, examples=["联络站二楼议事厅"])
    officials: list[InvitedOfficial] = Field(default_factory=list, max_length=20)

    @field_validator("ends_at")
    @classmethod
    def a_sensible_span(cls, ends_at: datetime, info: ValidationInfo) -> datetime:
        starts_at = info.data.get("starts_at")
        if starts_at is not None and ends_at <= starts_at:
            raise ValueError("结束时间应晚于开始时间 (ends_at must be after starts_at)")
        if starts_at is not None and ends_at - starts_at > LONGEST_SESSION:
            raise ValueError("一场接待不超过 12 小时 (a session lasts at most 12 hours)")
        return ends_at

    @field_validator("deputy_ids")
    @classmethod
    def each_deputy_once(cls, deputy_ids: list[str]) -> list[str]:
        if len(set(deputy_ids)) != len(deputy_ids):
            raise ValueError("值班代表重复 (a deputy is listed twice)")
        return deputy_ids


class AnnouncementIn(Strict):
    """Announcing makes the session public. Less than 7 days ahead (提前一周向社会公告), say why."""

    reason: Reason | None = Field(default=None, examples=["台风过境，接待改期后临时公告"])


class HeldIn(Strict):
    visitors: int | None = Field(default=None, ge=0, le=10000, description="接待群众人数 / visitors received")


class CancellationIn(Strict):
    reason: Reason = Field(examples=["台风预警，接待取消"])


class StatusIn(BaseModel):
    """The state a staff list is narrowed to, if any."""

    status: ReceptionStatus | None = None


class StationRef(BaseModel):
    id: str
    name: str


class DeputyRef(BaseModel):
    id: str
    name: str


class PublicReceptionView(BaseModel):
    """What the public notice says: never anything about the citizens who come."""

    id: str = Field(examples=["rcp-20261201-k3p9xt"])
    division: str
    station: StationRef
    starts_at: BeijingTime
    ends_at: BeijingTime
    theme: str | None = None
    place: str | None = None
    deputies: list[DeputyRef]
    officials: list[InvitedOfficial]
    status: ReceptionStatus
    announced_at: BeijingTime | None = None
    cancel_reason: str | None = None
    items_received: int = Field(default=0, description="收到的意见建议件数 / items received")


class ReceptionView(PublicReceptionView):
    """For staff within the division: every state, and the bookkeeping of the announcement."""

    created_at: BeijingTime
    created_by: str
    late_reason: str | None = Field(default=None, description="不足 7 天公告的理由 / why announced late")
    held_at: BeijingTime | None = None
    visitors: int | None = None
    cancelled_at: BeijingTime | None = None
    version: int


class ReceptionItem(BaseModel):
    """An item received at the session: no contact, ever."""

    tracking_code: str = Field(examples=["7K3P-9XTA-2MQD"])
    case_number: str | None = Field(default=None, examples=["330481-2026-000123"])
    content: str
    status: str = Field(examples=["assigned"])
    submitted_at: BeijingTime


class ReceptionDetail(ReceptionView):
    items: list[ReceptionItem]
