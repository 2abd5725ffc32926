"""The reception sessions: one document each, with the tracking codes of the items received there.

Two sessions of one station cannot start at the same moment unless one was cancelled: the `slot`
field (station and start) has a unique index and is removed on cancelling, so a retried creation
finds the first one instead of adding a second.
"""

from datetime import datetime

from pymongo.errors import DuplicateKeyError

from contracts.intake.receptions import ReceptionStatus
from contracts.paging import Page
from contracts.vocabulary import fixed_width_utc
from infra.mongo import division_prefix_filter
from infra.paging import page
from services.intake.receptions.session import Reception


class SlotTaken(Exception):
    """The station already has a session starting then; `existing` is that session."""

    def __init__(self, existing: Reception):
        super().__init__(f"{existing.station.id} already receives at {existing.starts_at}")
        self.existing = existing


class StaleReception(Exception):
    """The session changed since it was loaded; `current` is what is stored now."""

    def __init__(self, current: Reception | None):
        super().__init__("reception changed concurrently")
        self.current = current


class ReceptionStore:
    def __init__(self, db):
        self.sessions = db["receptions"]

    def ensure_indexes(self) -> None:
        self.sessions.create_index([("division", 1), ("starts_at", 1)])
        self.sessions.create_index("slot", unique=True, sparse=True)

    # what the lead's staff submission uses: a session by id, and linking an item once stored

    def get(self, reception_id: str) -> dict | None:
        """The session as a plain dict (`_id`, `station_id`, `division`, `deputy_ids`, `status`, `starts_at`…)."""
        reception = self.load(reception_id)
        if reception is None:
            return None
        return {
            "_id": reception.id,
            **reception.model_dump(mode="json", exclude={"id"}),
            "station_id": reception.station.id,
            "deputy_ids": reception.deputy_ids,
            "starts_at": reception.starts_at,
        }

    def link_item(self, reception_id: str, tracking_code: str) -> bool:
        """Lists the item at the session once, however often it is delivered; False if there is no session."""
        result = self.sessions.update_one({"_id": reception_id}, {"$addToSet": {"items": tracking_code}})
        return result.matched_count == 1

    # the receptions' own

    def load(self, reception_id: str) -> Reception | None:
        doc = self.sessions.find_one({"_id": reception_id})
        return self._entity(doc) if doc else None

    def add(self, reception: Reception) -> Reception:
        doc = {"_id": reception.id, **self._fields(reception), "version": 1}
        try:
            self.sessions.insert_one(doc)
        except DuplicateKeyError:
            existing = self.sessions.find_one({"slot": doc["slot"]})
            if existing is None:  # an id drawn twice: vanishingly rare, and the caller may retry
                raise
            raise SlotTaken(self._entity(existing)) from None
        return reception.model_copy(update={"version": 1})

    def save(self, reception: Reception) -> Reception:
        """Writes the session as loaded at `reception.version`; StaleReception if it changed meanwhile."""
        fields = self._fields(reception)
        update: dict = {"$set": {k: v for k, v in fields.items() if k != "items"}, "$inc": {"version": 1}}
        if "slot" not in fields:
            update["$unset"] = {"slot": ""}
        result = self.sessions.update_one({"_id": reception.id, "version": reception.version}, update)
        if result.matched_count == 0:
            raise StaleReception(self.load(reception.id))
        return reception.model_copy(update={"version": reception.version + 1})

    def in_division(self, prefix: str, status: ReceptionStatus | None, limit: int, after: str | None) -> Page:
        """Every session of the division's stations and below, latest first."""
        query: dict = {"division": division_prefix_filter(prefix)}
        if status is not None:
            query["status"] = status.value
        docs, following = page(self.sessions, query, "starts_at", True, limit, after)
        return Page(items=[self._entity(doc) for doc in docs], next=following)

    def announced(self, prefix: str, since: datetime, limit: int, after: str | None) -> Page:
        """Announced sessions (held or cancelled since included) starting from `since`, in time order."""
        query = {
            "division": division_prefix_filter(prefix),
            "announced_at": {"$ne": None},
            "starts_at": {"$gte": fixed_width_utc(since)},
        }
        docs, following = page(self.sessions, query, "starts_at", False, limit, after)
        return Page(items=[self._entity(doc) for doc in docs], next=following)

    def _fields(self, reception: Reception) -> dict:
        fields = reception.model_dump(mode="json", exclude={"id", "version"})
        if reception.status is not ReceptionStatus.CANCELLED:
            fields["slot"] = f"{reception.station.id}|{fields['starts_at']}"
        return fields

    def _entity(self, doc: dict) -> Reception:
        fields = {name: value for name, value in doc.items() if name not in ("_id", "slot")}
        return Reception.model_validate({**fields, "id": doc["_id"]})
