"""The key items, keyed by case: one document each, its marks and records inside it."""

from datetime import date, timedelta

from contracts.paging import Page
from infra.aggregates import AggregateCollection
from infra.mongo import division_prefix_filter
from infra.outbox import Publish
from services.supervision.key_items.item import KeyItem


class KeyItemStore:
    def __init__(self, db, publish: Publish):
        self.items = AggregateCollection(db["key_items"], KeyItem, "case_id", publish)

    def ensure_indexes(self) -> None:
        self.items.collection.create_index([("division", 1), ("marked_on", 1)])
        self.items.ensure_indexes()

    def sweep(self, older_than: timedelta) -> int:
        return self.items.sweep(older_than)

    def in_period(self, division_prefix: str, first: date, last: date, limit: int, after: str | None) -> Page:
        """On the list at any time in [first, last]: marked by its end, not taken off before its start."""
        query = {
            "division": division_prefix_filter(division_prefix),
            "marked_on": {"$lte": last.isoformat()},
            "$or": [{"unmarked_on": None}, {"unmarked_on": {"$gte": first.isoformat()}}],
        }
        return self.items.page(query, "marked_on", False, limit, after)
