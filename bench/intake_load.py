"""`make bench`: load on the durable intake path and on a bare endpoint, same body, same machine.

The bare endpoint and the 202 path (the gateway with only RabbitMQ behind it) are both up at once
and loaded in alternation, round after round, so the drift of a shared machine falls on both
alike; then the whole platform, whose services also process every opinion on the same cores.
Prints JSON: requests/s and p50/p99 latency of every run, the ratio of each round and their
median. Times are figures to read, never asserted: this machine is shared and noisy.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from devtools import demo_data
from devtools.broker import create_vhost, delete_vhost
from devtools.launcher import ROOT, PlatformProcesses, free_port

CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "32"))
DURATION = int(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
WARMUP = 1
BODY = {
    "division": "330481001",
    "channel": "web",
    "content": "文苑路公交站台的顶棚坏了，下雨天没法等车，希望尽快修复。",
    "contact": {"name": "陈小明", "phone": "13812345678"},
}
PATH = "/v1/public/opinions"


def load(url: str) -> dict:
    """Drives `url` with wrk (one thread, CONCURRENCY connections) after a short warm-up."""
    env = {**os.environ, "BENCH_BODY": json.dumps(BODY, ensure_ascii=False)}
    script = str(ROOT / "bench" / "post_opinion.lua")

    def wrk(seconds: float) -> dict:
        out = subprocess.run(
            ["wrk", "-t1", f"-c{CONCURRENCY}", f"-d{seconds}s", "-s", script, url],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return json.loads(out.strip().splitlines()[-1])

    wrk(WARMUP)
    run = wrk(DURATION)
    return {
        "requests": run["requests"],
        "errors": run["errors"],
        "requests_per_second": round(run["requests"] / run["seconds"], 1),
        "p50_ms": round(run["p50_us"] / 1000, 2),
        "p99_ms": round(run["p99_us"] / 1000, 2),
    }


def wait_for(url: str) -> None:
    for _ in range(300):
        try:
            httpx.get(url).raise_for_status()
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise TimeoutError(url)


@contextmanager
def bare_endpoint() -> Iterator[str]:
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "bench.bare_app:app",
            "--port",
            str(port),
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/docs")
        yield f"http://127.0.0.1:{port}{PATH}"
    finally:
        server.terminate()
        server.wait()


@contextmanager
def durable_intake(with_services: bool) -> Iterator[str]:
    """The 202 path: validated, encrypted, confirmed by RabbitMQ on a quorum queue.

    With the services running they also process every opinion on the same cores; without them
    the commands wait in their queue, which shows the cost of the path itself.
    """
    broker = os.environ.get("AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/")
    vhost, amqp_uri = create_vhost(broker, "bench")
    admin_key = "rdk_bench_" + uuid.uuid4().hex
    (ROOT / ".run").mkdir(exist_ok=True)
    data_dir = tempfile.TemporaryDirectory(prefix="bench-data-")
    # an empty embedded store each run; no rate limit: one client, on purpose
    env = {"AMQP_URI": amqp_uri, "ADMIN_API_KEY": admin_key, "DATA_DIR": data_dir.name, "PUBLIC_RATE_LIMIT": "0"}
    platform = PlatformProcesses(env, free_port(), log_dir=ROOT / ".run")
    try:
        if with_services:
            platform.start()
            platform.wait_ready()
            demo_data.load(platform.base_url, admin_key)
        else:
            platform.start_gateway()
            platform.wait_ready(services=False)
            with httpx.Client(base_url=platform.base_url, headers={"X-API-Key": admin_key}) as admin:
                admin.put(f"/v1/admin/divisions/{BODY['division']}", json={"name": "bench"}).raise_for_status()
        yield platform.base_url + PATH
    finally:
        platform.stop()
        delete_vhost(vhost)
        data_dir.cleanup()


def ratio(part: dict, whole_requests_per_second: float) -> float:
    return round(part["requests_per_second"] / whole_requests_per_second, 3)


def main() -> None:
    rounds = []
    with bare_endpoint() as bare_url, durable_intake(with_services=False) as path_url:
        for _ in range(ROUNDS):
            bare, path = load(bare_url), load(path_url)
            rounds.append(
                {
                    "bare_fastapi": bare,
                    "durable_path": path,
                    "throughput_ratio": ratio(path, bare["requests_per_second"]),
                }
            )
    with durable_intake(with_services=True) as platform_url:
        whole_platform = load(platform_url)
    median_bare = statistics.median(r["bare_fastapi"]["requests_per_second"] for r in rounds)
    ratios = [r["throughput_ratio"] for r in rounds]
    path_p99 = [r["durable_path"]["p99_ms"] for r in rounds]
    print(
        json.dumps(
            {
                "benchmark": f"POST {PATH}",
                "concurrency": CONCURRENCY,
                "seconds_per_run": DURATION,
                "rounds": rounds,
                "durable_intake_whole_platform": whole_platform,
                "summary": {
                    "throughput_ratio_median": statistics.median(ratios),
                    "throughput_ratio_range": [min(ratios), max(ratios)],
                    "durable_path_p99_ms_median": statistics.median(path_p99),
                    "durable_path_p99_ms_worst": max(path_p99),
                    "throughput_ratio_whole_platform": ratio(whole_platform, median_bare),
                },
                "targets": {"throughput_ratio": ">= 0.5", "durable_p99_ms": "<= 50"},
            },
            indent=2,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
