"""The follow-up reviews: by due date for the timer, per division for the lists and the ledger."""

from datetime import date, timedelta

from contracts.paging import Page
from contracts.supervision.reviews import ReviewKind, ReviewState
from infra.aggregates import AggregateCollection
from infra.mongo import division_prefix_filter
from infra.outbox import Publish
from services.supervision.reviews.review import Review


class ReviewStore:
    def __init__(self, db, publish: Publish):
        self.reviews = AggregateCollection(db["reviews"], Review, "review_id", publish)

    def ensure_indexes(self) -> None:
        self.reviews.collection.create_index([("state", 1), ("due_on", 1)])
        self.reviews.collection.create_index([("division", 1), ("due_on", 1)])
        self.reviews.ensure_indexes()

    def sweep(self, older_than: timedelta) -> int:
        return self.reviews.sweep(older_than)

    def falling_due(self, today: date, limit: int = 500) -> list[str]:
        query = {"state": ReviewState.SCHEDULED.value, "due_on": {"$lte": today.isoformat()}}
        return [doc["_id"] for doc in self.reviews.collection.find(query, {"_id": 1}).limit(limit)]

    def in_division(
        self,
        division_prefix: str,
        limit: int,
        after: str | None,
        kind: ReviewKind | None = None,
        state: ReviewState | None = None,
    ) -> Page:
        """Soonest due first."""
        query: dict = {"division": division_prefix_filter(division_prefix)}
        if kind:
            query["kind"] = kind.value
        if state:
            query["state"] = state.value
        return self.reviews.page(query, "due_on", False, limit, after)
