"""`make bench`, finding cases: `GET /v1/cases` with filters at 1,000 and at 100,000 cases, on the embedded store.

One county (海宁, 330481): cases over the townships and villages of the demo data, seven units
(lead and co-handling), statuses as a case load has them (most replied or closed, some in hand,
a few at triage), ten categories, the staff and citizen channels, content from the same problems
in other words and places. The cases are written in bulk, shaped as the routing store writes them
(with the fields the listing is indexed on); then each query is timed as routing's `find_cases`
RPC runs it (nameko's `worker_factory` around the real store: parse, filter, page, views, JSON),
and, for the first, through the gateway too (HTTP into FastAPI, the typed client and a broker
answering from the same service in-process, without RabbitMQ).

Prints JSON: milliseconds per call (median of a few), the items on the page. Times are figures to
read, never asserted: this machine is shared and noisy. The embedded store scans: it only
short-cuts `_id` equality, so every listing reads every case and sorts the matches; MongoDB uses
the compound indexes of `services/routing/finding.py`.
"""

import asyncio
import json
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta

from nameko.testing.services import worker_factory

from contracts.actor import Actor
from contracts.routing import Transition, UnitRef
from contracts.vocabulary import CaseStatus, Role
from infra.clock import local_date
from infra.embedded import EmbeddedClient
from services.routing.case import Case
from services.routing.service import RoutingService
from services.routing.store import RoutingStore

SIZES = (1_000, 100_000)
CALLS = 5
BATCH = 5_000
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
PER_DAY = 40  # 100,000 cases: about seven years of a county's items
DIVISIONS = ["330481001001", "330481001004", "330481001", "330481002", "330481003", "330481101", "330481102201"]
DIVISIONS += ["330481102", "330481102202", "330481"]
UNITS = [
    UnitRef(id="hn-transport", name="海宁市交通运输局"),
    UnitRef(id="hn-housing", name="海宁市住房和城乡建设局"),
    UnitRef(id="hn-ecology", name="海宁市生态环境局"),
    UnitRef(id="hn-education", name="海宁市教育局"),
    UnitRef(id="hn-enforcement", name="海宁市综合行政执法局"),
    UnitRef(id="hn-office", name="海宁市人民政府办公室"),
    UnitRef(id="changan-gov", name="长安镇人民政府"),
]
CATEGORIES = [
    "道路交通",
    "市政设施",
    "加装电梯",
    "环境保护",
    "教育",
    "医疗卫生",
    "社会保障",
    "农业农村",
    "安全生产",
    "其他",
]
CHANNELS = ["web", "qr", "hotline", "station_visit", "grid_officer", "village_meeting", "deputy", "county_system"]
STATUSES = [(CaseStatus.CLOSED, 50), (CaseStatus.REPLIED, 25), (CaseStatus.EVALUATED, 5), (CaseStatus.ACCEPTED, 10)]
STATUSES += [(CaseStatus.ASSIGNED, 6), (CaseStatus.TRIAGED, 2), (CaseStatus.MERGED, 2)]
PLACES = ["文苑路", "海昌路", "水月亭路", "西山路", "工人路", "硖石路", "干河街", "宏达路", "东山小区", "银泰小区"]
PROBLEMS = [
    "{p}中段有个大坑，电动车经过很危险",
    "{p}一到晚上路灯全黑，走路看不清",
    "{p}旁边垃圾好几天没人收，味道很大",
    "{p}的工地半夜施工，噪声太大影响休息",
    "{p}人行道被私家车占用，走路很不安全",
    "{p}公交站的雨棚破了，下雨等车全身淋湿",
    "{p}老楼没有电梯，希望尽快加装电梯",
    "{p}窨井盖缺失，晚上容易掉进去",
]
SUPERVISOR = Actor(key_id="bench-supervisor", role=Role.SUPERVISOR, scope="330481")
STATION = Actor(key_id="bench-station", role=Role.STATION, scope="330481001")
HOUSING = Actor(key_id="bench-housing", role=Role.HANDLER, scope="330481", unit="hn-housing")
TODAY = local_date(NOW)
QUERIES = [
    ("a station's cases, newest first", STATION, {}),
    ("a unit's worklist: assigned or accepted", HOUSING, {"status": ["assigned", "accepted"]}),
    ("the county's overdue cases", SUPERVISOR, {"overdue": True}),
    ("category and channel", SUPERVISOR, {"category": "道路交通", "channel": "hotline"}),
    ("text (路灯)", SUPERVISOR, {"text": "路灯"}),
    (
        "due in December, still in hand",
        SUPERVISOR,
        {"due_from": "2026-12-01", "due_to": "2026-12-31", "status": ["assigned", "accepted"]},
    ),
    ("a rare text (no match)", SUPERVISOR, {"text": "不存在的问题"}),
]


