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

    def relay(self, doc_id: str, publish: Publish, entries: list[dict] | None = None) -> int:
        """Publishes the document's pending events in order, then pulls them in one update.

        `entries` are the ones just written, when the caller has them; otherwise they are read
        back. If a publication fails midway, the sweeper publishes the rest (and may repeat one).
        """
        if entries is None:
            doc = self.collection.find_one({"_id": doc_id}, {"outbox": 1})
            entries = (doc or {}).get("outbox", [])
        for entry in entries:
            publish(entry["envelope"])
        if entries:
            sent = [entry["event_id"] for entry in entries]
            self.collection.update_one({"_id": doc_id}, {"$pull": {"outbox": {"event_id": {"$in": sent}}}})
        return len(entries)

    def sweep(self, publish: Publish, older_than: timedelta, limit: int = 200) -> int:
        cutoff = datetime.now(UTC) - older_than
        stale = self.collection.find({"outbox.queued_at": {"$lt": cutoff}}, {"_id": 1}).limit(limit)
        return sum(self.relay(doc["_id"], publish) for doc in stale)
