"""Supervision's read model of cases under deadline watch."""

from datetime import date, timedelta

from contracts.paging import Page
from infra.aggregates import AggregateCollection
from infra.mongo import division_prefix_filter
from infra.outbox import Publish
from services.supervision.county_calendar.store import CountyCalendarStore
from services.supervision.deadline_watch.store import ensure_watch_indexes
from services.supervision.evaluation import Evaluation
from services.supervision.evaluation_window_store import EvaluationWindowStore
from services.supervision.key_items.store import KeyItemStore
from services.supervision.ledger.store import LedgerStore
from services.supervision.reviews.store import ReviewStore
from services.supervision.watch import OPEN_STATUSES, WatchedCase


def overdue_filter(today: date) -> dict:
    """Open, past its due date, and its clock running (a paused case's due date moves when it resumes)."""
    return {
        "status": {"$in": [s.value for s in OPEN_STATUSES]},
        "due_date": {"$lt": today.isoformat()},
        "paused": {"$ne": True},
    }


class SupervisionStore:
    def __init__(self, db, publish: Publish):
        self.cases = AggregateCollection(db["watched_cases"], WatchedCase, "case_id", publish)
        self.evaluations = AggregateCollection(db["evaluations"], Evaluation, "evaluation_id", publish)
        # close the loop (S2): evaluation windows, key items, follow-up reviews
        self.evaluation_windows = EvaluationWindowStore(db, publish)
        self.key_items = KeyItemStore(db, publish)
        self.reviews = ReviewStore(db, publish)
        self.ledger = LedgerStore(db)
        # the watch's county calendars (routing's calendar.day_set) and its one-off upkeep records
        self.county_calendar = CountyCalendarStore(db)
        self.watch_upkeep = db["watch_upkeep"]

    def ensure_indexes(self) -> None:
        self.cases.collection.create_index([("division", 1), ("due_date", 1)])
        self.cases.collection.create_index([("status", 1), ("due_date", 1)])
        self.cases.collection.create_index([("division", 1), ("assigned_at", -1)])  # the public ledger
        ensure_watch_indexes(self.cases.collection)
        self.county_calendar.ensure_indexes()
        self.cases.ensure_indexes()
        self.evaluations.ensure_indexes()
        for part in (self.evaluation_windows, self.key_items, self.reviews):
            part.ensure_indexes()

    def sweep(self, older_than: timedelta) -> int:
        closing = sum(part.sweep(older_than) for part in (self.evaluation_windows, self.key_items, self.reviews))
        return self.cases.sweep(older_than) + self.evaluations.sweep(older_than) + closing

    def in_division(
        self, division_prefix: str, limit: int, after: str | None = None, overdue_on: date | None = None
    ) -> Page:
        """Soonest due first."""
        query = {"division": division_prefix_filter(division_prefix)}
        if overdue_on:
            query |= overdue_filter(overdue_on)
        return self.cases.page(query, "due_date", False, limit, after)

    def count_overdue(self, today: date) -> int:
        return self.cases.collection.count_documents(overdue_filter(today))
