"""The watch's queries on the watched cases: each on an index declared here, none a scan of all cases."""

from datetime import date

from pymongo.collection import Collection

from contracts.paging import Page
from infra.aggregates import AggregateCollection
from infra.mongo import division_prefix_filter
from services.supervision.watch import NOTICES, OPEN_STATUSES

OPEN = [status.value for status in OPEN_STATUSES]


def ensure_watch_indexes(collection: Collection) -> None:
    """One index per notice's day (a case whose notice is not pending has none, and no day sorts
    below a date), and the half-time list's."""
    for notice in NOTICES:
        collection.create_index([(f"{notice}_on", 1)])
    collection.create_index([("division", 1), ("midpoint", 1)])
    collection.create_index([("division", 1), ("overdue_on", 1)])  # a county's changed day (affected_by_day)


def due(cases: AggregateCollection, today: date, limit: int) -> list[str]:
    """The ids of cases with a notice due on or before `today`: one query, each of its clauses on
    its notice's index (MongoDB's OR plan), however many cases are not due."""
    day = today.isoformat()
    query = {"$or": [{f"{notice}_on": {"$lte": day}} for notice in NOTICES]}
    return [doc["_id"] for doc in cases.collection.find(query, {"_id": 1}).limit(limit)]


def half_time(cases: AggregateCollection, division_prefix: str, today: date, limit: int, after: str | None) -> Page:
    """Open cases with their clock running, past the middle of their period but not yet past its
    end (those are on the overdue list), with neither progress nor a meeting recorded; the longest
    past the middle first."""
    query = {
        "division": division_prefix_filter(division_prefix),
        "midpoint": {"$lte": today.isoformat()},
        "due_date": {"$gte": today.isoformat()},
        "status": {"$in": OPEN},
        "paused": {"$ne": True},
        "meetings": 0,
        "last_progress_at": None,
    }
    return cases.page(query, "midpoint", False, limit, after)


def affected_by_day(cases: AggregateCollection, division_prefix: str, day: date) -> list[str]:
    """The ids of the open cases below the division whose notice days a changed working day may
    move: due on or after it (the reminder, the midpoint), or with the overdue notice still to come
    on or after it. Each clause on a (division, day) index."""
    on = day.isoformat()
    query = {
        "division": division_prefix_filter(division_prefix),
        "status": {"$in": OPEN},
        "$or": [{"due_date": {"$gte": on}}, {"overdue_on": {"$gte": on}}],
    }
    return [doc["_id"] for doc in cases.collection.find(query, {"_id": 1})]


def unarmed(cases: AggregateCollection, limit: int) -> list[str]:
    """Open cases last written before the watch existed: every save since writes `midpoint`, if
    only as null. Asked until none is left, once per database (deadline_watch/arming.py), so it
    needs no index of its own."""
    query = {"midpoint": {"$exists": False}, "status": {"$in": OPEN}}
    return [doc["_id"] for doc in cases.collection.find(query, {"_id": 1}).limit(limit)]
