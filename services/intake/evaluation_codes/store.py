"""Evaluation codes keyed by tracking code, and failed proofs counted per client address and hour."""

from datetime import datetime, timedelta

from infra.aggregates import AggregateCollection
from infra.outbox import Publish
from services.intake.evaluation_codes.code import EvaluationCode


class EvaluationCodeStore:
    def __init__(self, db, publish: Publish):
        self.codes = AggregateCollection(db["evaluation_codes"], EvaluationCode, "tracking_code", publish)
        self.failures = db["proof_failures"]

    def ensure_indexes(self) -> None:
        self.codes.ensure_indexes()
        self.failures.create_index("expires_at", expireAfterSeconds=0)

    def sweep(self, older_than: timedelta) -> int:
        return self.codes.sweep(older_than)

    def failures_of(self, address_key: str) -> int:
        doc = self.failures.find_one({"_id": address_key})
        return doc["failures"] if doc else 0

    def count_failure(self, address_key: str, expires_at: datetime) -> None:
        self.failures.update_one(
            {"_id": address_key}, {"$inc": {"failures": 1}, "$setOnInsert": {"expires_at": expires_at}}, upsert=True
        )
