"""The suggestions collections: the suggestions (versioned, with their outbox) and the number counters."""

from datetime import timedelta

from contracts.intake.suggestions import CongressSession, SuggestionStatus
from contracts.paging import Page
from infra.aggregates import AggregateCollection
from infra.mongo import division_prefix_filter
from infra.outbox import Publish
from infra.sequences import Sequences
from services.intake.suggestions.suggestion import Suggestion


def session_key(division: str, session: CongressSession) -> str:
    return f"{division}:{session.term}:{session.meeting}"


class SuggestionStore:
    def __init__(self, db, publish: Publish):
        self.suggestions = AggregateCollection(db["suggestions"], Suggestion, "id", publish)
        self.numbers = Sequences(db["suggestion_number_counters"])

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
        """The session's next number in the division (建议第 N 号), gap-free (infra.sequences)."""
        return self.numbers.next(session_key(division, session), suggestion_id)

    def release(self, division: str, session: CongressSession, suggestion_id: str, number: int) -> None:
        self.numbers.release(session_key(division, session), suggestion_id, number)

    def page(self, division_prefix: str, status: SuggestionStatus | None, limit: int, after: str | None = None) -> Page:
        """Newest first."""
        query: dict = {"division": division_prefix_filter(division_prefix)}
        if status is not None:
            query["status"] = status.value
        return self.suggestions.page(query, "filed_at", True, limit, after)
