"""The in-app inbox: one document per notification, keyed by event id and recipient."""

from datetime import datetime, timedelta

from contracts.paging import Page
from infra.mongo import division_prefix_filter
from infra.outbox import Publish
from infra.pii import PiiCipher
from infra.settings import get_settings
from services.notify.delivery.planning import NoticesWithDeliveries
from services.notify.delivery.store import DeliveryStore
from services.notify.item_notices import ItemFollowers
from services.notify.templates.store import TemplateStore
from services.notify.webhooks.store import WebhookStore


class InboxStore:
    def __init__(self, db, publish: Publish, cipher: PiiCipher | None = None):
        self.cipher = cipher or PiiCipher(get_settings().pii_keys)
        self.delivery = DeliveryStore(db, publish)
        self.notifications = NoticesWithDeliveries(db["inbox"], publish, self.delivery, self.cipher)
        self.erased_contacts = db["erased_contacts"]
        self.templates = TemplateStore(db)
        self.webhooks = WebhookStore(db)
        self.followers = db["item_followers"]

    def ensure_indexes(self) -> None:
        self.notifications.collection.create_index([("recipient", 1), ("created_at", -1)])
        self.notifications.ensure_indexes()
        self.notifications.collection.create_index([("recipient", 1), ("read_at", 1)])
        self.delivery.ensure_indexes()
        self.templates.ensure_indexes()
        self.webhooks.ensure_indexes()

    def sweep(self, older_than: timedelta) -> int:
        return self.notifications.sweep(older_than)

    def add_notices(self, notes) -> None:
        """Stores each notice once (its id is the event id and the recipient), planning its deliveries."""
        for note in notes:
            self.notifications.add(note)

    def for_recipient(self, recipient: str, division_prefix: str, limit: int, after: str | None = None) -> Page:
        """Newest first."""
        query = {"recipient": recipient, "division": division_prefix_filter(division_prefix)}
        return self.notifications.page(query, "created_at", True, limit, after)

    def forget_contact(self, tracking_code: str, erased_at: datetime) -> None:
        """Remembers that the citizen of this item erased their contact: no message may reach them."""
        self.erased_contacts.update_one({"_id": tracking_code}, {"$setOnInsert": {"erased_at": erased_at}}, upsert=True)

    def unread_count(self, recipient: str) -> int:
        """Counts the recipient's notices with no `read_at`, on the index the inbox reads by."""
        return self.notifications.collection.count_documents({"recipient": recipient, "read_at": None})

    def mark_read(self, notification_id: str, recipient: str, at: datetime) -> bool:
        """Marks the recipient's own notice read (the first time counts); False if it is not theirs or
        does not exist."""
        notices = self.notifications.collection
        notices.update_one({"_id": notification_id, "recipient": recipient, "read_at": None}, {"$set": {"read_at": at}})
        return notices.count_documents({"_id": notification_id, "recipient": recipient}, limit=1) == 1

    def follow(self, followers: ItemFollowers) -> None:
        """Remembers who follows an item (a redelivered opinion.received sets the same fields again)."""
        fields = followers.model_dump(exclude={"tracking_code", "units"})
        self.followers.update_one({"_id": followers.tracking_code}, {"$set": fields}, upsert=True)

    def follow_suggestion(self, case_id: str, deputy: str) -> None:
        """A formal suggestion's lead deputy follows its case (a redelivered case.assigned sets the same)."""
        self.followers.update_one({"_id": case_id}, {"$set": {"deputy": deputy, "suggestion": True}}, upsert=True)

    def follow_units(self, tracking_code: str, units: list[str]) -> None:
        self.followers.update_one({"_id": tracking_code}, {"$addToSet": {"units": {"$each": units}}}, upsert=True)

    def followers_of(self, tracking_code: str) -> ItemFollowers | None:
        doc = self.followers.find_one({"_id": tracking_code})
        return ItemFollowers(tracking_code=doc.pop("_id"), **doc) if doc else None
