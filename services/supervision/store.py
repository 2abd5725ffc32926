"""Supervision's read model of cases under deadline watch."""

from datetime import date, timedelta

from contracts.paging import Page
from infra.aggregates import AggregateCollection
from infra.mongo import division_prefix_filter
from infra.outbox import Publish
from services.supervision.evaluation import Evaluation
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

    def ensure_indexes(self) -> None:
        self.cases.collection.create_index([("division", 1), ("due_date", 1)])
        self.cases.collection.create_index([("status", 1), ("due_date", 1)])
        self.cases.ensure_indexes()
        self.evaluations.ensure_indexes()

    def sweep(self, older_than: timedelta) -> int:
        return self.cases.sweep(older_than) + self.evaluations.sweep(older_than)

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
