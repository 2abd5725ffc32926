"""HTTP request and response bodies of the gateway's own; responses never carry what the caller may not see."""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from contracts.intake.categories import CategoryName
from contracts.intake.opinions import (
    Content,
    CountySystemDetails,
    DeputyDetails,
    GridOfficerDetails,
    HotlineDetails,
    MailboxDetails,
    QrDetails,
    StationVisitDetails,
    VillageMeetingDetails,
    WebDetails,
)
from contracts.vocabulary import Channel, DivisionCode, EntityId, Role
from infra.pii import normalise_phone

PUBLIC_CHANNELS = Literal[Channel.QR, Channel.WEB]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ContactIn(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=50, examples=["陈小明"])
    phone: str = Field(min_length=5, max_length=20, examples=["13812345678"])

    @field_validator("phone")
    @classmethod
    def valid_phone(cls, value: str) -> str:
        return normalise_phone(value)


PhotoIds = Annotated[
    list[Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{8,64}$")]],
    Field(default_factory=list, max_length=3, description="先上传的照片 / photos uploaded before, at most 3"),
]


class OpinionIn(Strict):
    """A citizen's item. From a deputy's or station's QR code, `deputy_id` or `station_id` names the receiver."""

    division: DivisionCode
    channel: PUBLIC_CHANNELS
    content: Content
    category: CategoryName | None = None
    deputy_id: EntityId | None = None
    station_id: EntityId | None = None
    photos: PhotoIds
    contact: ContactIn | None = None

    @field_validator("deputy_id", "station_id")
    @classmethod
    def receiver_only_from_a_code(cls, receiver: str | None, info: ValidationInfo) -> str | None:
        if receiver is not None and info.data.get("channel") is not Channel.QR:
            raise ValueError("接收人只能来自二维码 (a receiver comes with the qr channel only)")
        return receiver

    def details(self) -> QrDetails | WebDetails:
        if self.channel is Channel.QR:
            return QrDetails(deputy_id=self.deputy_id, station_id=self.station_id)
        return WebDetails()


StaffDetails = Annotated[
    StationVisitDetails
    | GridOfficerDetails
    | VillageMeetingDetails
    | HotlineDetails
    | MailboxDetails
    | DeputyDetails
    | CountySystemDetails,
    Field(discriminator="channel"),
]


class StaffOpinionIn(Strict):
    """An item entered by staff: `details.channel` says how it came in, and the rest of `details` where from."""

    division: DivisionCode
    content: Content
    details: StaffDetails
    category: CategoryName | None = None
    grid_id: EntityId | None = Field(default=None, description="反映问题所在的网格 / the grid the item comes from")
    photos: PhotoIds
    contact: ContactIn | None = Field(default=None, description="匿名反映可不填 / leave out for an anonymous item")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "division": "330481001",
                    "content": "文苑社区3幢楼道灯坏了一个多月，老人晚上上下楼不方便",
                    "category": "市政设施",
                    "details": {
                        "channel": "station_visit",
                        "station_id": "xiashi-station",
                        "deputy_id": "deputy-zhang-wei",
                    },
                    "contact": {"name": "陈小明", "phone": "13812345678"},
                }
            ]
        }
    )


class OpinionAccepted(BaseModel):
    tracking_code: str
    status: Literal["received"] = "received"
    status_url: str


class ApiKeyIn(Strict):
    role: Role
    scope: DivisionCode
    label: str = Field(min_length=1, max_length=100, examples=["海宁市交通运输局 办理员"])
    unit: EntityId | None = Field(
        default=None, description="承办单位的密钥所代表的单位 / for a handler's key: the unit it acts for"
    )

    deputy_id: EntityId | None = Field(
        default=None,
        description="代表的密钥所代表的人大代表（代表名录中的编号）/ for a deputy's key: the directory's deputy it is",
        examples=["deputy-zhang-wei"],
    )

    @field_validator("unit")
    @classmethod
    def only_for_handlers(cls, unit: str | None, info: ValidationInfo) -> str | None:
        if unit is not None and info.data.get("role") is not Role.HANDLER:
            raise ValueError("只有承办单位的密钥可以指定单位 (only a handler's key acts for a unit)")
        return unit

    @field_validator("deputy_id")
    @classmethod
    def only_for_deputies(cls, deputy_id: str | None, info: ValidationInfo) -> str | None:
        if deputy_id is not None and info.data.get("role") is not Role.DEPUTY:
            raise ValueError("只有代表的密钥可以指定代表 (only a deputy's key names a deputy)")
        return deputy_id


class ApiKeyCreated(BaseModel):
    id: str
    key: str = Field(description="Shown once; only its hash is stored")
    role: Role
    scope: str
    label: str
    unit: str | None = None
    deputy_id: str | None = None


class DivisionIn(Strict):
    name: str = Field(min_length=1, max_length=100, examples=["海宁市"])


class DivisionOut(BaseModel):
    code: str
    name: str
