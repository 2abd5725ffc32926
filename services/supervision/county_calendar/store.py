"""Supervision's copy of the counties' own working-day decisions, fed by routing's `calendar.day_set`."""

from datetime import date

from pymongo.errors import DuplicateKeyError

from contracts.routing import CalendarDaySet


def division_levels(division: str) -> list[str]:
    """The county, township and village codes a division lies in, itself included: a decision
    for any of them counts for the division."""
    return [division[:n] for n in (6, 9, 12) if n <= len(division)]


class CountyCalendarStore:
    def __init__(self, db):
        self.days = db["county_calendar_days"]

    def ensure_indexes(self) -> None:
        self.days.create_index([("division", 1), ("day", 1)])

    def keep(self, event: CalendarDaySet) -> bool:
        """Stores the decision under (division, day) unless the same or a later one is kept there
        (a redelivered or overtaken event changes nothing). True if it changed the calendar."""
        key = f"{event.division}:{event.day.isoformat()}"
        fields = {**event.model_dump(mode="json"), "set_at": event.set_at}
        try:
            result = self.days.update_one({"_id": key, "set_at": {"$lt": event.set_at}}, {"$set": fields}, upsert=True)
        except DuplicateKeyError:
            return False
        return result.modified_count > 0 or result.upserted_id is not None

    def overrides(self, division: str) -> dict[date, bool]:
        """The division's days off and worked days, the most local decision winning."""
        docs = self.days.find({"division": {"$in": division_levels(division)}}, {"division": 1, "day": 1, "workday": 1})
        ordered = sorted(docs, key=lambda doc: len(doc["division"]))
        return {date.fromisoformat(doc["day"]): doc["workday"] for doc in ordered}
