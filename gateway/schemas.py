"""HTTP request and response bodies of the gateway's own; responses never carry what the caller may not see."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

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


class OpinionIn(Strict):
    division: DivisionCode
    channel: PUBLIC_CHANNELS
    content: str = Field(min_length=2, max_length=5000, examples=["文苑路公交站台的顶棚坏了，下雨天没法等车"])
    contact: ContactIn | None = None


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

    @field_validator("unit")
    @classmethod
    def only_for_handlers(cls, unit: str | None, info: ValidationInfo) -> str | None:
        if unit is not None and info.data.get("role") is not Role.HANDLER:
            raise ValueError("只有承办单位的密钥可以指定单位 (only a handler's key acts for a unit)")
        return unit


class ApiKeyCreated(BaseModel):
    id: str
    key: str = Field(description="Shown once; only its hash is stored")
    role: Role
    scope: str
    label: str
    unit: str | None = None


class DivisionIn(Strict):
    name: str = Field(min_length=1, max_length=100, examples=["海宁市"])


class DivisionOut(BaseModel):
    code: str
    name: str
