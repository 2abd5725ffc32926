"""Intake's own database: opinions (the tracking code is the natural key), and one store per capability."""

from datetime import timedelta

from pymongo.errors import DuplicateKeyError

from contracts.intake.categories import CategoryList
from infra.aggregates import AggregateCollection
from infra.outbox import Publish
from infra.sequences import Sequences
from services.intake.categories import NATIONAL_DEFAULT, enclosing
from services.intake.directory.store import DirectoryStore
from services.intake.evaluation_codes.store import EvaluationCodeStore
from services.intake.grouping.store import GroupingStore
from services.intake.imports.store import ImportStore
from services.intake.opinion import Opinion
from services.intake.photos.store import PhotoStore
from services.intake.receptions.store import ReceptionStore
from services.intake.suggestions.store import SuggestionStore


class IntakeStore:
    def __init__(self, db, publish: Publish):
        self.opinions = AggregateCollection(db["opinions"], Opinion, "tracking_code", publish)
        self.case_numbers = Sequences(db["case_number_counters"])
        self.categories = db["categories"]
        self.external_keys = db["external_keys"]
        self.directory = DirectoryStore(db)
        self.receptions = ReceptionStore(db)
        self.suggestions = SuggestionStore(db, publish)
        self.photos = PhotoStore(db)
        self.grouping = GroupingStore(db, publish)
        self.imports = ImportStore(db)
        self.evaluation_codes = EvaluationCodeStore(db, publish)

    def ensure_indexes(self) -> None:
        self.opinions.collection.create_index([("division", 1), ("submitted_at", -1)])
        self.opinions.collection.create_index("contact.phone_hash", sparse=True)
        self.opinions.collection.create_index("case_number")
        self.opinions.collection.create_index("contact.key_id", sparse=True)
        self.opinions.collection.create_index("follows", sparse=True)  # grouping/follow.py followers
        self.opinions.ensure_indexes()
        for part in (self.directory, self.receptions, self.suggestions, self.photos, self.grouping, self.imports):
            part.ensure_indexes()
        self.evaluation_codes.ensure_indexes()

    def sweep(self, older_than: timedelta) -> int:
        parts = (self.opinions, self.suggestions, self.grouping, self.evaluation_codes)
        return sum(part.sweep(older_than) for part in parts)

    def next_case_number(self, county: str, year: int, tracking_code: str) -> int:
        """The county's next number in `year`, gap-free under concurrent submissions (infra.sequences)."""
        return self.case_numbers.next(f"{county}-{year}", tracking_code)

    def claim_external_key(self, external_key: str, tracking_code: str) -> str:
        """The tracking code a county system's id belongs to: `tracking_code` if this call is the first
        to claim it, else the code of whoever claimed it before (one insert keyed by the id, so two
        concurrent sends of one row cannot both win)."""
        try:
            self.external_keys.insert_one({"_id": external_key, "tracking_code": tracking_code})
            return tracking_code
        except DuplicateKeyError:
            return self.external_keys.find_one({"_id": external_key})["tracking_code"]

    def category_list(self, division: str) -> CategoryList:
        for code in enclosing(division):
            own = self.categories.find_one({"_id": code})
            if own is not None:
                return CategoryList(division=division, names=own["names"], defined_at=code)
        return CategoryList(division=division, names=list(NATIONAL_DEFAULT), defined_at=None)

    def set_categories(self, division: str, names: list[str]) -> None:
        self.categories.replace_one({"_id": division}, {"_id": division, "names": names}, upsert=True)

    def contacts_under_old_keys(self, active_key: str, limit: int) -> list[Opinion]:
        query = {"contact.key_id": {"$exists": True, "$ne": active_key}}
        return [self.opinions.get(doc["_id"]) for doc in self.opinions.collection.find(query, {"_id": 1}).limit(limit)]

    def count_contacts_under_old_keys(self, active_key: str) -> int:
        return self.opinions.collection.count_documents({"contact.key_id": {"$exists": True, "$ne": active_key}})
