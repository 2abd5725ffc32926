"""Routing's own database: handling units, routing rules, calendar overrides and cases."""

from datetime import date, timedelta

from contracts.paging import Page
from contracts.routing import CalendarDayIn, RoutingRuleIn, UnitIn, UnitRef
from infra.aggregates import AggregateCollection
from infra.mongo import division_prefix_filter
from infra.outbox import Publish
from services.routing.case import Case
from services.routing.rules import Rule


def division_prefixes(division: str) -> list[str]:
    """The county, township and village codes a division code lies in, itself included."""
    return [division[:n] for n in (6, 9, 12) if n <= len(division)]


class RoutingStore:
    def __init__(self, db, publish: Publish):
        self.units = db["units"]
        self.rules = db["rules"]
        self.calendar = db["calendar_overrides"]
        self.cases = AggregateCollection(db["cases"], Case, "case_id", publish)

    def ensure_indexes(self) -> None:
        self.rules.create_index("division")
        self.calendar.create_index([("division", 1), ("day", 1)])
        self.cases.collection.create_index([("division", 1), ("received_at", -1)])
        self.cases.ensure_indexes()

    def sweep(self, older_than: timedelta) -> int:
        return self.cases.sweep(older_than)

    def save_unit(self, unit: UnitIn) -> None:
        self.units.replace_one(
            {"_id": unit.id}, {"_id": unit.id, "name": unit.name, "division": unit.division}, upsert=True
        )

    def unit(self, unit_id: str) -> UnitIn | None:
        doc = self.units.find_one({"_id": unit_id})
        return UnitIn(id=doc["_id"], name=doc["name"], division=doc["division"]) if doc else None

    def units_by_id(self, unit_ids: list[str]) -> dict[str, UnitRef]:
        found = self.units.find({"_id": {"$in": unit_ids}})
        return {doc["_id"]: UnitRef(id=doc["_id"], name=doc["name"]) for doc in found}

    def add_rule(self, rule: RoutingRuleIn) -> None:
        self.rules.insert_one(rule.model_dump())

    def save_calendar_day(self, day: CalendarDayIn) -> None:
        key = f"{day.division}:{day.day.isoformat()}"
        self.calendar.replace_one({"_id": key}, {"_id": key, **day.model_dump(mode="json")}, upsert=True)

    def calendar_overrides(self, division: str, start: date) -> dict[date, bool]:
        """Overrides from `start` on for the division and those above it; the most local wins."""
        docs = self.calendar.find(
            {"division": {"$in": division_prefixes(division)}, "day": {"$gte": start.isoformat()}}
        )
        ordered = sorted(docs, key=lambda doc: len(doc["division"]))
        return {date.fromisoformat(doc["day"]): doc["workday"] for doc in ordered}

    def rules_for(self, division: str) -> list[Rule]:
        """Rules of the division and of every division above it (its prefixes)."""
        prefixes = division_prefixes(division)
        return [
            Rule(
                doc["division"],
                tuple(doc["keywords"]),
                doc["lead_unit"],
                tuple(doc["co_units"]),
                doc["priority"],
                tuple(doc.get("categories", ())),
            )
            for doc in self.rules.find({"division": {"$in": prefixes}})
        ]

    def cases_in(self, division_prefix: str, limit: int, after: str | None = None) -> Page:
        """Newest first."""
        return self.cases.page({"division": division_prefix_filter(division_prefix)}, "received_at", True, limit, after)
