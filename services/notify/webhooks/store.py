"""Webhook subscriptions, one document each keyed by its id; the signing secret sealed at rest."""

from datetime import datetime

from pydantic import BaseModel

from contracts.notify.webhooks import SubscriptionStatus
from contracts.vocabulary import within
from infra.mongo import division_prefix_filter


class Subscription(BaseModel):
    id: str
    url: str
    event_types: list[str]
    division: str
    status: SubscriptionStatus
    owner: str
    created_at: datetime
    verified_at: datetime | None = None
    # the secret as PiiCipher.seal_text gives it: never stored in the clear, never answered
    sealed_secret: dict[str, str]


class WebhookStore:
    def __init__(self, db):
        self.collection = db["webhook_subscriptions"]

    def ensure_indexes(self) -> None:
        # who hears an event: active subscriptions to its type (a multikey index on event_types)
        self.collection.create_index([("event_types", 1), ("status", 1)])
        # a division's listing
        self.collection.create_index([("division", 1), ("created_at", 1)])

    def add(self, subscription: Subscription) -> None:
        self.collection.insert_one({"_id": subscription.id, **subscription.model_dump(exclude={"id"})})

    def get(self, subscription_id: str) -> Subscription | None:
        document = self.collection.find_one({"_id": subscription_id})
        return Subscription(id=document.pop("_id"), **document) if document else None

    def mark(self, subscription_id: str, status: SubscriptionStatus, at: datetime | None) -> None:
        self.collection.update_one({"_id": subscription_id}, {"$set": {"status": status.value, "verified_at": at}})

    def remove(self, subscription_id: str) -> bool:
        return self.collection.delete_one({"_id": subscription_id}).deleted_count == 1

    def in_division(self, division_prefix: str) -> list[Subscription]:
        documents = self.collection.find({"division": division_prefix_filter(division_prefix)}).sort("created_at", 1)
        return [Subscription(id=document.pop("_id"), **document) for document in documents]

    def listening(self, event_type: str, division: str) -> list[Subscription]:
        """Active subscriptions to `event_type` whose division contains the event's division."""
        query = {"event_types": event_type, "status": SubscriptionStatus.ACTIVE.value}
        found = [Subscription(id=document.pop("_id"), **document) for document in self.collection.find(query)]
        return [subscription for subscription in found if within(division, subscription.division)]
