"""intake's contracts for opinions: where an item comes from on each channel, the submission
command, the events about an opinion and its views."""

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from contracts.message import Message
from contracts.routing import ReplyRecord, Transition, UnitRef
from contracts.supervision import Rating
from contracts.text import normalised_text
from contracts.vocabulary import CaseStatus, Channel, DivisionCode, EntityId, Role

CONTENT_MAX = 5000


Content = Annotated[
    str,
    BeforeValidator(normalised_text),
    Field(min_length=2, max_length=CONTENT_MAX, examples=["文苑路公交站台的顶棚坏了，下雨天没法等车"]),
]
"""An item's text, normalised and bounded the same way on every channel."""


class Details(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class QrDetails(Details):
    """一码听民情: the code on a deputy's card or a station's poster names who receives the item."""

    channel: Literal[Channel.QR] = Channel.QR
    deputy_id: EntityId | None = None
    station_id: EntityId | None = None


class WebDetails(Details):
    channel: Literal[Channel.WEB] = Channel.WEB


class StationVisitDetails(Details):
    """进站接待: the station, the deputy who received the visitor, and the reception session if any."""

    channel: Literal[Channel.STATION_VISIT] = Channel.STATION_VISIT
    station_id: EntityId
    deputy_id: EntityId
    reception_id: EntityId | None = None


class GridOfficerDetails(Details):
    """网格民情信息员: the grid, the officer, and whether the citizen agreed to be called back."""

    channel: Literal[Channel.GRID_OFFICER] = Channel.GRID_OFFICER
    grid_id: EntityId
    officer: str = Field(min_length=1, max_length=50, examples=["周丽"])
    consent_to_contact: bool


class VillageMeetingDetails(Details):
    """禾坪说事, 座谈: where and when the meeting was held and how many took part."""

    channel: Literal[Channel.VILLAGE_MEETING] = Channel.VILLAGE_MEETING
    place: str = Field(min_length=1, max_length=100, examples=["联丰村文化礼堂禾坪"])
    held_on: date
    participants: int = Field(ge=1, le=10000)


class HotlineDetails(Details):
    """民生365 热线: the operator who took the call."""

    channel: Literal[Channel.HOTLINE] = Channel.HOTLINE
    operator: str = Field(min_length=1, max_length=50, examples=["话务员 07 号"])


class MailboxDetails(Details):
    """民情法治箱: the box the letter was found in."""

    channel: Literal[Channel.MAILBOX] = Channel.MAILBOX
    box: str = Field(min_length=1, max_length=100, examples=["硖石街道 文苑社区 民情法治箱"])


class DeputyDetails(Details):
    """A deputy's own item, raised from their contact with voters."""

    channel: Literal[Channel.DEPUTY] = Channel.DEPUTY
    deputy_id: EntityId


class CountySystemDetails(Details):
    """A row from a county system's import, or an Open311 request: `external_id` makes it once only."""

    channel: Literal[Channel.COUNTY_SYSTEM] = Channel.COUNTY_SYSTEM
    system: str = Field(min_length=1, max_length=100, examples=["海宁市 12345 平台"])
    external_id: str = Field(min_length=1, max_length=100, examples=["HN12345-2026-00871"])


ChannelDetails = Annotated[
    QrDetails
    | WebDetails
    | StationVisitDetails
    | GridOfficerDetails
    | VillageMeetingDetails
    | HotlineDetails
    | MailboxDetails
    | DeputyDetails
    | CountySystemDetails,
    Field(discriminator="channel"),
]
"""What each channel must say about where the item came from. `session_suggestion` has none:
deputy suggestions are their own aggregate (contracts.intake.suggestions)."""

PUBLIC_CHANNELS = frozenset({Channel.QR, Channel.WEB})
STAFF_CHANNELS: dict[Role, frozenset[Channel]] = {
    Role.STATION: frozenset({Channel.STATION_VISIT, Channel.VILLAGE_MEETING, Channel.MAILBOX, Channel.HOTLINE}),
    Role.INFO_OFFICER: frozenset({Channel.GRID_OFFICER}),
    Role.DEPUTY: frozenset({Channel.DEPUTY}),
    Role.COUNTY_SYSTEM: frozenset({Channel.COUNTY_SYSTEM}),
    Role.ADMIN: frozenset(Channel) - PUBLIC_CHANNELS - {Channel.SESSION_SUGGESTION},
}
"""Which staff role may enter items on which channel; citizens use only the public channels."""


class ReceiverKind(StrEnum):
    DEPUTY = "deputy"
    STATION = "station"
    INFO_OFFICER = "info_officer"
    OPERATOR = "operator"
    SYSTEM = "system"
    PLATFORM = "platform"


class Receiver(BaseModel):
    """Who received the item first: the 民情信息员 → 人大代表 → 主席团 chain starts here."""

    kind: ReceiverKind
    id: str | None = None
    name: str


class Origin(BaseModel):
    """Where the item comes from: the most precise division code given (county 6, township 9,
    village or community 12 digits) and the grid, if known."""

    division: DivisionCode
    grid_id: str | None = None


class SealedContact(BaseModel):
    """A citizen's name and phone, encrypted by `infra.pii` before it leaves the gateway."""

    key_id: str
    nonce: str
    ciphertext: str
    phone_hash: str | None = None


class Location(BaseModel):
    """Where the problem is, as a county app or an Open311 client gives it (WGS 84)."""

    address: str | None = Field(default=None, max_length=200, examples=["海宁市硖石街道文苑路公交站"])
    lat: float | None = Field(default=None, ge=-90, le=90, examples=[30.5106])
    long: float | None = Field(default=None, ge=-180, le=180, examples=[120.6803])


class SubmitOpinion(Message):
    """Command from the gateway: store this citizen's opinion. Durable before the 202."""

    TYPE: ClassVar[str] = "opinion.submit"
    SOURCE: ClassVar[str] = "gateway"

    tracking_code: str
    division: DivisionCode
    channel: Channel
    content: Content
    submitted_at: datetime
    contact: SealedContact | None = None
    category: str | None = None
    details: ChannelDetails | None = None
    grid_id: EntityId | None = None
    location: Location | None = None
    photos: list[str] = Field(default_factory=list, max_length=3)
    entered_by: str | None = Field(default=None, description="the staff key's label, for items entered by staff")


class OpinionReceived(Message):
    """An item was stored: what routing, supervision and notify need, never the citizen's contact."""

    TYPE: ClassVar[str] = "opinion.received"
    SOURCE: ClassVar[str] = "intake"

    tracking_code: str
    case_number: str | None = None
    division: DivisionCode
    channel: Channel
    content: str
    submitted_at: datetime
    has_contact: bool
    category: str | None = None
    receiver: Receiver | None = None
    origin: Origin | None = None
    photos: list[str] = Field(default_factory=list)


class OpinionMerged(Message):
    """A station merged near-duplicates: the members are handled as the primary's case from now on."""

    TYPE: ClassVar[str] = "opinion.merged"
    SOURCE: ClassVar[str] = "intake"

    group_id: str
    division: DivisionCode
    primary: str
    members: list[str]
    merged_at: datetime
    merged_by: str


class ContactErased(Message):
    """A citizen erased their contact details (PIPL 删除权): every copy of them must go."""

    TYPE: ClassVar[str] = "opinion.contact_erased"
    SOURCE: ClassVar[str] = "intake"

    tracking_code: str
    division: DivisionCode
    erased_at: datetime


class PublicOpinionView(BaseModel):
    """What anyone holding the tracking code may see: never the citizen's name or phone, nor the
    name of a grid officer or operator (only a deputy's or a station's, who serve in public)."""

    tracking_code: str
    case_number: str | None = None
    division: str
    channel: Channel
    category: str | None = None
    content: str
    submitted_at: datetime
    receiver: Receiver | None = None
    photos: list[str] = Field(default_factory=list)
    status: CaseStatus
    lead_unit: UnitRef | None = None
    co_units: list[UnitRef] = Field(default_factory=list)
    due_date: date | None = None
    calendar_fallback: bool = False
    reply: ReplyRecord | None = Field(default=None, description="答复：内容与结果分类 (the reply and its class)")
    paused: bool = Field(default=False, description="暂停计时中 (the clock is paused)")
    evaluation: Rating | None = Field(
        default=None,
        description="满意度测评结果 (satisfied / basically_satisfied / unsatisfied)",
        examples=["satisfied"],
    )
    history: list[Transition]


class ContactView(BaseModel):
    name: str | None = None
    phone: str | None = None
    masked: bool


class StaffOpinionView(PublicOpinionView):
    """For staff in the item's division: where it came from, who entered it, and the citizen's contact,
    masked unless the role calls back."""

    details: ChannelDetails | None = None
    origin: Origin | None = None
    location: Location | None = None
    entered_by: str | None = None
    contact: ContactView | None = None
    contact_erased: bool = False


class OpinionReceipt(BaseModel):
    """What a staff submission answers at once: the citizen's tracking code and the case number."""

    tracking_code: str = Field(examples=["7K3P-9XTA-2MQD"])
    case_number: str | None = Field(examples=["330481-2026-000123"])
    status: CaseStatus = Field(examples=["received"])
    status_url: str = Field(examples=["/v1/public/opinions/7K3P-9XTA-2MQD"])
    duplicate: bool = Field(
        default=False, description="该县级系统编号此前已导入 / the county system's id was stored before: nothing new"
    )


class EraseContactIn(BaseModel):
    """The citizen proves the item is theirs with the last four digits of the phone they gave."""

    model_config = ConfigDict(extra="forbid")

    phone_last_four: str = Field(pattern=r"^\d{4}$", examples=["5678"])


class ContactErasedView(BaseModel):
    tracking_code: str
    contact_erased: bool = True


class ReencryptionReport(BaseModel):
    reencrypted: int
    remaining: int
    active_key: str
