"""`make bench`, grouping: the cost per new item with 1,000 and with 100,000 items stored in one division.

A township receiving about 33 items a day: the last 30 days (1,000 items) went through grouping as
they arrived; in the larger store, 99,000 older items (eight years of them) lie behind those. Then
`NEW_ITEMS` more arrive, each costed as intake's `opinion.received` handler runs it (terms, band
keys, filing, hot-word counts, candidates, placement in a group), on the embedded store. The
texts are the same problems in other words and places, so most new items have near-duplicates.

The older items are written in bulk, shaped as the store writes them; the cost looked at is the
new items'. Prints JSON; times are figures to read, never asserted.
"""

import json
import random
import statistics
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from functools import cache

from contracts.intake.opinions import OpinionReceived
from infra.embedded import EmbeddedClient
from services.intake.grouping import handlers, hotwords
from services.intake.grouping.item import Indexed, period
from services.intake.grouping.signature import band_keys
from services.intake.grouping.store import BUCKET_SIZE, bucket_id, counter_id
from services.intake.grouping.terms import hot_words, terms
from services.intake.store import IntakeStore

SIZES = (1_000, 100_000)
RECENT = 1_000
PER_DAY = 33
NEW_ITEMS = 200
DIVISION = "330481001"
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
PLACES = ["文苑路", "海昌路", "水月亭路", "西山路", "工人路", "硖石路", "干河街", "宏达路", "洛隆路", "长埭路"]
PLACES += ["东山小区", "西山公园", "紫微小学", "联合小区", "南关厢", "火车站广场", "银泰小区", "仰山小区"]
PROBLEMS = [
    (
        "{p}中段有个大坑，电动车经过很危险",
        "{p}路面坑洼，中间那个坑很深，骑电动车容易摔",
        "{p}上的坑好久没人补了，晚上骑车差点摔倒",
    ),
    ("{p}的路灯晚上不亮", "{p}一到晚上路灯全黑，走路看不清", "{p}好几盏路灯坏了，天黑以后黑漆漆的"),
    (
        "{p}的垃圾桶满了没人清运，臭气熏天",
        "{p}旁边垃圾好几天没人收，味道很大",
        "{p}垃圾堆积，夏天苍蝇蚊子很多，气味难闻",
    ),
    ("{p}工地晚上十一点还在施工，噪音吵得睡不着", "{p}的工地半夜施工，噪声太大影响休息", "{p}建筑工地夜间施工扰民"),
    (
        "{p}人行道上停满了汽车，行人只能走机动车道",
        "{p}人行道被私家车占用，走路很不安全",
        "{p}乱停车严重，人行道都被车占了",
    ),
    ("{p}公交站台的顶棚坏了，下雨天没法等车", "{p}公交站的雨棚破了，下雨等车全身淋湿", "{p}站台顶棚漏雨，希望尽快修好"),
    ("{p}的井盖丢了，很危险", "{p}窨井盖缺失，晚上容易掉进去", "{p}有个井盖不见了"),
    ("{p}广场舞音响声音太大，影响休息", "{p}每天晚上跳广场舞，音乐开得特别响", "{p}广场舞噪音扰民，希望规定音量"),
    ("{p}的绿化带杂草很多没人修剪", "{p}的树枝太长挡住了路灯", "{p}的行道树被台风刮倒了"),
    ("{p}经常停水，也没有提前通知", "{p}这几天一直没有自来水", "{p}自来水停了好几天，什么时候恢复供水"),
    ("{p}有人遛狗不牵绳，吓到小孩", "{p}遛狗不拴绳的人很多", "{p}流浪狗很多，晚上追着人叫"),
    ("{p}的红绿灯时间太短，老人过马路来不及", "{p}的红绿灯坏了，一直闪黄灯", "{p}路口没有红绿灯，车速太快"),
]
TAILS = ["", "希望有关部门尽快处理。", "已经反映过好几次了。", "附近居民意见很大。", "请尽快派人来看看。"]


def text(rng: random.Random) -> str:
    return rng.choice(rng.choice(PROBLEMS)).format(p=rng.choice(PLACES)) + rng.choice(TAILS)


@cache
def indexed_terms(content: str) -> tuple[list[str], list[str]]:
    item_terms = terms(content)
    return item_terms, band_keys(item_terms)


