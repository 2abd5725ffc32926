"""Deliveries, channel preferences, divisions' channel policies and rate-limit windows.

Every hot read is by `_id`: a delivery by its id, a principal's preferences by recipient, a policy by
division code, a rate window by its key. The due-deliveries query has its index for real MongoDB.
"""

import json
from datetime import UTC, datetime, timedelta

from pymongo import ReturnDocument

from contracts.notify.delivery import DeliveryStatus, DivisionPolicyIn, QuietHours
from contracts.paging import Page
from contracts.vocabulary import fixed_width_utc
from infra.aggregates import AggregateCollection, VersionConflict
from infra.mongo import division_prefix_filter
from infra.outbox import Publish
from infra.pii import PiiCipher
from services.notify.delivery.policy import EVERY_CHANNEL
from services.notify.delivery.record import Delivery

IN_FLIGHT = [DeliveryStatus.PENDING.value, DeliveryStatus.SENDING.value]
DEFAULT_POLICY = DivisionPolicyIn(allowed_channels=list(EVERY_CHANNEL), quiet_hours=QuietHours())


def ancestors(division: str) -> list[str]:
    """A division and the ones above it (GB/T 2260: 12 → 9 → 6 digits), most specific first."""
    return [division[:n] for n in (12, 9, 6) if len(division) >= n]


class DeliveryStore:
    def __init__(self, db, publish: Publish):
        self.deliveries = AggregateCollection(db["deliveries"], Delivery, "id", publish)
        self.preferences = db["preferences"]
        self.policies = db["division_policies"]
        self.windows = db["rate_windows"]

    def ensure_indexes(self) -> None:
        deliveries = self.deliveries.collection
        deliveries.create_index([("status", 1), ("next_attempt_at", 1)])
        deliveries.create_index([("event_id", 1)])
        deliveries.create_index([("recipient", 1), ("created_at", -1)])
        self.windows.create_index("expires_at", expireAfterSeconds=0)
        self.deliveries.ensure_indexes()

    # deliveries
    def plan(self, delivery: Delivery) -> bool:
        """Stores a new delivery; False (and nothing changes) if this event, recipient and channel has one."""
        return self.deliveries.add(delivery)

    def due(self, now: datetime, limit: int, busy: list[str] = ()) -> list[Delivery]:
        """Pending deliveries whose time has come, and sending ones whose lease ran out, oldest first;
        none for the recipients in `busy`."""
        query = {"status": {"$in": IN_FLIGHT}, "next_attempt_at": {"$lte": fixed_width_utc(now)}}
        if busy:
            query["recipient"] = {"$nin": list(busy)}
        docs = self.deliveries.collection.find(query, {"_id": 1}).sort("next_attempt_at", 1).limit(limit)
        found = (self.deliveries.get(doc["_id"]) for doc in docs)
        return [delivery for delivery in found if delivery is not None]

    def save(self, delivery: Delivery) -> Delivery | None:
        """The delivery at its new version, or None if another worker changed it since it was read."""
        try:
            return self.deliveries.save(delivery)
        except VersionConflict:
            return None

    def get(self, delivery_id: str) -> Delivery | None:
        return self.deliveries.get(delivery_id)

    def find(self, division: str, event_id: str | None, recipient: str | None, limit: int, after: str | None) -> Page:
        query: dict = {"division": division_prefix_filter(division)}
        if event_id:
            query["event_id"] = event_id
        if recipient:
            query["recipient"] = recipient
        return self.deliveries.page(query, "created_at", True, limit, after)

    # preferences: the channels are plain, the addresses sealed (a phone or an e-mail is personal data)
    def chosen_channels(self, recipient: str) -> dict[str, list[str]]:
        doc = self.preferences.find_one({"_id": recipient}, {"channels": 1}) or {}
        return doc.get("channels", {})

    def preferences_of(self, recipient: str, cipher: PiiCipher) -> tuple[dict, dict]:
        doc = self.preferences.find_one({"_id": recipient}) or {}
        addresses = json.loads(cipher.open_text(doc["addresses"])) if doc.get("addresses") else {}
        return doc.get("channels", {}), addresses

    def set_preferences(self, recipient: str, division: str, channels: dict, addresses: dict, cipher: PiiCipher):
        sealed = cipher.seal_text(json.dumps(addresses, ensure_ascii=False))
        fields = {"division": division, "channels": channels, "addresses": sealed, "updated_at": datetime.now(UTC)}
        self.preferences.update_one({"_id": recipient}, {"$set": fields}, upsert=True)

    # divisions' policies, the nearest one above a division applying
    def policy_for(self, division: str) -> DivisionPolicyIn:
        docs = {doc["_id"]: doc for doc in self.policies.find({"_id": {"$in": ancestors(division)}})}
        nearest = next((docs[code] for code in ancestors(division) if code in docs), None)
        return DivisionPolicyIn.model_validate(nearest) if nearest else DEFAULT_POLICY

    def set_policy(self, division: str, policy: DivisionPolicyIn) -> None:
        self.policies.update_one({"_id": division}, {"$set": policy.model_dump(mode="json")}, upsert=True)

    # rate limits: one counter per key and fixed window
    def take(self, key: str, window: timedelta, limit: int, now: datetime) -> datetime | None:
        """Counts one send under `key` in the current window; None if it is within `limit`, else the
        start of the next window (when the send may be tried again)."""
        seconds = int(window.total_seconds())
        start = int(now.timestamp()) // seconds * seconds
        following = datetime.fromtimestamp(start + seconds, UTC)
        doc = self.windows.find_one_and_update(
            {"_id": f"{key}@{start}"},
            {"$inc": {"count": 1}, "$setOnInsert": {"expires_at": following + window}},
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        return None if doc["count"] <= limit else following
