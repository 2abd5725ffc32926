"""Statistics' use cases: each event applied to its case once, moving the counters by the difference;
the overdue sweep; and a read that sums counters, never cases."""

from collections.abc import Callable
from datetime import date

from contracts.supervision.statistics import StatisticsBy, StatisticsQuery, StatisticsView
from services.supervision.statistics import counters, report
from services.supervision.statistics.facts import OPEN, StatCase, blank, with_overdue
from services.supervision.statistics.store import StatisticsStore

ATTEMPTS = 5
Change = Callable[[StatCase], StatCase]


def apply(store: StatisticsStore, case_id: str, division: str, event_id: str, change: Change, today: date) -> bool:
    """Applies one event (or sweep step) `event_id` to the case once; False if it was applied before.

    Two writers of the same case race on its version; the loser reloads and tries again.
    """
    for _ in range(ATTEMPTS):
        doc = store.case(case_id)
        if doc is not None and doc.get("pending"):
            finish(store, case_id, doc["pending"])
        if doc is not None and event_id in doc["applied"]:
            return False
        case = StatCase.model_validate(doc["case"]) if doc else blank(case_id, division)
        before = unpack(doc["contributions"]) if doc else {}
        new = with_overdue(change(case), today)
        after = counters.contributions(new)
        pending = {
            "op": event_id,
            "change": pack(counters.difference(before, after)),
            "new": sorted(after.keys() - before.keys()),
            "labels": counters.labels(new),
        }
        fields = {
            "case": new.model_dump(mode="json"),
            "contributions": pack(after),
            "watch_due": watch_due(new),
            "pending": pending,
        }
        if doc is None:
            if not store.insert_case({"_id": case_id, "version": 1, "applied": [event_id], **fields}):
                continue
        elif not store.replace_case(case_id, doc["version"], fields, event_id):
            continue
        finish(store, case_id, pending)
        return True
    raise RuntimeError(f"statistics: case {case_id} kept changing while applying {event_id}")


def finish(store: StatisticsStore, case_id: str, pending: dict) -> None:
    """Brings the counters to what the case document says; safe to run again for the same change."""
    op = pending["op"]
    for counter, amounts in unpack(pending["change"]).items():
        store.add_to_counter(counter, f"{case_id}:{op}", amounts)
    for counter in pending["new"]:
        division, dimension, key = counter.split("|", 2)
        store.register_key(f"{division}|{dimension}", key)
    for dimension_key, label in pending["labels"].items():
        store.set_label(dimension_key, label)
    store.clear_pending(case_id, op)


def pack(contribution: counters.Contribution) -> list[list]:
    """As triples: field names with dots cannot be stored as keys."""
    return [[counter, path, amount] for counter, fields in contribution.items() for path, amount in fields.items()]


def unpack(triples: list[list]) -> counters.Contribution:
    out: counters.Contribution = {}
    for counter, path, amount in triples:
        out.setdefault(counter, {})[path] = amount
    return out


def watch_due(case: StatCase) -> str:
    if case.counted and case.status in OPEN and not case.paused and not case.overdue and case.due_date:
        return case.due_date.isoformat()
    return ""


def mark_overdue(store: StatisticsStore, today: date, batch: int = 500) -> int:
    """Cases due before today and still open become overdue in the counters, once per case and day."""
    moved = 0
    for doc in store.due_by(today.isoformat(), batch):
        division = doc["case"]["division"]
        moved += apply(store, doc["_id"], division, f"overdue:{today.isoformat()}", lambda case: case, today)
    return moved


# ---- reading ----


def statistics(store: StatisticsStore, query: StatisticsQuery, today: date) -> StatisticsView:
    months = query.months
    whole = store.months_of(counters.counter_id(query.division, "all", counters.TOTAL), months)
    total = report.summed(whole, months)
    if query.by is StatisticsBy.PERIOD:
        rows = [report.row(month, month, report.summed(whole, [month])) for month in months]
    else:
        rows = dimension_rows(store, query.division, query.by.value, months)
    return StatisticsView(
        division=query.division,
        first=query.first,
        last=query.last,
        by=query.by,
        as_of=today,
        total=report.row(counters.TOTAL, "合计 (total)", total),
        rows=rows,
    )


def dimension_rows(store: StatisticsStore, division: str, dimension: str, months: list[str]) -> list:
    """One row per key that has counts in the months, its counter read by `_id`."""
    rows = []
    for key in store.registered_keys(f"{division}|{dimension}"):
        sums = report.summed(store.months_of(counters.counter_id(division, dimension, key), months), months)
        if not report.is_empty(sums):
            rows.append(report.row(key, label_of(store, dimension, key), sums))
    return rows


def label_of(store: StatisticsStore, dimension: str, key: str) -> str:
    if key == counters.UNKNOWN:
        return "未知 (unknown)"
    return store.label(f"{dimension}|{key}") or key


def unit_sums(store: StatisticsStore, division: str, months: list[str]) -> dict[str, tuple[str, report.Sums]]:
    """Each unit's sums in the months, with its name (for 红黑榜)."""
    out = {}
    for key in store.registered_keys(f"{division}|unit"):
        if key == counters.UNKNOWN:
            continue
        sums = report.summed(store.months_of(counters.counter_id(division, "unit", key), months), months)
        if not report.is_empty(sums):
            out[key] = (label_of(store, "unit", key), sums)
    return out
