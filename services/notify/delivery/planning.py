"""From a stored notice to its deliveries: one per outgoing channel the recipient hears this event on;
and from an event to the webhooks of the county systems subscribed to it.

The notice builders know the event, but hand over only the notice (`store.notifications.add(note)`).
The event being handled is in `handling_event` (set around each handler by `EventContext`), so each
delivery keeps the event's variables for its template, sealed: they may hold a one-time code.
"""

import json
from contextvars import ContextVar

from contracts.notify.delivery import NotifyChannel
from infra.aggregates import AggregateCollection
from infra.pii import PiiCipher
from services.notify.delivery.policy import outgoing_channels
from services.notify.delivery.record import Delivery, delivery_id
from services.notify.delivery.store import DeliveryStore
from services.notify.notification import Notification
from services.notify.recipients import ONE_TIME_CODES
from services.notify.templates.catalog import PERSONAL_FIELDS, values_of_envelope
from services.notify.webhooks.store import Subscription

handling_event: ContextVar[dict | None] = ContextVar("handling_event", default=None)


def event_id_of(note: Notification) -> str:
    """A notice's id is its event's id, a colon, then the recipient (notification.py)."""
    return note.id.partition(":")[0]


def sealed_variables(note: Notification, cipher: PiiCipher) -> dict[str, str] | None:
    envelope = handling_event.get()
    if envelope is None or envelope.get("event_id") != event_id_of(note):
        return None
    return cipher.seal_text(json.dumps(values_of_envelope(envelope), ensure_ascii=False))


def plan_deliveries(store: DeliveryStore, note: Notification, cipher: PiiCipher) -> int:
    """Stores the notice's deliveries, due at once; a replayed event finds them stored and adds none."""
    allowed = tuple(store.policy_for(note.division).allowed_channels)
    channels = outgoing_channels(note.recipient, note.kind, store.chosen_channels(note.recipient), allowed)
    variables = sealed_variables(note, cipher) if channels else None
    planned = 0
    for channel in channels:
        delivery = Delivery(
            id=delivery_id(note.id, channel.value),
            notification_id=note.id,
            event_id=event_id_of(note),
            event_type=note.kind,
            recipient=note.recipient,
            division=note.division,
            channel=channel,
            next_attempt_at=note.created_at,
            created_at=note.created_at,
            one_time_code=note.kind in ONE_TIME_CODES,
            sealed_variables=variables,
        )
        planned += store.plan(delivery)
    return planned


def public_envelope(envelope: dict) -> dict:
    """The envelope a county system receives: the payload without the citizen's words, contact or codes."""
    payload = {name: value for name, value in (envelope.get("payload") or {}).items() if name not in PERSONAL_FIELDS}
    return {**envelope, "payload": payload}


def plan_webhooks(store: DeliveryStore, envelope: dict, subscriptions: list[Subscription], at) -> int:
    """One webhook delivery per subscription listening to this event, keyed by event and subscription."""
    planned = 0
    for subscription in subscriptions:
        recipient = f"county_system:{subscription.id}"
        notice_id = f"{envelope['event_id']}:{recipient}"
        delivery = Delivery(
            id=delivery_id(notice_id, NotifyChannel.WEBHOOK.value),
            notification_id=notice_id,
            event_id=envelope["event_id"],
            event_type=envelope["type"],
            recipient=recipient,
            division=envelope["division"],
            channel=NotifyChannel.WEBHOOK,
            next_attempt_at=at,
            created_at=at,
            envelope=public_envelope(envelope),
        )
        planned += store.plan(delivery)
    return planned


class NoticesWithDeliveries(AggregateCollection[Notification]):
    """The inbox's notices; storing one also plans its deliveries, so every notice builder that calls
    `store.notifications.add(note)` gets delivery on the recipient's channels without knowing of it.
    Planning runs on a redelivery too (where `add` finds the notice stored): a crash between the two
    writes leaves nothing unplanned, and ids keyed by event, recipient and channel keep it once."""

    def __init__(self, collection, publish, deliveries: DeliveryStore, cipher: PiiCipher):
        super().__init__(collection, Notification, "id", publish)
        self.deliveries, self.cipher = deliveries, cipher

    def add(self, entity: Notification, events=(), correlation_id: str = "-", applied_event: str | None = None) -> bool:
        added = super().add(entity, events, correlation_id, applied_event)
        plan_deliveries(self.deliveries, entity, self.cipher)
        return added
