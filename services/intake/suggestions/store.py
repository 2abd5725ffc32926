"""The suggestions collections: the suggestions (versioned, with their outbox) and the number counters."""

from datetime import timedelta

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from contracts.intake.suggestions import CongressSession, SuggestionStatus
from contracts.paging import Page
from infra.aggregates import AggregateCollection
from infra.mongo import division_prefix_filter
from infra.outbox import Publish
from services.intake.suggestions.suggestion import Suggestion


class SuggestionStore:
    def __init__(self, db, publish: Publish):
        self.suggestions = AggregateCollection(db["suggestions"], Suggestion, "id", publish)
        self.counters = db["suggestion_number_counters"]

    def ensure_indexes(self) -> None:
        collection = self.suggestions.collection
        collection.create_index([("division", 1), ("filed_at", -1)])
        collection.create_index(
            [("division", 1), ("session.term", 1), ("session.meeting", 1), ("number", 1)], unique=True
        )
        self.suggestions.ensure_indexes()

    def sweep(self, older_than: timedelta) -> int:
        return self.suggestions.sweep(older_than)

    def next_number(self, division: str, session: CongressSession, suggestion_id: str) -> int:
        """The session's next number in the division, from one atomic counter: concurrent filings
        get distinct numbers with none skipped.

        The counter remembers the suggestion it last numbered, so asking again for the same one
        gives the same number back; `release` gives the number back when that suggestion could not
        be stored, so a refused write leaves no gap either.
        """
        key = f"{division}:{session.term}:{session.meeting}"
        try:
            counter = self.counters.find_one_and_update(
                {"_id": key, "last_id": {"$ne": suggestion_id}},
                {"$inc": {"value": 1}, "$set": {"last_id": suggestion_id}},
                upsert=True,
                return_document=ReturnDocument.AFTER,
            )
        except DuplicateKeyError:  # the counter's last number went to this very suggestion
            counter = self.counters.find_one({"_id": key})
        return counter["value"]

    def release(self, division: str, session: CongressSession, suggestion_id: str, number: int) -> None:
        """Takes back `number` if it is still the last one given, to `suggestion_id`."""
        key = f"{division}:{session.term}:{session.meeting}"
        self.counters.update_one(
            {"_id": key, "last_id": suggestion_id, "value": number}, {"$inc": {"value": -1}, "$set": {"last_id": None}}
        )

    def page(self, division_prefix: str, status: SuggestionStatus | None, limit: int, after: str | None = None) -> Page:
        """Newest first."""
        query: dict = {"division": division_prefix_filter(division_prefix)}
        if status is not None:
            query["status"] = status.value
        return self.suggestions.page(query, "filed_at", True, limit, after)