def received(n: int, at: datetime, content: str) -> OpinionReceived:
    return OpinionReceived(
        tracking_code=f"{n // 10**8:04d}-{n // 10**4 % 10**4:04d}-{n % 10**4:04d}",
        division=DIVISION,
        channel="web",
        content=content,
        submitted_at=at,
        has_contact=False,
    )


def write_older(store: IntakeStore, count: int, rng: random.Random, first_n: int) -> None:
    """`count` items older than the recent month, in the documents grouping writes, in bulk."""
    if count == 0:
        return
    items, buckets, counters = [], defaultdict(list), {}
    start = NOW - timedelta(days=30) - timedelta(days=count / PER_DAY)
    for n in range(count):
        at = start + timedelta(days=n / PER_DAY)
        event = received(first_n + n, at, text(rng))
        item_terms, keys = indexed_terms(event.content)
        item = Indexed(
            tracking_code=event.tracking_code, division=DIVISION, submitted_at=at, terms=item_terms, keys=keys
        )
        items.append({"_id": item.tracking_code, **item.model_dump(mode="json")})
        for key in keys:
            buckets[bucket_id(DIVISION, period(at), key)].append(item.tracking_code)
        for area in hotwords.areas_of(DIVISION):
            counter = counters.setdefault(
                counter_id(area, hotwords.day_of(at)), {"total": 0, "counts": defaultdict(int), "items": []}
            )
            counter["total"] += 1
            counter["items"].append(item.tracking_code)
            for term in hot_words(item_terms):
                counter["counts"][term] += 1
    grouping = store.grouping
    for start_at in range(0, len(items), 5_000):
        grouping.items.insert_many(items[start_at : start_at + 5_000])
    grouping.buckets.insert_many([{"_id": key, "members": codes[-BUCKET_SIZE:]} for key, codes in buckets.items()])
    grouping.counters.insert_many([{"_id": key, **doc, "counts": dict(doc["counts"])} for key, doc in counters.items()])


def arrive(store: IntakeStore, rng: random.Random, first_n: int, count: int, start: datetime, step: timedelta):
    """`count` items through the handler, one after another: wall and CPU µs of each, and how many
    were grouped. Wall time includes the store's file writes (SQLite commits) and a shared machine's
    waits; CPU time is the steadier figure."""
    walls, cpus, grouped = [], [], 0
    for n in range(count):
        event = received(first_n + n, start + n * step, text(rng))
        wall, cpu = time.perf_counter(), time.process_time()
        grouped += handlers.index_received(store, event, NOW) is not None
        cpus.append((time.process_time() - cpu) * 1e6)
        walls.append((time.perf_counter() - wall) * 1e6)
    return walls, cpus, grouped


def measure(size: int) -> dict:
    rng = random.Random(size)
    with tempfile.TemporaryDirectory(prefix="bench-grouping-") as data_dir:
        client = EmbeddedClient(data_dir)
        store = IntakeStore(client["bench"], lambda wire: None)
        store.ensure_indexes()
        older = size - RECENT
        began = time.perf_counter()
        write_older(store, older, rng, 0)
        recent_start = NOW - timedelta(days=30)
        arrive(store, rng, older, RECENT, recent_start, timedelta(days=30) / RECENT)
        setup = time.perf_counter() - began
        walls, cpus, grouped = arrive(store, rng, size, NEW_ITEMS, NOW, timedelta(minutes=1))
        figures = {
            "items_stored": store.grouping.items.estimated_document_count() - NEW_ITEMS,
            "buckets_stored": store.grouping.buckets.estimated_document_count(),
            "median_cpu_microseconds_per_new_item": round(statistics.median(cpus)),
            "median_wall_microseconds_per_new_item": round(statistics.median(walls)),
            "p90_wall_microseconds_per_new_item": round(statistics.quantiles(walls, n=10)[-1]),
            "new_items_grouped": f"{grouped}/{NEW_ITEMS}",
            "setup_seconds": round(setup, 1),
        }
        client.close()
    return figures


def main() -> None:
    indexed_terms("预热 jieba 词典")  # the dictionary loads once per process, not per item
    results = {f"{size:,}": measure(size) for size in SIZES}
    print(
        json.dumps(
            {
                "benchmark": "duplicate grouping per new item, one division, embedded store (mongomock + SQLite)",
                "new_items": NEW_ITEMS,
                "results": results,
            },
            indent=2,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
