"""Versioned aggregates with their outbox: the one way every service stores what its actions change.

Each aggregate is one document (ARCHITECTURE.md, rule 4: no multi-document transactions):
- its fields, the entity's own (a pydantic model of the service's domain, mapped here and only here);
- `version`, which every save increments, guarded on the version that was loaded, so of two
  concurrent changes the second fails with `VersionConflict` instead of overwriting the first;
- `outbox`, the events the change caused, written in the same update and published right after;
- `applied_events`, the ids of other services' events already applied, so a redelivered event
  changes nothing.
"""

from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Generic, TypeVar

from pydantic import BaseModel
from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError

from contracts.message import Message
from contracts.paging import Page
from infra.outbox import Outbox, Publish, outbox_entries
from infra.paging import page

Entity = TypeVar("Entity", bound=BaseModel)

BOOKKEEPING = ("_id", "version", "outbox", "applied_events")
HIDDEN = {"outbox": 0, "applied_events": 0}  # what reads leave out: bookkeeping, not the entity
APPLY_ATTEMPTS = 5


class VersionConflict(Exception):
    """The aggregate changed since it was loaded; `current` is what is stored now."""

    def __init__(self, key: str, current: BaseModel | None):
        super().__init__(f"{key} changed concurrently")
        self.key = key
        self.current = current


class AggregateCollection(Generic[Entity]):
    """The aggregates of one kind. Entities have a `version` field (0 before their first save) and
    a `division` field (every event carries its division); `key` names the field used as `_id`."""

    def __init__(self, collection: Collection, entity: type[Entity], key: str, publish: Publish):
        self.collection = collection
        self.entity = entity
        self.key = key
        self.outbox = Outbox(collection, publish)

    def ensure_indexes(self) -> None:
        self.outbox.ensure_indexes()

    def get(self, key: str) -> Entity | None:
        doc = self.collection.find_one({"_id": key}, HIDDEN)
        return self._entity(doc) if doc else None

    def page(self, query: dict, field: str, descending: bool, limit: int, after: str | None = None) -> Page:
        """A page of entities sorted by `field` (see `infra.paging`)."""
        docs, following = page(self.collection, query, field, descending, limit, after, HIDDEN)
        return Page(items=[self._entity(doc) for doc in docs], next=following)

    def add(
        self,
        entity: Entity,
        events: Iterable[Message] = (),
        correlation_id: str = "-",
        applied_event: str | None = None,
    ) -> bool:
        """Stores a new aggregate under its natural key and publishes its events.

        False if one was stored under that key before: a redelivered command or event then only
        publishes what a crash may have left in the outbox, so handling stays once per key.
        """
        key = getattr(entity, self.key)
        entries = outbox_entries(events, entity.division, correlation_id)
        applied = [applied_event] if applied_event else []
        doc = {"_id": key, **self._fields(entity), "version": 1, "applied_events": applied, "outbox": entries}
        try:
            self.collection.insert_one(doc)
        except DuplicateKeyError:
            self.outbox.relay(key)
            return False
        self.outbox.relay(key, entries)
        return True

    def save(
        self,
        entity: Entity,
        events: Iterable[Message] = (),
        correlation_id: str = "-",
        applied_event: str | None = None,
    ) -> Entity:
        """Writes the entity as loaded at `entity.version` with its events, then publishes them.

        Returns the entity at its new version; raises VersionConflict if it changed meanwhile.
        """
        key = getattr(entity, self.key)
        entries = outbox_entries(events, entity.division, correlation_id)
        push: dict = {"outbox": {"$each": entries}}
        if applied_event is not None:
            push["applied_events"] = applied_event
        result = self.collection.update_one(
            {"_id": key, "version": entity.version},
            {"$set": self._fields(entity), "$inc": {"version": 1}, "$push": push},
        )
        if result.matched_count == 0:
            raise VersionConflict(key, self.get(key))
        self.outbox.relay(key, entries)
        return entity.model_copy(update={"version": entity.version + 1})

    def apply_once(
        self, key: str, event_id: str, change: Callable[[Entity], Entity], create: Callable[[], Entity] | None = None
    ) -> bool:
        """Applies another service's event to the aggregate once, whatever the redeliveries.

        `change` is the domain's pure function from the entity to its new state. `create` builds
        the entity when none exists yet; without it, a missing aggregate is an error (the message
        is retried, then dead-lettered). A concurrent change is retried on the fresh state.
        """
        for _ in range(APPLY_ATTEMPTS):
            doc = self.collection.find_one({"_id": key}, {"outbox": 0})
            if doc is None:
                if create is None:
                    raise LookupError(f"no {self.entity.__name__} {key} to apply event {event_id} to")
                if self.add(change(create()), applied_event=event_id):
                    return True
                continue
            if event_id in doc.get("applied_events", ()):
                return False
            try:
                self.save(change(self._entity(doc)), applied_event=event_id)
            except VersionConflict:
                continue
            return True
        raise VersionConflict(key, self.get(key))

    def sweep(self, older_than: timedelta) -> int:
        return self.outbox.sweep(older_than)

    def _fields(self, entity: Entity) -> dict:
        return entity.model_dump(mode="json", exclude={"version"})

    def _entity(self, doc: dict) -> Entity:
        fields = {name: value for name, value in doc.items() if name not in BOOKKEEPING}
        return self.entity.model_validate({**fields, "version": doc["version"]})
