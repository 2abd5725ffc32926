"""Finding cases: a query and the caller turned into one MongoDB filter, as pure functions.

Each case is stored with two fields made for its indexes (`indexed_fields`), written by every save:
- `division_path`, its division code and every code above it (`330481`, `330481001`, …), so "this
  division and below" is one equality on a multikey index instead of a prefix range that would
  leave the newest-first order to an in-memory sort;
- `handling_units`, the ids of its lead and co-handling units, so "cases of this unit" is one
  equality too.

`INDEXES` lists the compound indexes for the common filters; every one ends with the listing's
order (`received_at`, `_id`, newest first), so MongoDB walks a page in index order. A compound
index holds at most one array field, so units and divisions have their own, and the cases with a
pending extension request (few at any time) are found from their own index on `extensions.status`.
"""

import re
from datetime import date

from contracts.actor import Actor
from contracts.case_finding import CaseQuery
from contracts.errors import ErrorCode, ServiceError
from contracts.vocabulary import CaseStatus
from services.routing.case import Case

# open, with a due date to meet: what supervision counts as overdue past it (services/supervision/watch.py)
OPEN_STATUSES = (CaseStatus.ASSIGNED, CaseStatus.ACCEPTED, CaseStatus.REOPENED)
NEWEST_FIRST = [("received_at", -1), ("_id", -1)]
INDEXES = [
    [("division_path", 1), *NEWEST_FIRST],
    [("division_path", 1), ("status", 1), *NEWEST_FIRST],
    [("division_path", 1), ("category", 1), *NEWEST_FIRST],
    [("division_path", 1), ("channel", 1), *NEWEST_FIRST],
    [("handling_units", 1), *NEWEST_FIRST],
    [("handling_units", 1), ("status", 1), *NEWEST_FIRST],
    [("extensions.status", 1), *NEWEST_FIRST],
]
INDEXED_FIELDS = ("division_path", "handling_units")


def division_path(division: str) -> list[str]:
    """The division code and the county and township codes above it."""
    return [division[:n] for n in (6, 9, 12) if n <= len(division)]


def unit_ids(case: Case) -> list[str]:
    return [unit.id for unit in ([case.lead_unit] if case.lead_unit else []) + case.co_units]


def indexed_fields(case: Case) -> dict:
    return {"division_path": division_path(case.division), "handling_units": unit_ids(case)}


def visible(case: Case, actor: Actor) -> bool:
    """A key sees the cases in its division scope; a unit's key only those its unit leads or co-handles."""
    return actor.can_see(case.division) and (actor.unit is None or actor.unit in unit_ids(case))


def overdue(today: date) -> dict:
    return {"status": {"$in": [s.value for s in OPEN_STATUSES]}, "due_date": {"$lt": today.isoformat()}}


def case_filter(query: CaseQuery, actor: Actor, today: date) -> dict:
    """Every filter of `query`, within the caller's scope (and its unit's cases, for a unit's key)."""
    division = query.division if query.division is not None else actor.scope
    if not actor.can_see(division):
        raise ServiceError(
            ErrorCode.FORBIDDEN, f"行政区划 {division} 超出管辖范围 (outside this key's scope)", "division"
        )
    clauses: list[dict] = []
    if division:  # the bootstrap administrator's scope is "", everything
        clauses.append({"division_path": division})
    for unit in (actor.unit, query.unit):
        if unit is not None:
            clauses.append({"handling_units": unit})
    if query.status:
        clauses.append({"status": {"$in": [status.value for status in query.status]}})
    if query.category is not None:
        clauses.append({"category": query.category})
    if query.channel is not None:
        clauses.append({"channel": query.channel.value})
    due = {op: day.isoformat() for op, day in (("$gte", query.due_from), ("$lte", query.due_to)) if day is not None}
    if due:
        clauses.append({"due_date": due})
    if query.overdue is True:
        clauses.append(overdue(today))
    elif query.overdue is False:
        clauses.append({"$nor": [overdue(today)]})
    if query.extension is not None:
        clauses.append({"extensions.status": query.extension})
    if query.text is not None:
        clauses.append({"content": {"$regex": re.escape(query.text)}})
    return {"$and": clauses} if len(clauses) > 1 else (clauses[0] if clauses else {})
