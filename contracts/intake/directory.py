"""The directory of where items come from and who receives them: townships, villages or communities
(areas), grids (网格), liaison stations (联络站, 主席团办公室) and deputies (人大代表).

Each kind of entry is created with its `…In` model, changed with its `…Changes` (every field
optional: what is left out stays; `{"active": false}` deactivates the entry) and read back as its
`…Entry`, the input with `active`. Deactivated entries stay listed, marked `active: false`, and are
refused as receivers and as where an item comes from.
"""

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from contracts.vocabulary import DivisionCode, EntityId


class DirectoryKind(StrEnum):
    AREA = "area"
    GRID = "grid"
    STATION = "station"
    DEPUTY = "deputy"


class AreaLevel(StrEnum):
    TOWNSHIP = "township"  # 乡镇（街道）, 9 digits
    VILLAGE = "village"  # 村, 12 digits
    COMMUNITY = "community"  # 社区, 12 digits


CODE_LENGTH = {AreaLevel.TOWNSHIP: 9, AreaLevel.VILLAGE: 12, AreaLevel.COMMUNITY: 12}
LEVEL_NAMES = {AreaLevel.TOWNSHIP: "乡镇（街道）", AreaLevel.VILLAGE: "村", AreaLevel.COMMUNITY: "社区"}


class DeputyLevel(StrEnum):
    """五级人大代表."""

    NATIONAL = "national"  # 全国人大代表
    PROVINCIAL = "provincial"  # 省人大代表
    MUNICIPAL = "municipal"  # 市人大代表
    COUNTY = "county"  # 县（市、区）人大代表
    TOWNSHIP = "township"  # 乡镇人大代表


Name = Annotated[str, Field(min_length=1, max_length=100)]
PersonName = Annotated[str, Field(min_length=1, max_length=50)]


class Input(BaseModel):
    """What a caller sends: a misspelt field is refused rather than ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Stored(BaseModel):
    """An entry as read back; what a store keeps beside it (`_id`, `division` of an area) is left out."""

    model_config = ConfigDict(extra="ignore")

    active: bool = Field(
        default=True, description="停用的条目仍列出，但不再受理 / a deactivated entry receives nothing"
    )


class AreaIn(Input):
    """A township (乡镇、街道: 9 digits) or a village or community (村、社区: 12 digits), by its
    GB/T 2260 division code. A village's or community's township must be in the directory first."""

    level: AreaLevel = Field(examples=["community"])
    code: DivisionCode = Field(examples=["330481001001"])
    name: Name = Field(examples=["文苑社区"])

    @field_validator("code")
    @classmethod
    def code_fits_level(cls, code: str, info: ValidationInfo) -> str:
        level = info.data.get("level")
        if level is not None and len(code) != CODE_LENGTH[level]:
            raise ValueError(
                f"{LEVEL_NAMES[level]}的区划代码应为 {CODE_LENGTH[level]} 位数字 "
                f"(a {level.value} code has {CODE_LENGTH[level]} digits)"
            )
        return code


class AreaChanges(Input):
    name: Name | None = None
    active: bool | None = None


class AreaEntry(Stored, AreaIn):
    model_config = ConfigDict(extra="ignore")


class GridIn(Input):
    """A grid (网格) of a village, community or township, with its grid officer (网格员)."""

    id: EntityId = Field(examples=["wenyuan-01"])
    name: Name = Field(examples=["文苑社区第一网格"])
    area: DivisionCode = Field(description="所属区域的区划代码 / the area it belongs to", examples=["330481001001"])
    officer: PersonName = Field(description="网格员 / the grid officer", examples=["周丽"])


class GridChanges(Input):
    name: Name | None = None
    area: DivisionCode | None = None
    officer: PersonName | None = None
    active: bool | None = None


class GridEntry(Stored, GridIn):
    model_config = ConfigDict(extra="ignore")


class StationIn(Input):
    """A deputies' liaison station (代表联络站) or a township congress presidium office (主席团办公室)."""

    id: EntityId = Field(examples=["xiashi-station"])
    name: Name = Field(examples=["硖石街道人大代表联络站"])
    division: DivisionCode
    address: str = Field(default="", max_length=200, examples=["硖石街道文苑南路"])
    reception_day: str = Field(
        default="", max_length=50, description="e.g. 每周二 代表有约", examples=["每周二 代表有约"]
    )


class StationChanges(Input):
    name: Name | None = None
    division: DivisionCode | None = None
    address: str | None = Field(default=None, max_length=200)
    reception_day: str | None = Field(default=None, max_length=50)
    active: bool | None = None


