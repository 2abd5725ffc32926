"""Intake's own collection of opinions; the tracking code is the natural key."""

from pymongo.errors import DuplicateKeyError

from contracts.events import Transition
from contracts.rpc import DeputyIn, StationIn, StationView
from infra.mongo import division_prefix_filter
from infra.outbox import Outbox, outbox_entry
from services.intake.domain import Opinion


class OpinionStore:
    def __init__(self, db):
        self.opinions = db["opinions"]
        self.stations = db["stations"]
        self.deputies = db["deputies"]
        self.outbox = Outbox(self.opinions)

    def ensure_indexes(self) -> None:
        self.stations.create_index("division")
        self.deputies.create_index("station_id")
        self.opinions.create_index([("division", 1), ("submitted_at", -1)])
        self.opinions.create_index("contact.phone_hash", sparse=True)
        self.outbox.ensure_indexes()

    def insert(self, opinion: Opinion, events) -> list[dict] | None:
        """Stores a new opinion with its events in the outbox and returns them; None if it was stored before."""
        doc = {"_id": opinion.tracking_code, **opinion.model_dump(mode="json")}
        doc["applied_events"] = []
        doc["outbox"] = [outbox_entry(envelope) for envelope in events]
        try:
            self.opinions.insert_one(doc)
        except DuplicateKeyError:
            return None
        return doc["outbox"]

    def get(self, tracking_code: str) -> Opinion | None:
        doc = self.opinions.find_one({"_id": tracking_code})
        return Opinion.model_validate(doc) if doc else None

    def apply_event(self, tracking_code: str, event_id: str, changes: dict, transitions: list[Transition]) -> bool:
        """Applies another service's event once: a redelivered event finds its id already recorded."""
        result = self.opinions.update_one(
            {"_id": tracking_code, "applied_events": {"$ne": event_id}},
            {
                "$set": changes,
                "$push": {
                    "history": {"$each": [t.model_dump(mode="json") for t in transitions]},
                    "applied_events": event_id,
                },
            },
        )
        return result.modified_count == 1

    def save_station(self, station: StationIn) -> None:
        self.stations.replace_one({"_id": station.id}, {"_id": station.id, **station.model_dump()}, upsert=True)

    def has_station(self, station_id: str) -> bool:
        return self.stations.count_documents({"_id": station_id}, limit=1) == 1

    def save_deputy(self, deputy: DeputyIn) -> None:
        self.deputies.replace_one({"_id": deputy.id}, {"_id": deputy.id, **deputy.model_dump()}, upsert=True)

    def stations_in(self, division_prefix: str, limit: int) -> list[StationView]:
        stations = list(
            self.stations.find({"division": division_prefix_filter(division_prefix)}).sort("_id", 1).limit(limit)
        )
        names: dict[str, list[str]] = {station["_id"]: [] for station in stations}
        for deputy in self.deputies.find({"station_id": {"$in": list(names)}}).sort("_id", 1):
            names[deputy["station_id"]].append(deputy["name"])
        return [StationView(**station, deputies=names[station["_id"]]) for station in stations]