def make_case(n: int, rng: random.Random) -> Case:
    received = NOW - timedelta(minutes=n * 24 * 60 // PER_DAY)
    status = rng.choices([s for s, _ in STATUSES], [w for _, w in STATUSES])[0]
    triage = status is CaseStatus.TRIAGED
    lead = None if triage else rng.choice(UNITS)
    co_units = [] if triage or rng.random() < 0.7 else [rng.choice([u for u in UNITS if u != lead])]
    history = [
        Transition(status=CaseStatus.RECEIVED, at=received, actor="channel:web", reason="已受理"),
        Transition(status=status, at=received + timedelta(hours=2), actor="routing", reason="…"),
    ]
    case = Case(
        case_id=f"BN{n:07d}",
        case_number=f"330481-2026-{n:06d}",
        division=rng.choice(DIVISIONS),
        channel=rng.choice(CHANNELS),
        category=rng.choice(CATEGORIES),
        content=rng.choice(PROBLEMS).format(p=rng.choice(PLACES)),
        status=status,
        received_at=received,
        lead_unit=lead,
        co_units=co_units,
        assigned_at=None if triage else received + timedelta(hours=2),
        due_date=None if triage else local_date(received) + timedelta(days=21),
        history=history,
    )
    return case


def write_cases(store: RoutingStore, first: int, last: int) -> None:
    rng = random.Random(first)
    for start in range(first, last, BATCH):
        docs = []
        for n in range(start, min(start + BATCH, last)):
            case = make_case(n, rng)
            docs.append({"_id": case.case_id, **store.cases._fields(case), "version": 1, "applied_events": []})
            docs[-1]["outbox"] = []
        store.cases.collection.insert_many(docs)


def milliseconds(call) -> tuple[float, object]:
    timings, answer = [], None
    for _ in range(CALLS):
        started = time.perf_counter()
        answer = call()
        timings.append(time.perf_counter() - started)
    return round(statistics.median(timings) * 1000, 1), answer


def through_gateway(service) -> tuple[float, int]:
    """`GET /v1/cases` for the station's key: HTTP into FastAPI, the typed client, routing in-process."""
    import httpx

    from gateway import deps
    from gateway.app import create_app
    from gateway.clients import RoutingClient
    from infra.settings import Settings

    class InProcessBroker:
        async def call(self, service_name: str, method: str, **kwargs):
            return getattr(service, method)(**kwargs)

    app = create_app(Settings())
    app.dependency_overrides[deps.current_principal] = lambda: STATION
    app.dependency_overrides[deps.routing_client] = lambda: RoutingClient(InProcessBroker())

    async def measure():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway") as client:
            timings, answer = [], None
            for _ in range(CALLS):
                started = time.perf_counter()
                answer = await client.get("/v1/cases", params={"limit": 100})
                timings.append(time.perf_counter() - started)
            answer.raise_for_status()
            return round(statistics.median(timings) * 1000, 1), len(answer.json())

    return asyncio.run(measure())


def measure(store: RoutingStore) -> dict:
    service = worker_factory(RoutingService, store=store)
    results = {}
    for label, actor, filters in QUERIES:
        query = {**filters, "limit": 100}
        ms, page = milliseconds(lambda actor=actor, query=query: service.find_cases(query, actor.model_dump()))
        results[label] = {"ms": ms, "items": len(page["items"])}
        if label.startswith("a station"):
            deeper = {"limit": 100, "after": page["next"]}
            ms, page = milliseconds(lambda deeper=deeper: service.find_cases(deeper, STATION.model_dump()))
            results["the same, second page (cursor)"] = {"ms": ms, "items": len(page["items"])}
    ms, items = through_gateway(service)
    results["a station's cases, through the gateway (HTTP)"] = {"ms": ms, "items": items}
    return results


def main() -> None:
    figures = {}
    with tempfile.TemporaryDirectory(prefix="bench-routing-cases-") as data_dir:
        client = EmbeddedClient(data_dir)
        store = RoutingStore(client["routing"], lambda envelope: None)
        store.ensure_indexes()
        stored = 0
        for size in SIZES:
            started = time.perf_counter()
            write_cases(store, stored, size)
            written = time.perf_counter() - started
            stored = size
            figures[f"{size:,} cases"] = {"bulk_write_seconds": round(written, 1), "queries": measure(store)}
        started = time.perf_counter()
        store.ensure_indexes()  # as at every start: indexes exist, nothing to backfill
        figures["ensure_indexes_at_start_seconds"] = round(time.perf_counter() - started, 2)
        client.close()
    print(
        json.dumps(
            {
                "benchmark": "GET /v1/cases with filters, routing's find_cases on the embedded store (limit 100)",
                "store": "embedded (mongomock + SQLite): scans every case per query; MongoDB would use the indexes",
                "milliseconds_median_of": CALLS,
                "figures": figures,
            },
            indent=2,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
