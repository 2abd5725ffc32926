"""The public ledger's own data: the citizen's words (from `opinion.received`, shown only where the
division allows) and each division's choice. The ledger's lines themselves are the watched cases."""

from datetime import datetime

from pymongo.collection import Collection

from contracts.paging import Page
from contracts.vocabulary import CaseStatus
from infra.aggregates import AggregateCollection
from infra.mongo import division_prefix_filter

DIVISION_LENGTHS = (6, 9, 12)  # county, township, village (GB/T 2260)


def enclosing(division: str) -> list[str]:
    """The division and those above it down to the county, nearest first."""
    return [division[:n] for n in reversed(DIVISION_LENGTHS) if n <= len(division)]


class LedgerStore:
    def __init__(self, db):
        self.texts: Collection = db["ledger_texts"]
        self.settings: Collection = db["ledger_settings"]

    def keep_text(self, tracking_code: str, division: str, text: str) -> None:
        """Once per item: a redelivered `opinion.received` changes nothing."""
        self.texts.update_one(
            {"_id": tracking_code}, {"$setOnInsert": {"division": division, "text": text}}, upsert=True
        )

    def texts_of(self, tracking_codes: list[str]) -> dict[str, str]:
        return {doc["_id"]: doc["text"] for doc in self.texts.find({"_id": {"$in": tracking_codes}})}

    def show_text(self, divisions: set[str]) -> dict[str, bool]:
        """For each division, its own choice or the nearest enclosing division's; no choice means no."""
        codes = {code for division in divisions for code in enclosing(division)}
        chosen = {doc["_id"]: doc["show_text"] for doc in self.settings.find({"_id": {"$in": sorted(codes)}})}
        return {
            division: next((chosen[code] for code in enclosing(division) if code in chosen), False)
            for division in divisions
        }

    def choice(self, division: str) -> dict | None:
        return self.settings.find_one({"_id": division})

    def choose(self, division: str, show_text: bool, now: datetime) -> dict:
        self.settings.update_one({"_id": division}, {"$set": {"show_text": show_text, "updated_at": now}}, upsert=True)
        return self.choice(division)


def ledger_page(cases: AggregateCollection, division_prefix: str, limit: int, after: str | None) -> Page:
    """The division's assigned cases, the latest assigned first; a case merged into another is its
    primary's line, not one of its own."""
    query = {"division": division_prefix_filter(division_prefix), "status": {"$ne": CaseStatus.MERGED.value}}
    return cases.page(query, "assigned_at", True, limit, after)
