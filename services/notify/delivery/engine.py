"""Sends due deliveries: claims them under a lease, hands each to a sender pool, records the outcome.

`run_once` never waits for a receiver: it claims at most as many deliveries as the pool has free
senders, submits them and returns. A receiver that hangs keeps a sender until its channel's own
timeout; its delivery's lease runs out meanwhile, and the next round counts that as a failed attempt
(to be retried). No recipient has more than `per_recipient` sends in flight, so a hanging one holds
that many senders at most; and after `strikes` failures in a row its deliveries wait a backoff period
(a circuit breaker), so its queue does not keep taking senders from the others. Quiet hours and rate
limits defer a delivery without counting an attempt.
"""

import logging
import random
import threading
import traceback
from collections import Counter as Tally
from collections import deque
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from prometheus_client import Counter

from contracts.notify.delivery import DeliveryStatus, NotifyChannel
from services.notify.channels.base import Channel, DeliveryFailed, OutgoingMessage
from services.notify.delivery import record
from services.notify.delivery.compose import Compose, Words
from services.notify.delivery.policy import quiet_until
from services.notify.delivery.record import Delivery
from services.notify.delivery.store import DeliveryStore
from services.notify.notification import Notification

log = logging.getLogger(__name__)

DELIVERIES = Counter(
    "notify_deliveries_total", "Delivery attempts' outcomes: sent, failed, retried, dead", ["channel", "outcome"]
)


def where(error: BaseException) -> str:
    """An unexpected error as logs may show it: its kind and the line that raised it, not its message,
    which may quote an address or a phone number."""
    frames = traceback.extract_tb(error.__traceback__)
    place = f" at {frames[-1].filename}:{frames[-1].lineno}" if frames else ""
    return f"{type(error).__name__}{place}"


@dataclass(frozen=True)
class DeliverySettings:
    senders: int = 16
    lease: timedelta = timedelta(seconds=15)  # longer than any channel's own timeout
    max_attempts: int = 5
    backoff_base: float = 30.0
    backoff_cap: float = 3600.0
    channel_rate: int = 600  # sends per minute on one channel
    recipient_rate: int = 20  # sends per minute to one recipient on one channel
    per_recipient: int = 8  # sends in flight to one recipient at once
    strikes: int = 3  # failures in a row after which a recipient's deliveries wait `backoff_base`
    batch: int = 256  # due deliveries read at once
    refill: timedelta = timedelta(seconds=1)  # how long a batch read is used before reading again


@dataclass(frozen=True)
class Destination:
    address: str
    secret: str | None = None


# where a recipient is reached on a channel, looked up when sending and never stored with the delivery
Locate = Callable[[Delivery], Destination | None]


