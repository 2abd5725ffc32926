"""The single-document outbox on the test database (a real MongoDB when MONGO_URL is set)."""

import threading
from datetime import UTC, datetime, timedelta
from typing import ClassVar

import pytest
from pydantic import BaseModel

from contracts.message import Message
from infra.aggregates import AggregateCollection
from infra.outbox import Outbox, PublishFailed, outbox_entries
from tests.factories import Publications


class Happened(Message):
    TYPE: ClassVar[str] = "test.happened"
    SOURCE: ClassVar[str] = "test"

    n: int


@pytest.fixture
def published():
    return Publications()


@pytest.fixture
def outbox(mongo_db, published):
    box = Outbox(mongo_db["things"], published)
    box.ensure_indexes()
    return box


def store(outbox, doc_id: str, *numbers: int, queued_at: datetime | None = None) -> list[dict]:
    entries = outbox_entries([Happened(n=n) for n in numbers], "330481", f"c{numbers[0]}")
    for entry in entries:
        entry["queued_at"] = queued_at or entry["queued_at"]
    outbox.collection.insert_one({"_id": doc_id, "outbox": entries})
    return entries


def test_relay_publishes_in_order_and_empties_the_outbox(outbox, published):
    entries = store(outbox, "a", 1, 2)
    assert outbox.relay("a", entries) == 2
    assert [wire["payload"]["n"] for wire in published.wires] == [1, 2]
    assert outbox.collection.find_one({"_id": "a"})["outbox"] == []


def test_relay_reads_back_what_it_was_not_given(outbox, published):
    store(outbox, "a", 1)
    assert outbox.relay("a") == 1 and published.wires[0]["correlation_id"] == "c1"
    assert outbox.relay("a") == 0


def test_a_failed_publication_keeps_the_events_and_the_sweeper_sends_only_stale_ones(outbox, published):
    entries = store(outbox, "old", 1, queued_at=datetime.now(UTC) - timedelta(minutes=5))
    store(outbox, "fresh", 2)
    published.failure = PublishFailed("broker gone")
    assert outbox.relay("old", entries) == 0  # the change stands; its event waits in the outbox
    assert len(outbox.collection.find_one({"_id": "old"})["outbox"]) == 1

    published.failure = None
    assert outbox.sweep(older_than=timedelta(minutes=1)) == 1
    assert [wire["payload"]["n"] for wire in published.wires] == [1]
    assert len(outbox.collection.find_one({"_id": "fresh"})["outbox"]) == 1


class Tally(BaseModel):
    """A consumer's aggregate: how many of the swept events it took in."""

    tally_id: str
    division: str = "330481"
    seen: int = 0
    version: int = 0


def test_two_replicas_sweeping_at_once_send_every_event_and_consumers_apply_each_once(mongo_db, published):
    """Every replica of a service runs the sweep timer: both may pick up the same stale document and
    publish its events twice. The guarantee is at least once from the outbox, once in effect at the
    consumer (keyed by event id), so no reminder or notice follows twice."""
    replicas = [Outbox(mongo_db["things"], published) for _ in range(2)]
    stale = datetime.now(UTC) - timedelta(minutes=5)
    for doc in range(20):
        store(replicas[0], f"doc-{doc}", doc * 10, doc * 10 + 1, queued_at=stale)
    barrier = threading.Barrier(2)

    def sweep(outbox: Outbox) -> None:
        barrier.wait()
        outbox.sweep(older_than=timedelta(minutes=1))

    threads = [threading.Thread(target=sweep, args=(outbox,)) for outbox in replicas]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert {wire["payload"]["n"] for wire in published.wires} == {n for d in range(20) for n in (d * 10, d * 10 + 1)}
    assert all(doc["outbox"] == [] for doc in mongo_db["things"].find())
    consumer = AggregateCollection(mongo_db["tallies"], Tally, "tally_id", Publications())
    applied = [
        consumer.apply_once(
            "330481",
            wire["event_id"],
            lambda tally: tally.model_copy(update={"seen": tally.seen + 1}),
            create=lambda: Tally(tally_id="330481"),
        )
        for wire in published.wires
    ]
    assert applied.count(True) == 40 and consumer.get("330481").seen == 40