class StationEntry(Stored, StationIn):
    model_config = ConfigDict(extra="ignore")


def distinct(ids: list[str]) -> list[str]:
    if len(set(ids)) != len(ids):
        raise ValueError("联络站重复 (a station is listed twice)")
    return ids


StationIds = Annotated[
    list[EntityId],
    AfterValidator(distinct),
    Field(
        min_length=1,
        max_length=20,
        description="接待的联络站，须在代表所在县（市、区）内 / where the deputy receives, in their county",
        examples=[["xiashi-station", "haizhou-station"]],
    ),
]


class DeputyIn(Input):
    """A deputy (人大代表) of one of the five levels, receiving at one or more liaison stations."""

    id: EntityId = Field(examples=["deputy-zhang-wei"])
    name: PersonName = Field(examples=["张伟"])
    division: DivisionCode = Field(description="代表所在区划 / where the deputy was elected or lives")
    level: DeputyLevel = DeputyLevel.COUNTY
    station_ids: StationIds


class DeputyChanges(Input):
    name: PersonName | None = None
    division: DivisionCode | None = None
    level: DeputyLevel | None = None
    station_ids: StationIds | None = None
    active: bool | None = None


class DeputyEntry(Stored, DeputyIn):
    model_config = ConfigDict(extra="ignore")


Entry = AreaEntry | GridEntry | StationEntry | DeputyEntry
Changes = AreaChanges | GridChanges | StationChanges | DeputyChanges

INPUTS: dict[DirectoryKind, type[Input]] = {
    DirectoryKind.AREA: AreaIn,
    DirectoryKind.GRID: GridIn,
    DirectoryKind.STATION: StationIn,
    DirectoryKind.DEPUTY: DeputyIn,
}
ENTRIES: dict[DirectoryKind, type[Stored]] = {
    DirectoryKind.AREA: AreaEntry,
    DirectoryKind.GRID: GridEntry,
    DirectoryKind.STATION: StationEntry,
    DirectoryKind.DEPUTY: DeputyEntry,
}
CHANGES: dict[DirectoryKind, type[Input]] = {
    DirectoryKind.AREA: AreaChanges,
    DirectoryKind.GRID: GridChanges,
    DirectoryKind.STATION: StationChanges,
    DirectoryKind.DEPUTY: DeputyChanges,
}
DIVISION_FIELD = {
    DirectoryKind.AREA: "code",
    DirectoryKind.GRID: "area",
    DirectoryKind.STATION: "division",
    DirectoryKind.DEPUTY: "division",
}
"""The field of each kind that places it in a division (and so in a key's scope)."""


class StationView(BaseModel):
    """A station in the public listing: only active ones, with the names of their active deputies."""

    id: str
    name: str
    division: str
    address: str
    reception_day: str
    deputies: list[str]


class StationCard(BaseModel):
    id: str
    name: str = Field(examples=["硖石街道人大代表联络站"])
    address: str = Field(examples=["硖石街道文苑南路"])
    reception_day: str = Field(examples=["每周二 代表有约"])


class ReceiverCard(BaseModel):
    """Who receives an item sent from a QR code, as the public page shows it: no personal data beyond
    a deputy's name, which is public."""

    kind: Literal["deputy", "station"]
    id: str = Field(examples=["deputy-zhang-wei"])
    name: str = Field(examples=["张伟"])
    division: str = Field(examples=["330481001"])
    level: DeputyLevel | None = Field(default=None, description="代表的层级 / a deputy's level")
    address: str | None = Field(default=None, description="联络站地址 / a station's address")
    reception_day: str | None = Field(default=None, description="联络站接待日 / a station's reception days")
    stations: list[StationCard] = Field(
        default_factory=list, description="代表接待的联络站 / the active stations where a deputy receives"
    )


class SubmissionForm(BaseModel):
    """How the page submits: POST `url` a JSON body of `fields` plus the citizen's `content` (and
    optional `contact`)."""

    method: Literal["POST"] = "POST"
    url: str = Field(examples=["/v1/public/opinions"])
    fields: dict[str, str] = Field(
        examples=[{"division": "330481001", "channel": "qr", "deputy_id": "deputy-zhang-wei"}]
    )


class QrLanding(BaseModel):
    """What a QR code's URL answers until the public pages exist: the receiver and how to submit."""

    receiver: ReceiverCard
    submit: SubmissionForm
