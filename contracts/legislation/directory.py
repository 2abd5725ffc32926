"""The legislative directory: offices (法工委), contact points (基层立法联系点) with their partners for
regional collaboration (区域协同), liaison and information officers, information-collection points."""

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from contracts.legislation.drafts import DraftLevel
from contracts.vocabulary import DivisionCode, EntityId

Name = Field(min_length=2, max_length=100)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class OfficeIn(Strict):
    office_id: EntityId = Field(examples=["gx-fgw"])
    division: DivisionCode = Field(examples=["450000"])
    name: str = Field(min_length=2, max_length=100, examples=["广西壮族自治区人大常委会法制工作委员会"])
    level: DraftLevel


class OfficeView(BaseModel):
    office_id: str
    division: str
    name: str
    level: DraftLevel
    active: bool


class ContactPointIn(Strict):
    point_id: EntityId = Field(examples=["sanjiang"])
    division: DivisionCode = Field(examples=["450226"])
    name: str = Field(min_length=2, max_length=100, examples=["三江侗族自治县基层立法联系点"])
    address: str = Field(default="", max_length=200)
    partners: list[EntityId] = Field(default=[], max_length=50)


class PartnersIn(Strict):
    """The points this one may forward tasks to (区域协同), all of them: the list replaces the old one."""

    partners: list[EntityId] = Field(max_length=50, examples=[["congjiang", "tongdao"]])

    @field_validator("partners")
    @classmethod
    def no_repeats(cls, partners: list[str]) -> list[str]:
        if len(set(partners)) != len(partners):
            raise ValueError("协作联系点不能重复 (a partner is listed twice)")
        return partners


class PartnerView(BaseModel):
    point_id: str
    name: str
    division: str


class ContactPointView(BaseModel):
    point_id: str
    division: str
    name: str
    address: str
    partners: list[PartnerView]
    active: bool


class OfficerRole(StrEnum):
    LIAISON = "liaison"
    """立法联络员"""
    INFORMANT = "informant"
    """信息员"""


class OfficerIn(Strict):
    officer_id: EntityId = Field(examples=["sj-wu-meilan"])
    point_id: EntityId = Field(examples=["sanjiang"])
    name: str = Field(min_length=2, max_length=50, examples=["吴美兰"])
    role: OfficerRole


class OfficerView(BaseModel):
    officer_id: str
    point_id: str
    division: str
    name: str
    role: OfficerRole
    active: bool


class CollectionPointIn(Strict):
    collection_point_id: EntityId = Field(examples=["sj-chengyang"])
    point_id: EntityId = Field(examples=["sanjiang"])
    division: DivisionCode | None = Field(
        default=None, description="所在行政区划，默认为所属联系点的 / defaults to the point's division"
    )
    name: str = Field(min_length=2, max_length=100, examples=["程阳八寨信息采集点"])
    address: str = Field(default="", max_length=200)


class CollectionPointView(BaseModel):
    collection_point_id: str
    point_id: str
    division: str
    name: str
    address: str
    active: bool


class DirectoryView(BaseModel):
    """Everything in a division and below (each list at most 500 entries, by id)."""

    division: str
    offices: list[OfficeView]
    points: list[ContactPointView]
    officers: list[OfficerView]
    collection_points: list[CollectionPointView]
