"""Intake's own database: opinions (the tracking code is the natural key), and one store per capability."""

from datetime import timedelta

from infra.aggregates import AggregateCollection
from infra.outbox import Publish
from services.intake.directory.store import DirectoryStore
from services.intake.grouping.store import GroupingStore
from services.intake.imports.store import ImportStore
from services.intake.opinion import Opinion
from services.intake.photos.store import PhotoStore
from services.intake.receptions.store import ReceptionStore
from services.intake.suggestions.store import SuggestionStore


class IntakeStore:
    def __init__(self, db, publish: Publish):
        self.opinions = AggregateCollection(db["opinions"], Opinion, "tracking_code", publish)
        self.directory = DirectoryStore(db)
        self.receptions = ReceptionStore(db)
        self.suggestions = SuggestionStore(db)
        self.photos = PhotoStore(db)
        self.grouping = GroupingStore(db)
        self.imports = ImportStore(db)

    def ensure_indexes(self) -> None:
        self.opinions.collection.create_index([("division", 1), ("submitted_at", -1)])
        self.opinions.collection.create_index("contact.phone_hash", sparse=True)
        self.opinions.ensure_indexes()
        for part in (self.directory, self.receptions, self.suggestions, self.photos, self.grouping, self.imports):
            part.ensure_indexes()

    def sweep(self, older_than: timedelta) -> int:
        return self.opinions.sweep(older_than)
