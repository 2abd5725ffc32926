"""HTTP request and response bodies; responses never carry what the caller may not see."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from contracts.vocabulary import DIVISION_CODE, Channel, Role
from infra.pii import normalise_phone

PUBLIC_CHANNELS = Literal[Channel.QR, Channel.WEB]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def division_code(value: str) -> str:
    if not DIVISION_CODE.match(value):
        raise ValueError("行政区划代码应为 6、9 或 12 位数字 (GB/T 2260 division code)")
    return value


class ContactIn(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=50)
    phone: str = Field(min_length=5, max_length=20)

    @field_validator("phone")
    @classmethod
    def valid_phone(cls, value: str) -> str:
        return normalise_phone(value)


class OpinionIn(Strict):
    division: str
    channel: PUBLIC_CHANNELS
    content: str = Field(min_length=2, max_length=5000)
    contact: ContactIn | None = None

    _division = field_validator("division")(division_code)


class OpinionAccepted(BaseModel):
    tracking_code: str
    status: Literal["received"] = "received"
    status_url: str


class ApiKeyIn(Strict):
    role: Role
    scope: str
    label: str = Field(min_length=1, max_length=100)

    _scope = field_validator("scope")(division_code)


class ApiKeyCreated(BaseModel):
    id: str
    key: str = Field(description="Shown once; only its hash is stored")
    role: Role
    scope: str
    label: str


class DivisionIn(Strict):
    name: str = Field(min_length=1, max_length=100)


class DivisionOut(BaseModel):
    code: str
    name: str
