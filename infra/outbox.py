"""Transactional outbox in a single document (ARCHITECTURE.md, rule 4).

A state change and the events it causes are written in one atomic update: the events go into the
document's `outbox` array. They are published afterwards and pulled once the broker confirmed;
a sweeper republishes whatever a crash or a broker outage left behind. Consumers are idempotent,
so a second publication is harmless.

A publication the broker refuses does not fail the change that caused it: the change is stored
and its events are safe in the outbox, so the message that caused it is acknowledged rather than
redelivered (and counted towards its dead-letter limit) while the broker is away.
"""

import logging
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from pymongo.collection import Collection

from contracts.message import Message

log = logging.getLogger(__name__)

Publish = Callable[[dict], None]


class PublishFailed(Exception):
    """The broker did not take an event (down, refusing, or no queue bound); it can be sent again."""


def outbox_entries(events: Iterable[Message], division: str, correlation_id: str) -> list[dict]:
    """The envelopes of the events a change caused, ready to be written with it."""
    queued_at = datetime.now(UTC)
    envelopes = [event.envelope(division, correlation_id) for event in events]
    return [{"event_id": e.event_id, "queued_at": queued_at, "envelope": e.wire()} for e in envelopes]


class Outbox:
    """The outbox of one collection's documents and the function that publishes its events."""

    def __init__(self, collection: Collection, publish: Publish):
        self.collection = collection
        self.publish = publish

    def ensure_indexes(self) -> None:
        self.collection.create_index("outbox.queued_at", sparse=True)

    def relay(self, doc_id: str, entries: list[dict] | None = None) -> int:
        """Publishes the document's pending events in order, then pulls them in one update.

        `entries` are the ones just written, when the caller has them; otherwise they are read
        back. If a publication fails midway, the sweeper publishes the rest (and may repeat one).
        """
        if entries is None:
            doc = self.collection.find_one({"_id": doc_id}, {"outbox": 1})
            entries = (doc or {}).get("outbox", [])
        sent = []
        for entry in entries:
            try:
                self.publish(entry["envelope"])
            except PublishFailed as error:
                log.warning(
                    "事件暂未发布，留在发件箱待重发 / event %s waits in the outbox: %s", entry["event_id"], error
                )
                break
            sent.append(entry["event_id"])
        if sent:
            self.collection.update_one({"_id": doc_id}, {"$pull": {"outbox": {"event_id": {"$in": sent}}}})
        return len(sent)

    def sweep(self, older_than: timedelta, limit: int = 200) -> int:
        cutoff = datetime.now(UTC) - older_than
        stale = self.collection.find({"outbox.queued_at": {"$lt": cutoff}}, {"_id": 1}).limit(limit)
        return sum(self.relay(doc["_id"]) for doc in stale)
