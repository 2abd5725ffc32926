"""One delivery: a stored notification on one channel, and what became of it. Pure transitions."""

import random
import re
from datetime import datetime, timedelta

from pydantic import BaseModel

from contracts.notify.delivery import DeliveryStatus, NotifyChannel
from contracts.vocabulary import Instant


class Delivery(BaseModel):
    id: str  # the notification's id (event id + recipient) + channel: one per event, recipient, channel
    notification_id: str
    event_id: str
    event_type: str
    recipient: str
    division: str
    channel: NotifyChannel
    status: DeliveryStatus = DeliveryStatus.PENDING
    attempts: int = 0
    next_attempt_at: Instant | None = None
    lease_until: Instant | None = None
    last_error: str | None = None
    sent_at: Instant | None = None
    created_at: Instant
    one_time_code: bool = False
    # the event's template variables, sealed (a one-time code, a tracking code): see planning.py
    sealed_variables: dict[str, str] | None = None
    # what a webhook posts: the event's envelope without its personal fields
    envelope: dict | None = None
    version: int = 0


# what a failure reason must never carry: an e-mail address, a mobile, landline or E.164 number
CONTACT_LIKE = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?<![\w+])(?:\+[1-9]\d{6,14}|1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\w)"
)
REDACTED = "***"


def without_contacts(reason: str, *addresses: str) -> str:
    """A failure reason fit to store, log and show in `GET /v1/deliveries`: the addresses it was sent to,
    and anything shaped like an e-mail address or a phone number, replaced by ***. Adapters write reasons
    without them; this holds whatever a provider's or a library's message quoted."""
    for address in addresses:
        if address:
            reason = reason.replace(address, REDACTED)
    return CONTACT_LIKE.sub(REDACTED, reason)


def delivery_id(notification_id: str, channel: str) -> str:
    return f"{notification_id}:{channel}"


def backoff(attempts: int, base: float, cap: float, rng: random.Random) -> timedelta:
    """Exponential backoff with jitter: the wait before attempt `attempts + 1` is drawn between half and
    all of `base * 2**(attempts - 1)` (capped), so receivers that failed together do not retry together."""
    ceiling = min(cap, base * 2 ** max(attempts - 1, 0))
    return timedelta(seconds=rng.uniform(ceiling / 2, ceiling))


def failed(
    delivery: Delivery, reason: str, retryable: bool, now: datetime, max_attempts: int, wait: timedelta
) -> Delivery:
    """After a failed attempt: pending again after `wait`, or dead after the last attempt (or at once
    when the failure cannot succeed later, such as a refused address)."""
    dead = not retryable or delivery.attempts >= max_attempts
    return delivery.model_copy(
        update={
            "status": DeliveryStatus.DEAD if dead else DeliveryStatus.PENDING,
            "next_attempt_at": None if dead else now + wait,
            "lease_until": None,
            "last_error": without_contacts(reason)[:300],
        }
    )


def replayed(delivery: Delivery, now: datetime) -> Delivery:
    """An admin's replay of a dead delivery: a fresh round of attempts, due now."""
    return delivery.model_copy(
        update={"status": DeliveryStatus.PENDING, "attempts": 0, "next_attempt_at": now, "lease_until": None}
    )
