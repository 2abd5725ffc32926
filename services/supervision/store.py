"""Supervision's read model of cases under deadline watch."""

from datetime import date

from pymongo.errors import DuplicateKeyError

from infra.mongo import division_prefix_filter
from services.supervision.domain import OPEN_STATUSES, WatchedCase


def overdue_filter(today: date) -> dict:
    return {"status": {"$in": [s.value for s in OPEN_STATUSES]}, "due_date": {"$lt": today.isoformat()}}


class WatchStore:
    def __init__(self, db):
        self.cases = db["watched_cases"]

    def ensure_indexes(self) -> None:
        self.cases.create_index([("division", 1), ("due_date", 1)])
        self.cases.create_index([("status", 1), ("due_date", 1)])

    def add(self, case: WatchedCase) -> bool:
        try:
            self.cases.insert_one({"_id": case.case_id, **case.model_dump(mode="json")})
        except DuplicateKeyError:
            return False
        return True

    def in_division(self, division_prefix: str, limit: int, overdue_on: date | None = None) -> list[WatchedCase]:
        query = {"division": division_prefix_filter(division_prefix)}
        if overdue_on:
            query |= overdue_filter(overdue_on)
        docs = self.cases.find(query).sort("due_date", 1).limit(limit)
        return [WatchedCase.model_validate(doc) for doc in docs]

    def count_overdue(self, today: date) -> int:
        return self.cases.count_documents(overdue_filter(today))
