"""`make bench`, the pipeline: from the submission's 202 to `assigned`, at steady rates, on the embedded default.

The whole platform (its own RabbitMQ virtual host, an empty embedded store in a temporary
DATA_DIR, the demo data with its routing rules) takes citizens' opinions at a steady rate for
`SECONDS` seconds each: `RATES` per second, one after the other, the next once the previous has
drained. Each opinion's content names a bus stop (公交), so a rule assigns it at once.

The latency of one opinion is the time from its 202 (taken here, when the answer arrives) to the
`assigned` step in its case's history (taken by routing when it assigned the case); both clocks are
this machine's. After each rate, the cases are read back through `GET /v1/cases?text=<run mark>`
(one page of 500 after another), so the measurement itself puts no load on the platform while it
runs. The backlog at a moment is the opinions answered 202 but not yet assigned; it "grew" when, at
the end of the submissions, it is larger than at a quarter of the way and larger than one second
of submissions. The highest rate sustained is the highest without a growing backlog.

Prints JSON. Times are figures to read, never asserted: this machine is shared and noisy.
"""

import asyncio
import json
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import httpx

from devtools import demo_data
from devtools.broker import create_vhost, delete_vhost
from devtools.launcher import ROOT, PlatformProcesses, free_port

RATES = [int(rate) for rate in os.environ.get("BENCH_RATES", "20,40,80").split(",")]
SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
DRAIN_LIMIT_SECONDS = 90
PLACES = ["文苑路", "海昌路", "水月亭路", "西山路", "工人路", "硖石路", "干河街", "宏达路", "东山小区", "银泰小区"]


@contextmanager
def whole_platform() -> Iterator[tuple[str, str]]:
    """The base URL and the admin key of a whole platform with the demo data, stopped afterwards."""
    broker = os.environ.get("AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/")
    vhost, amqp_uri = create_vhost(broker, "bench-pipeline")
    admin_key = "rdk_bench_" + uuid.uuid4().hex
    (ROOT / ".run").mkdir(exist_ok=True)
    data_dir = tempfile.TemporaryDirectory(prefix="bench-pipeline-")
    env = {"AMQP_URI": amqp_uri, "ADMIN_API_KEY": admin_key, "DATA_DIR": data_dir.name, "PUBLIC_RATE_LIMIT": "0"}
    platform = PlatformProcesses(env, free_port(), log_dir=ROOT / ".run")
    try:
        platform.start()
        platform.wait_ready()
        demo_data.load(platform.base_url, admin_key)
        yield platform.base_url, admin_key
    finally:
        platform.stop()
        delete_vhost(vhost)
        data_dir.cleanup()


async def submit_at_rate(base_url: str, mark: str, rate: int) -> tuple[dict[str, float], int]:
    """Submits `rate` opinions a second for SECONDS; the time each 202 arrived, by tracking code."""
    answered: dict[str, float] = {}
    failures = 0

    async def one(client: httpx.AsyncClient, n: int) -> None:
        nonlocal failures
        body = {
            "division": "330481001",
            "channel": "web",
            "content": f"{mark}-{n} {PLACES[n % len(PLACES)]}公交站台的顶棚坏了，下雨天没法等车",
        }
        try:
            answer = await client.post("/v1/public/opinions", json=body)
        except httpx.HTTPError:
            failures += 1
            return
        if answer.status_code == 202:
            answered[answer.json()["tracking_code"]] = time.time()
        else:
            failures += 1

    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(base_url=base_url, timeout=30, limits=limits) as client:
        started, tasks = time.monotonic(), []
        for n in range(rate * SECONDS):
            await asyncio.sleep(max(0.0, started + n / rate - time.monotonic()))
            tasks.append(asyncio.create_task(one(client, n)))
        await asyncio.gather(*tasks)
    return answered, failures


def assigned_times(admin: httpx.Client, mark: str) -> dict[str, float]:
    """When routing assigned each case of this run, by case id (its tracking code)."""
    found, after = {}, None
    while True:
        answer = admin.get("/v1/cases", params={"text": mark, "limit": 500, **({"after": after} if after else {})})
        answer.raise_for_status()
        for case in answer.json():
            steps = [step["at"] for step in case["history"] if step["status"] == "assigned"]
            if steps:
                found[case["case_id"]] = datetime.fromisoformat(steps[0]).timestamp()
        link = answer.headers.get("link")
        if not link:
            return found
        after = link.split("after=")[1].split(">")[0]


def backlog_at(moment: float, answered: dict[str, float], assigned: dict[str, float]) -> int:
    return sum(1 for code, at in answered.items() if at <= moment and assigned.get(code, float("inf")) > moment)


def run_rate(base_url: str, admin: httpx.Client, rate: int) -> dict:
    mark = f"压测{uuid.uuid4().hex[:8]}"
    answered, failures = asyncio.run(submit_at_rate(base_url, mark, rate))
    deadline = time.monotonic() + DRAIN_LIMIT_SECONDS
    while True:
        assigned = assigned_times(admin, mark)
        if len(assigned) >= len(answered) or time.monotonic() > deadline:
            break
        time.sleep(1)
    latencies = sorted(assigned[code] - at for code, at in answered.items() if code in assigned)
    first, last = min(answered.values()), max(answered.values())
    quarter, end = first + (last - first) / 4, last
    backlog = {
        "at_a_quarter": backlog_at(quarter, answered, assigned),
        "at_the_end": backlog_at(end, answered, assigned),
    }
    grew = backlog["at_the_end"] > max(backlog["at_a_quarter"], rate)
    return {
        "rate_per_second": rate,
        "seconds": SECONDS,
        "answered_202": len(answered),
        "refused_or_failed": failures,
        "assigned": len(assigned),
        "p50_ms": round(statistics.median(latencies) * 1000) if latencies else None,
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000) if latencies else None,
        "min_ms": round(latencies[0] * 1000) if latencies else None,
        "max_ms": round(latencies[-1] * 1000) if latencies else None,
        "backlog": backlog,
        "backlog_grew": grew or len(assigned) < len(answered),
        "drained_seconds_after_the_last_202": round(max(assigned.values()) - last, 1) if assigned else None,
    }


def main() -> None:
    with whole_platform() as (base_url, admin_key):
        with httpx.Client(base_url=base_url, headers={"X-API-Key": admin_key}, timeout=60) as admin:
            runs = [run_rate(base_url, admin, rate) for rate in RATES]
    sustained = [run["rate_per_second"] for run in runs if not run["backlog_grew"]]
    print(
        json.dumps(
            {
                "benchmark": "202 → assigned, the whole platform on the embedded store (make run's default)",
                "runs": runs,
                "highest_rate_sustained_per_second": max(sustained) if sustained else None,
                "rates_tried": RATES,
            },
            indent=2,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