class DeliveryEngine:
    def __init__(
        self,
        store: DeliveryStore,
        notice: Callable[[str], Notification | None],
        locate: Locate,
        compose: Compose,
        channels: dict[str, Channel],
        pool: Executor,
        settings: DeliverySettings,
        clock: Callable[[], datetime],
        rng: random.Random | None = None,
    ):
        self.store, self.notice, self.locate, self.compose = store, notice, locate, compose
        self.channels = channels
        self.pool, self.settings, self.clock = pool, settings, clock
        self.rng = rng or random.Random()
        self.in_flight = 0
        self.busy: Tally[str] = Tally()  # sends in flight by recipient
        self.failures: Tally[str] = Tally()  # failures in a row by recipient
        self.resting: dict[str, datetime] = {}  # recipients whose circuit is open, until when
        self.waiting: deque[Delivery] = deque()  # due deliveries read, not yet claimed
        self.refill_at = datetime.min.replace(tzinfo=UTC)
        self.lock = threading.Lock()
        self.claiming = threading.Lock()

    def run_once(self) -> int:
        """Claims what is due for the free senders and submits it; returns how many were submitted.
        The timer calls it, and so does each sender as it finishes, so the pool stays busy while
        deliveries are due. One claims at a time; a call while another claims returns at once.

        Due deliveries are read a batch at a time and kept for `refill` (the embedded store scans to find
        them); a kept one that changed meanwhile fails its guarded claim and is passed over."""
        if not self.claiming.acquire(blocking=False):
            return 0
        try:
            return self._claim_due(self.clock())
        finally:
            self.claiming.release()

    def _claim_due(self, now: datetime) -> int:
        with self.lock:
            free = self.settings.senders - self.in_flight
            resting = {recipient for recipient, until in self.resting.items() if until > now}
            full = {recipient for recipient, n in self.busy.items() if n >= self.settings.per_recipient}
        if free <= 0:
            return 0
        if not self.waiting or now >= self.refill_at:
            self.waiting = deque(self.store.due(now, self.settings.batch, sorted(resting | full)))
            self.refill_at = now + self.settings.refill
        submitted, passed_over = 0, []
        while self.waiting and submitted < free:
            delivery = self.waiting.popleft()
            if delivery.recipient in resting:
                continue
            if delivery.status is DeliveryStatus.SENDING:  # its lease ran out with no answer
                self._failed(delivery, "接收方在租期内无应答 (no answer within the lease)", True, now)
                continue
            claimed = self._claim(delivery, now)
            if claimed is None:
                passed_over.append(delivery)  # its recipient has enough in flight: later
            submitted += bool(claimed)
        self.waiting.extendleft(reversed(passed_over))
        return submitted

    def _claim(self, delivery: Delivery, now: datetime) -> bool | None:
        """True once submitted; False if it changed since it was read; None if its recipient is full."""
        with self.lock:
            if self.busy[delivery.recipient] >= self.settings.per_recipient:
                return None
            self.busy[delivery.recipient] += 1
        sending = {"status": DeliveryStatus.SENDING, "attempts": delivery.attempts + 1}
        claimed = self.store.save(delivery.model_copy(update={**sending, "next_attempt_at": now + self.settings.lease}))
        with self.lock:
            if claimed is None:  # another worker has it, or it changed since it was read
                self._release(delivery.recipient)
                return False
            self.in_flight += 1
        self.pool.submit(self._attempt, claimed)
        return True

    def _attempt(self, delivery: Delivery) -> None:
        try:
            self.attempt(delivery)
        except Exception as error:
            log.error(
                "delivery of event %s on %s failed unexpectedly: %s",
                *(delivery.event_id, delivery.channel.value, where(error)),
            )
        finally:
            with self.lock:
                self.in_flight -= 1
                self._release(delivery.recipient)
        self.run_once()

    def _release(self, recipient: str) -> None:
        self.busy[recipient] -= 1
        if not self.busy[recipient]:
            del self.busy[recipient]

    def attempt(self, delivery: Delivery) -> None:
        """One claimed delivery: deferred by quiet hours or a rate limit, skipped without an address,
        else sent; the outcome is saved unless the lease ran out and the delivery moved on meanwhile."""
        now = self.clock()
        later = self._deferred_until(delivery, now)
        if later is not None:
            not_yet = {"status": DeliveryStatus.PENDING, "attempts": delivery.attempts - 1, "next_attempt_at": later}
            self.store.save(delivery.model_copy(update=not_yet))
            return
        note = self.notice(delivery.notification_id)
        try:
            destination = self.locate(delivery)
        except Exception as error:  # intake did not answer in time, say: the address may be there next time
            log.warning(
                "delivery of event %s on %s: no address yet: %s",
                *(delivery.event_id, delivery.channel.value, where(error)),
            )
            self._failed(delivery, "暂时无法取得地址 (the address could not be looked up)", True, self.clock())
            return
        if (note is None and delivery.envelope is None) or destination is None:
            reason = "无可用地址，或联系方式已删除 (no address, or the contact was erased)"
            self.store.save(delivery.model_copy(update={"status": DeliveryStatus.SKIPPED, "last_error": reason}))
            return
        channel = self.channels.get(delivery.channel.value)
        try:
            if channel is None:
                raise DeliveryFailed(f"渠道未配置 (channel {delivery.channel.value} is not configured)", False)
            channel.send(self.message(delivery, note, destination))
        except DeliveryFailed as failure:
            # an e-mail address or a phone is personal; a robot's division code or a webhook's URL is not
            personal = destination.address if delivery.channel in (NotifyChannel.EMAIL, NotifyChannel.SMS) else ""
            reason = record.without_contacts(failure.reason, personal)
            self._failed(delivery, reason, failure.retryable, self.clock())
            return
        sent = delivery.model_copy(
            update={"status": DeliveryStatus.SENT, "sent_at": self.clock(), "next_attempt_at": None, "last_error": None}
        )
        with self.lock:
            self.failures.pop(delivery.recipient, None)
            self.resting.pop(delivery.recipient, None)
        if self.store.save(sent) is not None:
            DELIVERIES.labels(delivery.channel.value, "sent").inc()

    def message(self, delivery: Delivery, note: Notification | None, destination: Destination) -> OutgoingMessage:
        """A webhook posts the event's envelope; every other channel the delivery's words."""
        words = self.compose(delivery, note) if note is not None else Words("", "")
        return OutgoingMessage(
            delivery_id=delivery.id,
            channel=delivery.channel.value,
            address=destination.address,
            secret=destination.secret,
            subject=words.subject,
            text=words.text,
            template_code=words.template_code,
            variables=words.variables or {},
            event_type=delivery.event_type,
            envelope=delivery.envelope,
        )

    def _deferred_until(self, delivery: Delivery, now: datetime) -> datetime | None:
        if delivery.channel is NotifyChannel.SMS and not delivery.one_time_code:
            quiet_end = quiet_until(now, self.store.policy_for(delivery.division).quiet_hours)
            if quiet_end is not None:
                return quiet_end
        minute = timedelta(minutes=1)
        channel = delivery.channel.value
        return self.store.take(f"{channel}", minute, self.settings.channel_rate, now) or self.store.take(
            f"{channel}:{delivery.recipient}", minute, self.settings.recipient_rate, now
        )

    def _failed(self, delivery: Delivery, reason: str, retryable: bool, now: datetime) -> None:
        s = self.settings
        if retryable:
            with self.lock:
                self.failures[delivery.recipient] += 1
                if self.failures[delivery.recipient] >= s.strikes:
                    self.resting[delivery.recipient] = now + timedelta(seconds=s.backoff_base)
        wait = record.backoff(delivery.attempts, s.backoff_base, s.backoff_cap, self.rng)
        after = record.failed(delivery, reason, retryable, now, s.max_attempts, wait)
        if self.store.save(after) is None:
            return
        channel = delivery.channel.value
        DELIVERIES.labels(channel, "failed").inc()
        DELIVERIES.labels(channel, "dead" if after.status is DeliveryStatus.DEAD else "retried").inc()
        # the event and the audience, not the recipient: a citizen's is their tracking code
        audience = delivery.recipient.partition(":")[0]
        log.warning(
            "delivery of event %s to a %s on %s failed (attempt %s): %s",
            *(delivery.event_id, audience, channel, delivery.attempts, after.last_error),
        )
