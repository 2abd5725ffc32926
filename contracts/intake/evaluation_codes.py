"""The one-time code a citizen asks for to evaluate the reply to their item without an account."""

from datetime import datetime
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from contracts.message import Message
from contracts.vocabulary import DivisionCode


class EvaluationCodeIssued(Message):
    """intake issued a code for an item: notify sends it by SMS to the item's phone, which it asks
    intake for right before sending (`contact_for_notice`); the phone never travels in the event.

    The code itself travels only on the platform's own broker, to notify alone; intake keeps only its
    keyed hash, and it is worthless after `expires_at`, a few wrong tries, or one use.
    """

    TYPE: ClassVar[str] = "evaluation.code_issued"
    SOURCE: ClassVar[str] = "intake"

    tracking_code: str
    division: DivisionCode
    code: str
    expires_at: datetime


class EvaluationCodeSent(BaseModel):
    """The answer to a citizen who asked for a code: never the code, nor where it went."""

    model_config = ConfigDict(extra="forbid")

    tracking_code: str
    expires_at: datetime = Field(description="验证码有效期至 (the code expires at)")
    sent_to: str = Field(description="发送至尾号 (the phone, masked)", examples=["138****5678"])


class EvaluatorProofIn(BaseModel):
    """How a citizen proves the item is theirs: a one-time code, or the last four digits of the phone."""

    model_config = ConfigDict(extra="forbid")

    one_time_code: str | None = Field(default=None, pattern=r"^\d{6}$")
    phone_last_four: str | None = Field(default=None, pattern=r"^\d{4}$")
