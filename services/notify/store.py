"""The in-app inbox; a notification's id is event id plus recipient, so redelivery stores it once."""

from pymongo.errors import BulkWriteError

from infra.mongo import division_prefix_filter
from services.notify.domain import Notification


class InboxStore:
    def __init__(self, db):
        self.inbox = db["inbox"]

    def ensure_indexes(self) -> None:
        self.inbox.create_index([("recipient", 1), ("created_at", -1)])

    def add(self, notifications: list[Notification]) -> None:
        docs = [{"_id": note.id, **note.model_dump(mode="json")} for note in notifications]
        try:
            self.inbox.insert_many(docs, ordered=False)
        except BulkWriteError as error:
            if any(e["code"] != 11000 for e in error.details["writeErrors"]):
                raise

    def for_recipient(self, recipient: str, division_prefix: str, limit: int) -> list[Notification]:
        query = {"recipient": recipient, "division": division_prefix_filter(division_prefix)}
        return [Notification.model_validate(doc) for doc in self.inbox.find(query).sort("created_at", -1).limit(limit)]
