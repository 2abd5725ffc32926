"""Routing's own database: handling units, routing rules, calendar overrides and cases."""

from datetime import date, datetime, timedelta

from contracts.routing import CalendarDayIn, CalendarDaySet, RuleView, UnitRef, UnitView
from infra.outbox import Outbox, Publish, outbox_entries
from services.routing.case_store import CaseCollection
from services.routing.rule_store import RuleStore
from services.routing.rules import Rule


def division_prefixes(division: str) -> list[str]:
    """The county, township and village codes a division code lies in, itself included."""
    return [division[:n] for n in (6, 9, 12) if n <= len(division)]


class RoutingStore:
    def __init__(self, db, publish: Publish):
        self.units = db["units"]
        self.rules = db["rules"]
        self.calendar = db["calendar_overrides"]
        self.calendar_outbox = Outbox(self.calendar, publish)  # calendar.day_set, written with the day
        self.schemes = db["result_schemes"]  # division → its result-class scheme (services/routing/schemes.py)
        self.cases = CaseCollection(db["cases"], publish)
        self.directory = RuleStore(db)  # units, rules, policies, suggestions (rules helper)

    def ensure_indexes(self) -> None:
        self.rules.create_index("division")
        self.calendar.create_index([("division", 1), ("day", 1)])
        self.calendar_outbox.ensure_indexes()
        self.cases.collection.create_index([("division", 1), ("received_at", -1)])
        self.cases.ensure_indexes()
        self.directory.ensure_indexes()

    def sweep(self, older_than: timedelta) -> int:
        return self.cases.sweep(older_than) + self.calendar_outbox.sweep(older_than)

    def save_unit(self, unit: UnitView) -> None:
        self.directory.save_unit(unit)

    def unit(self, unit_id: str) -> UnitView | None:
        """The unit, deactivated or not (`active` says)."""
        return self.directory.unit(unit_id)

    def units_by_id(self, unit_ids: list[str]) -> dict[str, UnitRef]:
        """The named units that may get cases (deactivated ones are left out)."""
        return self.directory.active_refs(unit_ids)

    def add_rule(self, rule: RuleView) -> None:
        self.directory.add_rule(rule)

    def save_calendar_day(self, day: CalendarDayIn, now: datetime, correlation_id: str = "-") -> None:
        """The day and its `calendar.day_set` in one update (the outbox), published right after."""
        key = f"{day.division}:{day.day.isoformat()}"
        event = CalendarDaySet(**day.model_dump(), set_at=now)
        entries = outbox_entries([event], day.division, correlation_id)
        self.calendar.update_one(
            {"_id": key}, {"$set": day.model_dump(mode="json"), "$push": {"outbox": {"$each": entries}}}, upsert=True
        )
        self.calendar_outbox.relay(key, entries)

    def calendar_overrides(self, division: str, start: date) -> dict[date, bool]:
        """Overrides from `start` on for the division and those above it; the most local wins."""
        docs = self.calendar.find(
            {"division": {"$in": division_prefixes(division)}, "day": {"$gte": start.isoformat()}}
        )
        ordered = sorted(docs, key=lambda doc: len(doc["division"]))
        return {date.fromisoformat(doc["day"]): doc["workday"] for doc in ordered}

    def rules_for(self, division: str) -> list[Rule]:
        """Rules of the division and of every division above it (its prefixes)."""
        return self.directory.rules_for(division)
