"""County systems' webhook subscriptions: where notify posts the events they subscribed to."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field

from contracts.notify.templates import EVENT_TYPE_PATTERN

EventType = Annotated[str, Field(pattern=EVENT_TYPE_PATTERN, max_length=64)]


class SubscriptionStatus(StrEnum):
    ACTIVE = "active"  # the receiver echoed the challenge: events are delivered
    UNVERIFIED = "unverified"  # it did not (yet): nothing is delivered; `POST …/verify` tries again


class WebhookSubscriptionIn(BaseModel):
    url: str = Field(min_length=8, max_length=500, examples=["https://county.example.gov.cn/hooks/minqing"])
    event_types: list[EventType] = Field(
        min_length=1,
        max_length=100,
        examples=[["case.assigned", "case.replied"]],
        json_schema_extra={"uniqueItems": True},
    )
    secret: str = Field(
        min_length=16,
        max_length=200,
        description="签名密钥（只写，不回显）/ the signing secret (write-only)",
        examples=["whsec_6f1c3a0d2e94f5b8a7c6d5e4"],
    )
    division: str = Field(pattern=r"^\d{6}(\d{3}(\d{3})?)?$", examples=["330481"])


class WebhookSubscriptionView(BaseModel):
    id: str = Field(examples=["01JDQ8M5V6X4T2R9K7W3B1N0PZ"])
    url: str
    event_types: list[str]
    division: str
    status: SubscriptionStatus
    owner: str = Field(description="创建该订阅的密钥 / the key that created it", examples=["county_system:01KEY"])
    created_at: datetime
    verified_at: datetime | None = None
