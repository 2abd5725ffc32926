"""The directory's collections: one per kind of entry, each document keyed by the entry's id (an
area's by its code) and carrying the `division` that places it, so one lookup and one listing
serve every kind."""

from pymongo.errors import DuplicateKeyError

from contracts.errors import ErrorCode, ServiceError
from contracts.intake.directory import ENTRIES, DirectoryKind, Entry, StationView
from contracts.paging import Page
from infra.mongo import division_prefix_filter
from infra.paging import page

COLLECTIONS = {
    DirectoryKind.AREA: "areas",
    DirectoryKind.GRID: "grids",
    DirectoryKind.STATION: "stations",
    DirectoryKind.DEPUTY: "deputies",
}


def entry_id(entry: Entry) -> str:
    return getattr(entry, "id", None) or entry.code


def division_of(entry: Entry) -> str:
    """Where the entry lies: an area is its own code, a grid lies in its area."""
    return getattr(entry, "division", None) or getattr(entry, "area", None) or entry.code


def document(entry: Entry) -> dict:
    return {"_id": entry_id(entry), **entry.model_dump(mode="json"), "division": division_of(entry)}


class DirectoryStore:
    def __init__(self, db):
        self.collections = {kind: db[name] for kind, name in COLLECTIONS.items()}
        self.stations = self.collections[DirectoryKind.STATION]
        self.deputies = self.collections[DirectoryKind.DEPUTY]

    def ensure_indexes(self) -> None:
        for collection in self.collections.values():
            collection.create_index("division")
        self.deputies.create_index("station_ids")
        self.upgrade_stored()

    def upgrade_stored(self) -> None:
        """Entries stored before the directory knew deactivation and several stations per deputy:
        active, and a deputy's one `station_id` becomes `station_ids`. Runs at start-up; a no-op after."""
        for collection in self.collections.values():
            collection.update_many({"active": {"$exists": False}}, {"$set": {"active": True}})
        for deputy in self.deputies.find({"station_ids": {"$exists": False}}, {"station_id": 1}):
            ids = [deputy["station_id"]] if deputy.get("station_id") else []
            self.deputies.update_one(
                {"_id": deputy["_id"]}, {"$set": {"station_ids": ids}, "$unset": {"station_id": ""}}
            )

    def find(self, kind: str, entry_id: str) -> dict | None:
        """The stored entry (`_id`, `name`, `division`, `active`, and its own fields: a deputy's
        `station_ids`, a grid's `area`…), or None. What opinions check their references with."""
        collection = self.collections.get(kind)
        return None if collection is None else collection.find_one({"_id": entry_id})

    def add(self, kind: DirectoryKind, entry: Entry) -> None:
        try:
            self.collections[kind].insert_one(document(entry))
        except DuplicateKeyError:
            current = self.entry(kind, entry_id(entry))
            raise ServiceError(
                ErrorCode.CONFLICT,
                f"{entry_id(entry)} 已存在，修改请用 PATCH (already exists: change it with PATCH)",
                "code" if kind is DirectoryKind.AREA else "id",
                state=current.model_dump(mode="json") if current else None,
            ) from None

    def change(self, kind: DirectoryKind, entry: Entry, fields: dict) -> None:
        """Sets only the changed fields, so two people changing different fields both keep theirs."""
        if fields:
            self.collections[kind].update_one(
                {"_id": entry_id(entry)}, {"$set": {**fields, "division": division_of(entry)}}
            )

    def entry(self, kind: DirectoryKind, entry_id: str) -> Entry | None:
        found = self.find(kind, entry_id)
        return None if found is None else ENTRIES[kind].model_validate(found)

    def entries(
        self, kind: DirectoryKind, division_prefix: str, active: bool | None, limit: int, after: str | None
    ) -> Page:
        query: dict = {"division": division_prefix_filter(division_prefix)}
        if active is not None:
            query["active"] = active
        docs, following = page(self.collections[kind], query, "_id", False, limit, after)
        return Page(items=[ENTRIES[kind].model_validate(doc) for doc in docs], next=following)

    def stations_in(self, division_prefix: str, limit: int, after: str | None = None) -> Page:
        """Active stations by id, each with the names of the active deputies who receive there."""
        query = {"division": division_prefix_filter(division_prefix), "active": True}
        stations, following = page(self.stations, query, "_id", False, limit, after)
        names: dict[str, list[str]] = {station["_id"]: [] for station in stations}
        deputies = self.deputies.find({"station_ids": {"$in": list(names)}, "active": True}).sort("_id", 1)
        for deputy in deputies:
            for station_id in deputy["station_ids"]:
                if station_id in names:
                    names[station_id].append(deputy["name"])
        return Page(
            items=[StationView(**station, deputies=names[station["_id"]]) for station in stations], next=following
        )
