"""The in-app inbox: one document per notification, keyed by event id and recipient."""

from datetime import datetime, timedelta

from contracts.paging import Page
from infra.aggregates import AggregateCollection
from infra.mongo import division_prefix_filter
from infra.outbox import Publish
from services.notify.notification import Notification


class InboxStore:
    def __init__(self, db, publish: Publish):
        self.notifications = AggregateCollection(db["inbox"], Notification, "id", publish)
        self.erased_contacts = db["erased_contacts"]

    def ensure_indexes(self) -> None:
        self.notifications.collection.create_index([("recipient", 1), ("created_at", -1)])
        self.notifications.ensure_indexes()

    def sweep(self, older_than: timedelta) -> int:
        return self.notifications.sweep(older_than)

    def for_recipient(self, recipient: str, division_prefix: str, limit: int, after: str | None = None) -> Page:
        """Newest first."""
        query = {"recipient": recipient, "division": division_prefix_filter(division_prefix)}
        return self.notifications.page(query, "created_at", True, limit, after)

    def forget_contact(self, tracking_code: str, erased_at: datetime) -> None:
        """Remembers that the citizen of this item erased their contact: no message may reach them."""
        self.erased_contacts.update_one({"_id": tracking_code}, {"$setOnInsert": {"erased_at": erased_at}}, upsert=True)
