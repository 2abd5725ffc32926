"""The directory of where items come from: areas, grids, liaison stations and deputies."""

from pydantic import BaseModel, Field

from contracts.vocabulary import DivisionCode, EntityId


class StationIn(BaseModel):
    """A deputies' liaison station (代表联络站) or township congress presidium office."""

    id: EntityId
    name: str = Field(min_length=1, max_length=100, examples=["硖石街道人大代表联络站"])
    division: DivisionCode
    address: str = Field(default="", max_length=200)
    reception_day: str = Field(default="", max_length=50, description="e.g. 每周二 代表有约")


class DeputyIn(BaseModel):
    id: EntityId
    name: str = Field(min_length=1, max_length=50, examples=["张伟"])
    division: DivisionCode
    station_id: str
    level: str = Field(default="county", pattern=r"^(national|provincial|municipal|county|township)$")


class StationView(BaseModel):
    id: str
    name: str
    division: str
    address: str
    reception_day: str
    deputies: list[str]
