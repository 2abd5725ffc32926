"""The directory's collections."""

from contracts.intake.directory import DeputyIn, StationIn, StationView
from contracts.paging import Page
from infra.mongo import division_prefix_filter
from infra.paging import page


class DirectoryStore:
    def __init__(self, db):
        self.stations = db["stations"]
        self.deputies = db["deputies"]

    def ensure_indexes(self) -> None:
        self.stations.create_index("division")
        self.deputies.create_index("station_id")

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
