"""notify's delivery contracts: channel preferences, a division's channel policy, delivery records.

A principal hears of an event on the channels it chose for that event type, within the channels its
division allows; the in-app inbox is always on. Each (event, recipient, channel) is one delivery.
"""

import re
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field, field_validator

from contracts.actor import Actor
from contracts.vocabulary import Role

EVENT_TYPE = Annotated[str, Field(pattern=r"^[a-z_]+\.[a-z_.]+$", max_length=64, examples=["case.assigned"])]
CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class NotifyChannel(StrEnum):
    IN_APP = "in_app"
    EMAIL = "email"
    SMS = "sms"
    DINGTALK = "dingtalk"
    WECOM = "wecom"
    WEBHOOK = "webhook"


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # due now or at `next_attempt_at` (a retry, a rate limit, quiet hours)
    SENDING = "sending"  # handed to a sender; back to pending if it has not answered when its lease ends
    SENT = "sent"
    DEAD = "dead"  # the last attempt failed, or the failure cannot succeed later; an admin may replay it
    SKIPPED = "skipped"  # nowhere to send it: no address, or the citizen erased their contact


def principal_recipient(actor: Actor) -> str:
    """The inbox a key reads: its unit's for a handler (or the deputy/contact point its key names),
    otherwise its role's inbox in its scope, e.g. `station:330481001`, `supervisor:330481`."""
    if actor.role is Role.DEPUTY and actor.deputy:
        return f"deputy:{actor.deputy}"
    if actor.unit:
        kind = "unit" if actor.role is Role.HANDLER else actor.role.value
        return f"{kind}:{actor.unit}"
    if actor.role in (Role.DEPUTY, Role.COUNTY_SYSTEM, Role.ADMIN, Role.CITIZEN):
        return f"{actor.role.value}:{actor.key_id}"
    return f"{actor.role.value}:{actor.scope}"


class Address(BaseModel):
    """Where one channel reaches the principal: an e-mail, a mobile number or a group robot's URL."""

    address: str = Field(min_length=3, max_length=500, examples=["https://oapi.dingtalk.com/robot/send?access_token=…"])
    secret: str | None = Field(
        default=None, max_length=200, description="机器人加签密钥 / a robot's signing secret", examples=["SEC0a1b…"]
    )


class PreferencesIn(BaseModel):
    """渠道偏好: per event type, the channels besides the in-app inbox, and where each channel reaches you."""

    channels: dict[EVENT_TYPE, list[NotifyChannel]] = Field(
        default_factory=dict, max_length=100, examples=[{"case.assigned": ["in_app", "dingtalk"]}]
    )
    addresses: dict[NotifyChannel, Address] = Field(
        default_factory=dict,
        examples=[{"dingtalk": {"address": "https://oapi.dingtalk.com/robot/send?access_token=abc", "secret": "SEC1"}}],
    )


class AddressView(BaseModel):
    address: str = Field(description="已脱敏 / masked", examples=["https://oapi.dingtalk.com/robot/send?***"])
    signed: bool = False


class PreferencesView(BaseModel):
    recipient: str = Field(examples=["unit:hn-transport"])
    division: str = Field(examples=["330481"])
    channels: dict[str, list[NotifyChannel]]
    addresses: dict[str, AddressView]
    allowed: list[NotifyChannel] = Field(description="本区划允许的渠道 / what the division allows")


class QuietHours(BaseModel):
    """SMS is held back between `start` and `end`, Asia/Shanghai (one-time codes are not)."""

    start: str = Field(default="22:00", examples=["22:00"])
    end: str = Field(default="08:00", examples=["08:00"])

    @field_validator("start", "end")
    @classmethod
    def clock_time(cls, value: str) -> str:
        if not CLOCK.match(value):
            raise ValueError("时间应为 HH:MM (24-hour clock time)")
        return value


class DivisionPolicyIn(BaseModel):
    allowed_channels: list[NotifyChannel] = Field(
        min_length=1, examples=[["in_app", "sms", "email", "dingtalk", "wecom", "webhook"]]
    )
    quiet_hours: QuietHours | None = Field(default_factory=QuietHours, description="null: 不设免打扰 / none")


class DivisionPolicyView(DivisionPolicyIn):
    division: str = Field(examples=["330481"])


class DeliveryView(BaseModel):
    id: str = Field(examples=["01JDELIVERYEVENT0000000000:citizen:7K3P-9XTA-2MQD:sms"])
    event_id: str
    event_type: str = Field(examples=["case.replied"])
    recipient: str = Field(examples=["citizen:7K3P-9XTA-2MQD"])
    division: str
    channel: NotifyChannel
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime | None = None
    last_error: str | None = None
    sent_at: datetime | None = None
    created_at: datetime
