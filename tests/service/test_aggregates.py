"""Versioned aggregates with their outbox, on the test database (a real MongoDB when MONGO_URL is set)."""

from typing import ClassVar

import pytest
from pydantic import BaseModel

from contracts.errors import ErrorCode, ServiceError
from contracts.message import Message
from infra.aggregates import AggregateCollection, VersionConflict
from tests.factories import Publications


class Counter(BaseModel):
    name: str
    division: str = "330481"
    count: int = 0
    version: int = 0


class Counted(Message):
    TYPE: ClassVar[str] = "counter.counted"
    SOURCE: ClassVar[str] = "test"

    name: str
    count: int


def counted(counter: Counter) -> Counted:
    return Counted(name=counter.name, count=counter.count)


@pytest.fixture
def published():
    return Publications()


@pytest.fixture
def counters(mongo_db, published):
    collection = AggregateCollection(mongo_db["counters"], Counter, "name", published)
    collection.ensure_indexes()
    return collection


def test_a_new_aggregate_is_stored_at_version_1_and_its_events_published_once(counters, published):
    assert counters.add(Counter(name="a"), [counted(Counter(name="a"))], "corr-1") is True
    assert counters.add(Counter(name="a", count=99), [counted(Counter(name="a"))], "corr-2") is False

    stored = counters.get("a")
    assert stored == Counter(name="a", count=0, version=1)
    assert published.types() == ["counter.counted"] and published.wires[0]["correlation_id"] == "corr-1"
    assert counters.collection.find_one({"_id": "a"})["outbox"] == []


def test_a_save_increments_the_version_and_publishes_its_events(counters, published):
    counters.add(Counter(name="a"))
    loaded = counters.get("a")
    saved = counters.save(loaded.model_copy(update={"count": 1}), [Counted(name="a", count=1)], "corr-3")

    assert saved.version == 2 and counters.get("a") == Counter(name="a", count=1, version=2)
    assert [wire["payload"]["count"] for wire in published.wires] == [1]


def test_a_save_from_a_stale_version_is_a_conflict_carrying_the_current_state_and_changes_nothing(counters, published):
    counters.add(Counter(name="a"))
    first, second = counters.get("a"), counters.get("a")
    counters.save(first.model_copy(update={"count": 1}))

    with pytest.raises(VersionConflict) as lost:
        counters.save(second.model_copy(update={"count": 50}), [Counted(name="a", count=50)])
    assert lost.value.current == Counter(name="a", count=1, version=2)
    assert counters.get("a").count == 1 and published.wires == []
    assert counters.collection.find_one({"_id": "a"})["outbox"] == []


def test_a_save_of_an_aggregate_that_does_not_exist_is_a_conflict_with_no_state(counters):
    with pytest.raises(VersionConflict) as lost:
        counters.save(Counter(name="ghost", version=1))
    assert lost.value.current is None and counters.get("ghost") is None


def test_an_event_is_applied_once_however_often_it_is_delivered(counters):
    counters.add(Counter(name="a"))
    for _ in range(3):
        counters.apply_once("a", "event-1", lambda counter: counter.model_copy(update={"count": counter.count + 1}))
    counters.apply_once("a", "event-2", lambda counter: counter.model_copy(update={"count": counter.count + 10}))

    assert counters.get("a").count == 11
    assert counters.collection.find_one({"_id": "a"})["applied_events"] == ["event-1", "event-2"]


def test_apply_once_creates_what_is_missing_when_told_how(counters):
    def add_one(counter):
        return counter.model_copy(update={"count": counter.count + 1})

    assert counters.apply_once("new", "event-1", add_one, create=lambda: Counter(name="new")) is True
    assert counters.apply_once("new", "event-1", add_one, create=lambda: Counter(name="new")) is False
    assert counters.get("new") == Counter(name="new", count=1, version=1)


def test_apply_once_without_create_refuses_a_missing_aggregate(counters):
    with pytest.raises(LookupError):
        counters.apply_once("ghost", "event-1", lambda counter: counter)


def test_apply_once_retries_on_the_fresh_state_when_a_concurrent_change_wins(counters):
    counters.add(Counter(name="a"))
    raced = []

    def change(counter):
        if not raced:  # another worker saves between our read and our write, once
            raced.append(counters.save(counters.get("a").model_copy(update={"count": 100})))
        return counter.model_copy(update={"count": counter.count + 1})

    assert counters.apply_once("a", "event-1", change) is True
    assert counters.get("a").count == 101 and counters.get("a").version == 3


def test_pages_sorted_by_a_field_cover_everything_once_with_ties_broken_by_key(counters):
    for index in range(7):
        counters.add(Counter(name=f"c{index}", count=index // 2))  # counts 0,0,1,1,2,2,3: ties
    seen, after = [], None
    while True:
        page = counters.page({}, "count", False, limit=3, after=after)
        seen.extend(counter.name for counter in page.items)
        if page.next is None:
            break
        after = page.next
    assert seen == ["c0", "c1", "c2", "c3", "c4", "c5", "c6"]

    newest = counters.page({}, "count", True, limit=2)
    assert [c.name for c in newest.items] == ["c6", "c5"]
    assert [c.name for c in counters.page({}, "count", True, limit=2, after=newest.next).items] == ["c4", "c3"]


def test_a_garbled_cursor_is_invalid_input_naming_after(counters):
    with pytest.raises(ServiceError) as raised:
        counters.page({}, "count", False, limit=3, after="not-a-cursor")
    assert raised.value.code is ErrorCode.INVALID and raised.value.field == "after"
