"""`make bench`, the deadline watch: one timer run with 100,000 open cases, most of them not due.

The cases are written in bulk as supervision's store keeps them, each armed by the watch's own rule
(`schedule.arm`: the days its reminder, overdue notice and half-time check fall due), assigned over
the last weeks with due dates over the next months, so that on the day of the run about one in five
hundred has a notice due. Then the timer's work runs as the entrypoint does it (`run_watch`: one
query of three range clauses on the notices' days, then per due case a read by `_id` and one guarded
write with its outbox), a second time on the same day (nothing left to send), and the overdue list
is read once.

Prints JSON: seconds to write, milliseconds per run, notices sent. Figures to read, never asserted.
The embedded store scans: it short-cuts `_id` equality only, so the query reads every case however
few are due (the figures grow with the case count); MongoDB answers each clause from its index
(`due_soon_on`, `overdue_on`, `half_time_on`), reading only the due cases.
"""

import json
import random
import tempfile
import time
from datetime import UTC, date, datetime, timedelta

from contracts.routing import UnitRef
from contracts.vocabulary import CaseStatus
from infra.embedded import EmbeddedClient
from services.supervision.deadline_watch import handlers
from services.supervision.deadline_watch.schedule import arm
from services.supervision.store import SupervisionStore
from services.supervision.watch import WatchedCase

SIZES = (1_000, 100_000)
BATCH = 5_000
TODAY = date(2026, 11, 23)
UNITS = [
    UnitRef(id="hn-transport", name="海宁市交通运输局"),
    UnitRef(id="hn-housing", name="海宁市住房和城乡建设局"),
    UnitRef(id="hn-ecology", name="海宁市生态环境局"),
    UnitRef(id="hn-enforcement", name="海宁市综合行政执法局"),
]
DIVISIONS = ["330481001", "330481002", "330481003", "330481101", "330481102"]


def make_case(n: int, rng: random.Random) -> WatchedCase:
    """Mostly far from due: a due date up to 120 days ahead; one in 500 around today."""
    near = n % 500 == 0
    due = TODAY + timedelta(days=rng.randint(-2, 2) if near else rng.randint(20, 120))
    assigned = datetime(2026, 11, 2, 2, tzinfo=UTC) + timedelta(days=rng.randint(0, 20))
    if near:
        assigned = datetime(2026, 11, 2, 2, tzinfo=UTC)
    case = WatchedCase(
        case_id=f"BW{n:08d}",
        division=rng.choice(DIVISIONS),
        lead_unit=rng.choice(UNITS),
        assigned_at=assigned,
        due_date=due,
        calendar_fallback=False,
        status=CaseStatus.ACCEPTED,
        meetings=0 if near else 1,
    )
    return arm(case, handlers.current_plan())


def write_cases(store: SupervisionStore, first: int, last: int) -> None:
    rng = random.Random(first)
    for start in range(first, last, BATCH):
        docs = []
        for n in range(start, min(start + BATCH, last)):
            case = make_case(n, rng)
            fields = case.model_dump(mode="json", exclude={"version"})
            docs.append({"_id": case.case_id, **fields, "version": 1, "applied_events": [], "outbox": []})
        store.cases.collection.insert_many(docs)


def timed(call) -> tuple[float, object]:
    started = time.perf_counter()
    answer = call()
    return round((time.perf_counter() - started) * 1000, 1), answer


def run(store: SupervisionStore) -> tuple[float, dict]:
    now = datetime(TODAY.year, TODAY.month, TODAY.day, 1, tzinfo=UTC)
    return timed(lambda: handlers.run_watch(store, handlers.current_plan(), TODAY, now, "bench"))


def main() -> None:
    figures = {}
    published = []
    with tempfile.TemporaryDirectory(prefix="bench-supervision-watch-") as data_dir:
        client = EmbeddedClient(data_dir)
        store = SupervisionStore(client["supervision"], published.append)
        store.ensure_indexes()
        stored = 0
        for size in SIZES:
            started = time.perf_counter()
            write_cases(store, stored, size)
            written = round(time.perf_counter() - started, 1)
            stored = size
            before = len(published)
            first_ms, sent = run(store)
            again_ms, again = run(store)
            list_ms, page = timed(lambda: handlers.overdue(store, "330481", TODAY, 100, None))
            figures[f"{size:,} open cases"] = {
                "bulk_write_seconds": written,
                "watch_run_ms": first_ms,
                "notices_sent": sent,
                "events_published": len(published) - before,
                "second_run_same_day_ms": again_ms,
                "second_run_sent": sum(again.values()),
                "overdue_list_first_page_ms": list_ms,
                "overdue_list_items": len(page.items),
            }
        client.close()
    print(
        json.dumps(
            {
                "benchmark": "one deadline-watch timer run (run_watch) over open cases, most not due",
                "store": (
                    "embedded (mongomock + SQLite): the notice query scans every case; "
                    "MongoDB reads only the due ones from the notice-day indexes"
                ),
                "figures": figures,
            },
            ensure_ascii=False,
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
