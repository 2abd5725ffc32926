"""The single-document outbox on the test database (a real MongoDB when MONGO_URL is set)."""

from datetime import UTC, datetime, timedelta

import pytest

from contracts.envelope import Envelope
from infra.outbox import Outbox, outbox_entry


def envelope(n: int) -> Envelope:
    return Envelope(type="test.happened", division="330481", correlation_id=f"c{n}", payload={"n": n})


@pytest.fixture
def outbox(mongo_db):
    box = Outbox(mongo_db["things"])
    box.ensure_indexes()
    return box


def store(outbox, doc_id: str, *envelopes: Envelope, queued_at: datetime | None = None) -> list[dict]:
    entries = [outbox_entry(e) for e in envelopes]
    for entry in entries:
        entry["queued_at"] = queued_at or entry["queued_at"]
    outbox.collection.insert_one({"_id": doc_id, "outbox": entries})
    return entries


def test_relay_publishes_in_order_and_empties_the_outbox(outbox):
    published = []
    entries = store(outbox, "a", envelope(1), envelope(2))
    assert outbox.relay("a", published.append, entries) == 2
    assert [wire["payload"]["n"] for wire in published] == [1, 2]
    assert outbox.collection.find_one({"_id": "a"})["outbox"] == []


def test_relay_reads_back_what_it_was_not_given(outbox):
    published = []
    store(outbox, "a", envelope(1))
    assert outbox.relay("a", published.append) == 1 and published[0]["correlation_id"] == "c1"
    assert outbox.relay("a", published.append) == 0


def test_a_failed_publication_keeps_the_events_and_the_sweeper_sends_only_stale_ones(outbox):
    def broken(_):
        raise ConnectionError("broker gone")

    entries = store(outbox, "old", envelope(1), queued_at=datetime.now(UTC) - timedelta(minutes=5))
    store(outbox, "fresh", envelope(2))
    with pytest.raises(ConnectionError):
        outbox.relay("old", broken, entries)
    assert len(outbox.collection.find_one({"_id": "old"})["outbox"]) == 1

    published = []
    assert outbox.sweep(published.append, older_than=timedelta(minutes=1)) == 1
    assert [wire["payload"]["n"] for wire in published] == [1]
    assert len(outbox.collection.find_one({"_id": "fresh"})["outbox"]) == 1
