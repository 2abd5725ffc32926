"""`make bench`, 督办 statistics: a read after 1,000, 100,000 and 1,000,000 cases' worth of events.

One county (330481) over twenty townships, sixty units, five hundred deputies, ten categories and
the channels, cases assigned over twelve months: assigned, met, replied in class A, B or C on time
or late, rated, some returned, some reopened, some still open past their due date. Each case's
events go through the statistics' own pure rules (`facts`, `counters.contributions`); for the
million, the contributions are summed in memory and the counters written in bulk (the broker and
the per-event writes would take hours), so the store holds what the events would have left. The
1,000 cases also go through the real per-event path (`handlers.apply`), and its figures are
checked equal to the bulk-written ones.

Then `GET /v1/supervision/statistics` as the RPC runs it (`handlers.statistics` on the embedded
store), for the county by unit, deputy, division and period, over twelve months, the two sizes read
in alternation. Prints JSON: milliseconds per read (median of five), the rows, the counter documents
the store holds. Figures, not assertions.
"""

import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace as Event

from contracts.intake.opinions import Receiver, ReceiverKind
from contracts.routing import UnitRef
from contracts.supervision import Rating
from contracts.supervision.statistics import StatisticsQuery
from contracts.vocabulary import Channel
from infra.embedded import EmbeddedClient
from services.supervision.statistics import counters, facts, handlers
from services.supervision.statistics.store import StatisticsStore

SIZES = (1_000, 100_000, 1_000_000)
READS = 5
TODAY = date(2026, 12, 31)
TOWNSHIPS = [f"330481{n:03d}" for n in range(1, 21)]
UNITS = [UnitRef(id=f"unit-{n:02d}", name=f"承办单位{n:02d}") for n in range(60)]
DEPUTIES = [Receiver(kind=ReceiverKind.DEPUTY, id=f"deputy-{n:03d}", name=f"代表{n:03d}") for n in range(500)]
CATEGORIES = [
    "道路交通",
    "市政设施",
    "加装电梯",
    "环境保护",
    "教育",
    "医疗卫生",
    "社会保障",
    "农业农村",
    "治安",
    "其他",
]
CHANNELS = ["qr", "web", "hotline", "mailbox", "station_visit", "grid_officer", "village_meeting", "deputy"]
CLASSES = {"A": (True, True), "B": (False, True), "C": (False, False)}
RATINGS = ["satisfied", "satisfied", "satisfied", "basically_satisfied", "unsatisfied"]


def events_of(rng: random.Random, index: int) -> list[tuple]:
    """One case's events as (rule, event) pairs; the events are plain namespaces with the contracts'
    fields, since building a million pydantic events would take longer than applying them."""
    case_id, township = f"B-{index:07d}", rng.choice(TOWNSHIPS)
    assigned_at = datetime(2026, rng.randint(1, 12), rng.randint(1, 28), 2, tzinfo=UTC)
    due = assigned_at.date() + timedelta(days=21)
    unit = rng.choice(UNITS)
    base = {"case_id": case_id, "division": township}
    received = Event(
        tracking_code=case_id, division=township, channel=Channel(rng.choice(CHANNELS)),
        category=rng.choice(CATEGORIES), receiver=rng.choice(DEPUTIES),
    )  # fmt: skip
    assign = {**base, "assigned_at": assigned_at, "due_date": due, "channel": None, "category": None}
    events = [(facts.opinion_received, received), (facts.assigned, Event(**assign, lead_unit=unit))]
    if rng.random() < 0.05:
        returned_by, unit = unit, rng.choice(UNITS)
        events += [(facts.returned, Event(**base, unit=returned_by)), (facts.assigned, Event(**assign, lead_unit=unit))]
    if rng.random() < 0.8:
        events.append((facts.meeting_recorded, Event(**base, met="deputy")))
    if rng.random() < 0.9:
        code = rng.choice(list(CLASSES))
        replied_at = assigned_at + timedelta(days=rng.choice([5, 10, 18, 25]))
        completed, resolved = CLASSES[code]
        reply = Event(result_class=code, completed=completed, resolved=resolved, replied_at=replied_at)
        events.append((facts.replied, Event(**base, reply=reply)))
        rating = Rating(rng.choice(RATINGS))
        events.append((facts.evaluation_recorded, Event(**base, round=1, rating=rating)))
        if rating is Rating.UNSATISFIED and rng.random() < 0.5:
            events.append((facts.reopened, Event(**base, due_date=replied_at.date() + timedelta(days=21))))
    return events


