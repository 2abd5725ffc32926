"""The directory's entries as stored: each keyed by its id, placed in a division."""

from pydantic import BaseModel

from contracts.vocabulary import Instant


class Office(BaseModel):
    """A legislative office (法工委 / 立法机关) publishing drafts at its level."""

    office_id: str
    division: str
    name: str
    level: str
    active: bool = True
    created_at: Instant
    version: int = 0


class ContactPoint(BaseModel):
    """A grassroots legislative contact point (基层立法联系点); `partners` are the points it may
    forward tasks to, in other counties or provinces (区域协同)."""

    point_id: str
    division: str
    name: str
    address: str = ""
    partners: list[str] = []
    active: bool = True
    created_at: Instant
    version: int = 0


class Officer(BaseModel):
    """A liaison officer (立法联络员) or information officer (信息员) of a contact point."""

    officer_id: str
    division: str
    point_id: str
    name: str
    role: str
    active: bool = True
    created_at: Instant
    version: int = 0


class CollectionPoint(BaseModel):
    """An information-collection point (信息采集点) a contact point runs, e.g. in a village or a firm."""

    collection_point_id: str
    division: str
    point_id: str
    name: str
    address: str = ""
    active: bool = True
    created_at: Instant
    version: int = 0
