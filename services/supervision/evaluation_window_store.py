"""The evaluation windows, one document per case, and the timer's indexed queries over them."""

from datetime import date, timedelta

from infra.aggregates import AggregateCollection
from infra.outbox import Publish
from services.supervision.evaluation_window import EvaluationWindows


class EvaluationWindowStore:
    def __init__(self, db, publish: Publish):
        self.windows = AggregateCollection(db["evaluation_windows"], EvaluationWindows, "case_id", publish)
        self.evaluations = db["evaluations"]

    def ensure_indexes(self) -> None:
        self.windows.collection.create_index("awaiting_remind_on", sparse=True)
        self.windows.collection.create_index("awaiting_closes_on", sparse=True)
        self.windows.ensure_indexes()
        self.evaluations.create_index([("case_id", 1), ("rating", 1)])

    def sweep(self, older_than: timedelta) -> int:
        return self.windows.sweep(older_than)

    def to_remind(self, today: date, limit: int = 500) -> list[str]:
        found = self.windows.collection.find({"awaiting_remind_on": {"$lte": today.isoformat()}}, {"_id": 1})
        return [doc["_id"] for doc in found.limit(limit)]

    def to_close(self, today: date, limit: int = 500) -> list[str]:
        found = self.windows.collection.find({"awaiting_closes_on": {"$lt": today.isoformat()}}, {"_id": 1})
        return [doc["_id"] for doc in found.limit(limit)]

    def rehandled(self, case_id: str, before_round: int) -> int:
        """The earlier replies of the case rated unsatisfied: each reopened it once (不满意件再办理)."""
        query = {"case_id": case_id, "rating": "unsatisfied", "round": {"$lt": before_round}}
        return len(self.evaluations.distinct("round", query))
