"""Intake's own database: opinions (the tracking code is the natural key) and the directory."""

from datetime import timedelta

from contracts.intake import DeputyIn, StationIn, StationView
from contracts.paging import Page
from infra.aggregates import AggregateCollection
from infra.mongo import division_prefix_filter
from infra.outbox import Publish
from infra.paging import page
from services.intake.opinion import Opinion


class IntakeStore:
    def __init__(self, db, publish: Publish):
        self.opinions = AggregateCollection(db["opinions"], Opinion, "tracking_code", publish)
        self.stations = db["stations"]
        self.deputies = db["deputies"]

    def ensure_indexes(self) -> None:
        self.stations.create_index("division")
        self.deputies.create_index("station_id")
        self.opinions.collection.create_index([("division", 1), ("submitted_at", -1)])
        self.opinions.collection.create_index("contact.phone_hash", sparse=True)
        self.opinions.ensure_indexes()

    def sweep(self, older_than: timedelta) -> int:
        return self.opinions.sweep(older_than)

    def save_station(self, station: StationIn) -> None:
        self.stations.replace_one({"_id": station.id}, {"_id": station.id, **station.model_dump()}, upsert=True)

    def has_station(self, station_id: str) -> bool:
        return self.stations.count_documents({"_id": station_id}, limit=1) == 1

    def save_deputy(self, deputy: DeputyIn) -> None:
        self.deputies.replace_one({"_id": deputy.id}, {"_id": deputy.id, **deputy.model_dump()}, upsert=True)

    def stations_in(self, division_prefix: str, limit: int, after: str | None = None) -> Page:
        """Stations by id, each with the names of the deputies who receive there."""
        query = {"division": division_prefix_filter(division_prefix)}
        stations, following = page(self.stations, query, "_id", False, limit, after)
        names: dict[str, list[str]] = {station["_id"]: [] for station in stations}
        for deputy in self.deputies.find({"station_id": {"$in": list(names)}}).sort("_id", 1):
            names[deputy["station_id"]].append(deputy["name"])
        return Page(
            items=[StationView(**station, deputies=names[station["_id"]]) for station in stations], next=following
        )
