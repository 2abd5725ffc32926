"""The grouping collections: items with their terms and band keys, the band buckets that find
candidates, the groups (versioned, with their outbox) and the daily hot-word counters.

Every lookup on the path of a new item is by `_id` (the primary key's index, on MongoDB and the
embedded store alike), so its cost does not grow with the items stored:
- a bucket `division|period|band:hash` lists the items of a 30-day period filed under that band
  key (the latest `BUCKET_SIZE`), so a lookup reads only the periods around the item's;
- a counter `area|day` holds that day's term counts and the items already counted.
Writes are guarded by the item's code (`$ne`), so a replayed item is neither filed nor counted twice.
"""

from collections import Counter
from datetime import date, timedelta

from pymongo import UpdateOne
from pymongo.errors import BulkWriteError, DuplicateKeyError

from contracts.paging import Page
from infra.aggregates import AggregateCollection
from infra.mongo import division_prefix_filter
from infra.outbox import Publish
from services.intake.grouping.group import OpinionGroup
from services.intake.grouping.item import Indexed, period, periods_around

BUCKET_SIZE = 100
DUPLICATE_KEY = 11000


def bucket_id(division: str, period: int, key: str) -> str:
    return f"{division}|{period}|{key}"


def counter_id(area: str, day: date) -> str:
    return f"{area}|{day.isoformat()}"


class GroupingStore:
    def __init__(self, db, publish: Publish):
        self.items = db["grouping_items"]
        self.buckets = db["grouping_buckets"]
        self.counters = db["hot_word_days"]
        self.groups = AggregateCollection(db["opinion_groups"], OpinionGroup, "group_id", publish)

    def ensure_indexes(self) -> None:
        self.groups.collection.create_index([("division", 1), ("created_at", -1)])
        self.groups.ensure_indexes()

    def sweep(self, older_than: timedelta) -> int:
        return self.groups.sweep(older_than)

    # items

    def add_item(self, item: Indexed) -> None:
        """Stores the item once; a replay keeps what is stored (its group included)."""
        try:
            self.items.insert_one({"_id": item.tracking_code, **item.model_dump(mode="json")})
        except DuplicateKeyError:
            pass

    def item(self, tracking_code: str) -> Indexed | None:
        doc = self.items.find_one({"_id": tracking_code})
        return Indexed.model_validate(doc) if doc else None

    def items_by_code(self, codes: list[str]) -> dict[str, Indexed]:
        found = (self.item(code) for code in codes)
        return {item.tracking_code: item for item in found if item is not None}

    def claim(self, tracking_code: str, group_id: str) -> str | None:
        """Puts a free item in the group; returns the group it is in now (another if it was taken)."""
        self.items.update_one({"_id": tracking_code, "group_id": None}, {"$set": {"group_id": group_id}})
        doc = self.items.find_one({"_id": tracking_code}, {"group_id": 1})
        return doc.get("group_id") if doc else None

    def release(self, tracking_code: str, group_id: str, taken_out: bool) -> None:
        """Frees the item from the group; one `taken_out` by a station is not put back in it."""
        change: dict = {"$set": {"group_id": None}}
        if taken_out:
            change["$addToSet"] = {"left_groups": group_id}
        self.items.update_one({"_id": tracking_code, "group_id": group_id}, change)

    # candidates

    def file(self, item: Indexed) -> None:
        """Files the item under each of its band keys in its period, each bucket kept to its latest items."""
        self._guarded(
            self.buckets,
            [
                UpdateOne(
                    {
                        "_id": bucket_id(item.division, period(item.submitted_at), key),
                        "members": {"$ne": item.tracking_code},
                    },
                    {"$push": {"members": {"$each": [item.tracking_code], "$slice": -BUCKET_SIZE}}},
                    upsert=True,
                )
                for key in item.keys
            ],
        )

    def candidates(self, item: Indexed, limit: int) -> list[Indexed]:
        """Up to `limit` items sharing a band key with `item`, those sharing the most first."""
        shared: Counter[str] = Counter()
        for around in periods_around(item.submitted_at):
            for key in item.keys:
                bucket = self.buckets.find_one({"_id": bucket_id(item.division, around, key)})
                shared.update(code for code in (bucket or {}).get("members", ()) if code != item.tracking_code)
        ranked = [code for code, _ in sorted(shared.items(), key=lambda pair: (-pair[1], pair[0]))[:limit]]
        found = self.items_by_code(ranked)
        return [found[code] for code in ranked if code in found]

    # hot words

    def count(self, areas: list[str], day: date, tracking_code: str, terms: list[str]) -> None:
        """Adds one to each term's count for the day in every area, once per item."""
        increments = {f"counts.{term}": 1 for term in terms}
        self._guarded(
            self.counters,
            [
                UpdateOne(
                    {"_id": counter_id(area, day), "items": {"$ne": tracking_code}},
                    {"$inc": {"total": 1, **increments}, "$push": {"items": tracking_code}},
                    upsert=True,
                )
                for area in areas
            ],
        )

    def daily_counts(self, area: str, days: list[date]) -> list[tuple[int, dict[str, int]]]:
        """(items, counts by term) for each day of the area that has any."""
        found = []
        for day in days:
            doc = self.counters.find_one({"_id": counter_id(area, day)}, {"items": 0})
            if doc:
                found.append((doc.get("total", 0), doc.get("counts", {})))
        return found

    # groups

    def groups_in(self, division_prefix: str, limit: int, after: str | None) -> Page:
        """Groups of two or more, newest first."""
        query = {"division": division_prefix_filter(division_prefix), "size": {"$gte": 2}}
        return self.groups.page(query, "created_at", True, limit, after)

    @staticmethod
    def _guarded(collection, updates: list[UpdateOne]) -> None:
        """Runs the updates; one skipped by its guard (done before) upserts a duplicate key, ignored."""
        if not updates:
            return
        try:
            collection.bulk_write(updates, ordered=False)
        except BulkWriteError as error:
            if any(failure["code"] != DUPLICATE_KEY for failure in error.details["writeErrors"]):
                raise
