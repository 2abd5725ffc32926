"""`make bench`: load on the durable intake path and on a bare endpoint, same body, same machine.

Three runs: the bare endpoint, the 202 path with only RabbitMQ behind the gateway, and the 202
path with the whole platform processing what it accepts. Prints JSON: requests/s and p50/p99
latency for each and the throughput ratios. Times are figures to read, never asserted: this
machine is shared and noisy.
"""

import json
import os
import subprocess
import sys
import time
import uuid

import httpx

from devtools import demo_data
from devtools.broker import create_vhost, delete_vhost
from devtools.launcher import ROOT, PlatformProcesses, free_port

CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "32"))
DURATION = int(os.environ.get("BENCH_SECONDS", "10"))
WARMUP = 2
BODY = {
    "division": "330481001",
    "channel": "web",
    "content": "文苑路公交站台的顶棚坏了，下雨天没法等车，希望尽快修复。",
    "contact": {"name": "陈小明", "phone": "13812345678"},
}


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


def bare_endpoint() -> dict:
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
        return load(f"http://127.0.0.1:{port}/v1/public/opinions")
    finally:
        server.terminate()
        server.wait()


def durable_intake(with_services: bool) -> dict:
    """The 202 path: validated, encrypted, confirmed by RabbitMQ on a quorum queue.

    With the services running they also process every opinion on the same cores; without them
    the commands wait in their queue, which shows the cost of the path itself.
    """
    broker = os.environ.get("AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/")
    vhost, amqp_uri = create_vhost(broker, "bench")
    admin_key = "rdk_bench_" + uuid.uuid4().hex
    (ROOT / ".run").mkdir(exist_ok=True)
    env = {"AMQP_URI": amqp_uri, "ADMIN_API_KEY": admin_key, "PUBLIC_RATE_LIMIT": "0"}  # one client, on purpose
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
        return load(f"{platform.base_url}/v1/public/opinions")
    finally:
        platform.stop()
        delete_vhost(vhost)


def main() -> None:
    bare = bare_endpoint()
    path_only = durable_intake(with_services=False)
    durable = durable_intake(with_services=True)
    print(
        json.dumps(
            {
                "benchmark": "POST /v1/public/opinions",
                "concurrency": CONCURRENCY,
                "seconds": DURATION,
                "bare_fastapi": bare,
                "durable_intake_gateway_and_broker_only": path_only,
                "durable_intake_whole_platform": durable,
                "throughput_ratio_path_only": round(path_only["requests_per_second"] / bare["requests_per_second"], 3),
                "throughput_ratio_whole_platform": round(
                    durable["requests_per_second"] / bare["requests_per_second"], 3
                ),
                "targets": {"throughput_ratio": ">= 0.5", "durable_p99_ms": "<= 50"},
            },
            indent=2,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
