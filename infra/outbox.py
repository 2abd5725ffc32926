"""Transactional outbox in a single document (ARCHITECTURE.md, rule 4).

A state change and the events it causes are written in one atomic update: the events go into the
document's `outbox` array. They are published afterwards and pulled once the broker confirmed;
a sweeper republishes whatever a crash left behind. Consumers are idempotent, so a second
publication is harmless.
"""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from pymongo.collection import Collection

from contracts.envelope import Envelope

Publish = Callable[[dict], None]


def outbox_entry(envelope: Envelope) -> dict:
    return {"event_id": envelope.event_id, "queued_at": datetime.now(UTC), "envelope": envelope.wire()}


class Outbox:
    def __init__(self, collection: Collection):
        self.collection = collection

    def ensure_indexes(self) -> None:
        self.collection.create_index("outbox.queued_at", sparse=True)

    def relay(self, doc_id: str, publish: Publish) -> int:
        """Publish the document's pending events in order; returns how many went out."""
        doc = self.collection.find_one({"_id": doc_id}, {"outbox": 1})
        sent = 0
        for entry in (doc or {}).get("outbox", []):
            publish(entry["envelope"])
            self.collection.update_one({"_id": doc_id}, {"$pull": {"outbox": {"event_id": entry["event_id"]}}})
            sent += 1
        return sent

    def sweep(self, publish: Publish, older_than: timedelta, limit: int = 200) -> int:
        cutoff = datetime.now(UTC) - older_than
        stale = self.collection.find({"outbox.queued_at": {"$lt": cutoff}}, {"_id": 1}).limit(limit)
        return sum(self.relay(doc["_id"], publish) for doc in stale)
