"""legislation's own database: drafts, the directory, tasks, and one collection group per capability.

Every hot collection is keyed by its entity's id (`_id` lookups are the only ones the embedded
store does not scan for); the indexes below serve real MongoDB's listings.
"""

from datetime import datetime, timedelta

from pymongo.errors import DuplicateKeyError

from contracts.legislation.drafts import DraftStatus
from contracts.paging import Page
from contracts.vocabulary import fixed_width_utc
from infra.aggregates import AggregateCollection
from infra.mongo import division_prefix_filter
from infra.outbox import Publish
from services.legislation.comments.store import CommentStore
from services.legislation.directory.entries import CollectionPoint, ContactPoint, Office, Officer
from services.legislation.drafts.draft import Draft
from services.legislation.tasks.task import Task

DIRECTORY_LISTING = 500


class LegislationStore:
    def __init__(self, db, publish: Publish):
        self.db = db
        self.drafts = AggregateCollection(db["drafts"], Draft, "draft_id", publish)
        self.offices = AggregateCollection(db["offices"], Office, "office_id", publish)
        self.points = AggregateCollection(db["contact_points"], ContactPoint, "point_id", publish)
        self.officers = AggregateCollection(db["officers"], Officer, "officer_id", publish)
        self.collection_points = AggregateCollection(
            db["collection_points"], CollectionPoint, "collection_point_id", publish
        )
        self.tasks = AggregateCollection(db["tasks"], Task, "task_id", publish)
        self.comments = CommentStore(db, publish)
        self.successors = db["draft_successors"]

    def ensure_indexes(self) -> None:
        drafts = self.drafts.collection
        drafts.create_index([("division", 1), ("opens_at", -1)])
        drafts.create_index([("opened", 1), ("opens_at", 1)])  # the window timer's two queries
        drafts.create_index([("closed", 1), ("closes_at", 1)])
        drafts.create_index([("closes_at", 1), ("opens_at", 1)])  # the open drafts, public listing
        for directory in (self.offices, self.points, self.officers, self.collection_points):
            directory.collection.create_index("division")
        self.officers.collection.create_index("point_id")
        self.collection_points.collection.create_index("point_id")
        self.tasks.collection.create_index([("draft_id", 1), ("point_id", 1)])
        self.tasks.collection.create_index([("point_id", 1), ("assigned_at", -1)])
        self.tasks.collection.create_index("root_task_id")
        self.tasks.collection.create_index("forwarded_from", sparse=True)
        self.comments.ensure_indexes()
        for aggregates in self.aggregates():
            aggregates.ensure_indexes()

    def aggregates(self) -> tuple[AggregateCollection, ...]:
        """The collections whose documents keep an outbox."""
        own = (self.drafts, self.offices, self.points, self.officers, self.collection_points, self.tasks)
        return own + self.comments.aggregates()

    def sweep(self, older_than: timedelta) -> int:
        return sum(aggregates.sweep(older_than) for aggregates in self.aggregates())

    def in_division(self, entries: AggregateCollection, division_prefix: str) -> list:
        """A directory kind's entries in a division and below, by division and id (at most `DIRECTORY_LISTING`)."""
        query = {"division": division_prefix_filter(division_prefix)}
        return entries.page(query, "division", False, DIRECTORY_LISTING).items

    def claim_successor(self, previous_draft_id: str, draft_id: str) -> str:
        """The draft that follows `previous_draft_id`: `draft_id` if this call is the first to claim the
        place, else the one that holds it (one insert keyed by the earlier draft, so two new versions of
        one draft cannot both win). A claim whose draft was never stored (a crash between the two
        writes) is taken over."""
        try:
            self.successors.insert_one({"_id": previous_draft_id, "draft_id": draft_id})
            return draft_id
        except DuplicateKeyError:
            holder = self.successors.find_one({"_id": previous_draft_id})["draft_id"]
        if holder == draft_id or self.drafts.get(holder) is not None:
            return holder
        taken = self.successors.update_one(
            {"_id": previous_draft_id, "draft_id": holder}, {"$set": {"draft_id": draft_id}}
        )
        return draft_id if taken.modified_count else self.successors.find_one({"_id": previous_draft_id})["draft_id"]

    def successor(self, draft_id: str) -> str | None:
        found = self.successors.find_one({"_id": draft_id})
        return found["draft_id"] if found and self.drafts.get(found["draft_id"]) is not None else None

    def due_drafts(self, now: datetime, limit: int) -> list[str]:
        """Drafts whose window opened or closed by `now` without its event yet (the timer's work)."""
        moment = fixed_width_utc(now)
        due = {
            "$or": [{"opened": False, "opens_at": {"$lte": moment}}, {"closed": False, "closes_at": {"$lte": moment}}]
        }
        return [doc["_id"] for doc in self.drafts.collection.find(due, {"_id": 1}).limit(limit)]

    def drafts_in(
        self, division_prefix: str, status: DraftStatus | None, now: datetime, limit: int, after: str | None
    ) -> Page:
        """Drafts of a division and below in `status` (every one without), latest window first."""
        moment = fixed_width_utc(now)
        windows = {
            None: {},
            DraftStatus.SCHEDULED: {"opens_at": {"$gt": moment}},
            DraftStatus.OPEN: {"opens_at": {"$lte": moment}, "closes_at": {"$gt": moment}},
            DraftStatus.CLOSED: {"closes_at": {"$lte": moment}},
        }
        query = {"division": division_prefix_filter(division_prefix), **windows[status]}
        return self.drafts.page(query, "opens_at", True, limit, after)
