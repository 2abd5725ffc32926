"""Applying another service's event to one of supervision's aggregates once, with the events it causes.

`AggregateCollection.apply_once` stores no events; these changes do (`case.key_marked`,
`evaluation.requested`), so they are saved with their outbox and the event id in one guarded update.
"""

from collections.abc import Callable

from pydantic import BaseModel

from contracts.envelope import Envelope
from contracts.message import Message
from infra.aggregates import AggregateCollection, VersionConflict

Change = Callable[[BaseModel | None], tuple[BaseModel, list[Message]] | None]


def save_once(aggregates: AggregateCollection, key: str, envelope: Envelope, change: Change) -> bool:
    """`change(current or None)` gives the new entity and its events, or None to leave it be.

    A redelivered event only relays what a crash may have left in the outbox; a concurrent change is
    retried on the fresh state."""
    for _ in range(5):
        if aggregates.collection.find_one({"_id": key, "applied_events": envelope.event_id}, {"_id": 1}):
            aggregates.outbox.relay(key)
            return False
        current = aggregates.get(key)
        decided = change(current)
        if decided is None:
            return False
        entity, events = decided
        if current is None:
            if aggregates.add(entity, events, envelope.correlation_id, applied_event=envelope.event_id):
                return True
            continue
        try:
            aggregates.save(entity, events, envelope.correlation_id, applied_event=envelope.event_id)
            return True
        except VersionConflict:
            continue
    raise VersionConflict(key, aggregates.get(key))