def bulk(store: StatisticsStore, size: int) -> float:
    """The counters `size` cases leave, summed in memory and written at once; seconds taken."""
    started, rng = time.perf_counter(), random.Random(size)
    sums: counters.Contribution = {}
    labels: dict[str, str] = {}
    for index in range(size):
        events = events_of(rng, index)
        case = facts.blank(f"B-{index:07d}", events[0][1].division)
        for change, event in events:
            case = change(case, event)
        labels |= counters.labels(case)
        for counter, fields in counters.contributions(facts.with_overdue(case, TODAY)).items():
            into = sums.setdefault(counter, {})
            for path, amount in fields.items():
                into[path] = into.get(path, 0) + amount
        if (index + 1) % 100_000 == 0:
            print(f"  {index + 1:,} cases summed", file=sys.stderr, flush=True)
    write(store, sums, labels)
    return time.perf_counter() - started


def write(store: StatisticsStore, sums: counters.Contribution, labels: dict[str, str]) -> None:
    docs, keys = [], {}
    for counter, fields in sums.items():
        months: dict = {}
        for path, amount in fields.items():
            month, measure = path.split(".")
            months.setdefault(month, {})[measure] = amount
        docs.append({"_id": counter, "m": months, "ops": []})
        division, dimension, key = counter.split("|", 2)
        keys.setdefault(f"{division}|{dimension}", set()).add(key)
    store.counters.insert_many(docs)
    store.keys.insert_many([{"_id": name, "keys": sorted(found)} for name, found in keys.items()])
    store.labels.insert_many([{"_id": name, "label": label} for name, label in labels.items()])


def per_event(store: StatisticsStore, size: int) -> None:
    rng = random.Random(size)
    for index in range(size):
        for number, (change, event) in enumerate(events_of(rng, index)):
            handlers.apply(
                store,
                f"B-{index:07d}",
                event.division,
                f"{index}:{number}",
                lambda c, f=change, e=event: f(c, e),
                TODAY,
            )


def read(store: StatisticsStore, by: str) -> tuple[float, dict]:
    query = StatisticsQuery.model_validate({"division": "330481", "from": "2026-01", "to": "2026-12", "by": by})
    started = time.perf_counter()
    view = handlers.statistics(store, query, TODAY)
    return (time.perf_counter() - started) * 1000, view.model_dump(mode="json")


def main() -> None:
    """Both stores are built first; then their reads alternate, so a shared machine's drift falls
    on both alike, and the median of the rounds is reported."""
    results, stores = {}, {}
    with tempfile.TemporaryDirectory() as directory:
        client = EmbeddedClient(directory)
        for size in SIZES:
            print(f"{size:,} cases…", file=sys.stderr, flush=True)
            store = stores[size] = StatisticsStore(client[f"bench_{size}"])
            store.ensure_indexes()
            seconds = bulk(store, size)
            results[size] = {
                "build_seconds": round(seconds, 1),
                "counter_documents": store.counters.count_documents({}),
            }
            if size <= 1_000:
                checked = StatisticsStore(client[f"bench_{size}_events"])
                per_event(checked, size)
                results[size]["same_figures_as_per_event"] = all(
                    read(checked, by)[1] == read(store, by)[1] for by in ("unit", "deputy", "division", "period")
                )
        for by in ("unit", "deputy", "division", "period"):
            times: dict[int, list[float]] = {size: [] for size in SIZES}
            for _ in range(READS):
                for size in SIZES:
                    milliseconds, view = read(stores[size], by)
                    times[size].append(milliseconds)
                    results[size][f"rows_by_{by}"] = len(view["rows"])
                    results[size]["assigned"] = view["total"]["assigned"]
            for size in SIZES:
                results[size][f"read_by_{by}_ms"] = round(statistics.median(times[size]), 2)
        client.close()
    print(json.dumps({f"{size:,} cases": result for size, result in results.items()}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
