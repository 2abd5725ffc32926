"""`make bench`: a county system's bulk import of 10,000 rows through the whole platform.

The platform starts as `bench/intake_load.py` starts it: its own RabbitMQ virtual host, an empty
embedded store, the demo data. A county system key uploads a CSV of BENCH_IMPORT_ROWS rows (default
10,000; BENCH_IMPORT_FORMAT=xlsx or json for the others) and the clock runs until the report comes
back; then every tracking code of the report is looked up on `/v1/public/opinions/{code}` (16 at a
time) until each answers `received` or later, and the clock stops again. Then the same file once
more: every row already imported. Prints JSON. Times are figures to read, never asserted.
"""

import asyncio
import csv
import io
import json
import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
from openpyxl import Workbook

from devtools import demo_data
from devtools.broker import create_vhost, delete_vhost
from devtools.launcher import ROOT, PlatformProcesses, free_port

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "10000"))
FORMAT = os.environ.get("BENCH_IMPORT_FORMAT", "csv")
POLL_CONCURRENCY = 16
HEADER = ["external_id", "division", "content", "category", "submitted_at", "contact_name", "contact_phone"]
PLACES = ["330481001", "330481002", "330481003", "330481101", "330481102"]
TOPICS = ["公交站台的顶棚坏了，下雨天没法等车", "小区门口的路灯不亮", "河道有污水直排，气味很大", "学校门口没有红绿灯"]


@dataclass
class Running:
    base_url: str
    admin_key: str


@contextmanager
def whole_platform() -> Iterator[Running]:
    broker = os.environ.get("AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/")
    vhost, amqp_uri = create_vhost(broker, "bench-import")
    admin_key = "rdk_bench_" + uuid.uuid4().hex
    (ROOT / ".run").mkdir(exist_ok=True)
    data_dir = tempfile.TemporaryDirectory(prefix="bench-import-")
    env = {"AMQP_URI": amqp_uri, "ADMIN_API_KEY": admin_key, "DATA_DIR": data_dir.name, "PUBLIC_RATE_LIMIT": "0"}
    platform = PlatformProcesses(env, free_port(), log_dir=ROOT / ".run")
    try:
        platform.start()
        platform.wait_ready()
        demo_data.load(platform.base_url, admin_key)
        yield Running(platform.base_url, admin_key)
    finally:
        platform.stop()
        delete_vhost(vhost)
        data_dir.cleanup()


def table(rows: int) -> list[list[str]]:
    run = uuid.uuid4().hex[:6]
    return [
        [
            f"BENCH-{run}-{i:05d}",
            PLACES[i % len(PLACES)],
            f"第 {i} 件：{TOPICS[i % len(TOPICS)]}，希望尽快处理。",
            "",
            "2026-11-20 09:30",
            "陈小明" if i % 2 else "",
            f"138{i:08d}" if i % 2 else "",
        ]
        for i in range(rows)
    ]


def encoded(rows: list[list[str]], file_format: str) -> bytes:
    if file_format == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        for row in [HEADER, *rows]:
            sheet.append(row)
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()
    if file_format == "json":
        return json.dumps([dict(zip(HEADER, row, strict=True)) for row in rows], ensure_ascii=False).encode()
    out = io.StringIO()
    csv.writer(out).writerows([HEADER, *rows])
    return out.getvalue().encode()


def upload(base_url: str, key: str, data: bytes) -> tuple[float, dict]:
    started = time.perf_counter()
    answer = httpx.post(
        f"{base_url}/v1/imports/opinions",
        headers={"X-API-Key": key},
        files={"file": (f"bench.{FORMAT}", data, "application/octet-stream")},
        timeout=1800,
    )
    answer.raise_for_status()
    return time.perf_counter() - started, answer.json()


async def all_received(base_url: str, codes: list[str]) -> tuple[int, int]:
    """Looks every code up until it answers; the lookups made and the codes that were not there at first."""
    pending, lookups, late = list(codes), 0, set()
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        semaphore = asyncio.Semaphore(POLL_CONCURRENCY)

        async def visible(code: str) -> bool:
            async with semaphore:
                answer = await client.get(f"/v1/public/opinions/{code}")
            return answer.status_code == 200  # stored: received, or already further on

        while pending:
            found = await asyncio.gather(*(visible(code) for code in pending))
            lookups += len(pending)
            missing = [code for code, seen in zip(pending, found, strict=True) if not seen]
            late.update(missing)
            pending = missing
            if pending:
                await asyncio.sleep(0.2)
    return lookups, len(late)


def main() -> None:
    rows = table(ROWS)
    data = encoded(rows, FORMAT)
    with whole_platform() as platform:
        with httpx.Client(base_url=platform.base_url, headers={"X-API-Key": platform.admin_key}) as admin:
            created = admin.post(
                "/v1/admin/api-keys", json={"role": "county_system", "scope": "330481", "label": "bench 12345 平台"}
            )
            created.raise_for_status()
        key = created.json()["key"]
        started = time.perf_counter()
        until_report, report = upload(platform.base_url, key, data)
        codes = [line["tracking_code"] for line in report["rows"] if line["tracking_code"]]
        lookups, late = asyncio.run(all_received(platform.base_url, codes))
        until_received = time.perf_counter() - started
        again_seconds, again = upload(platform.base_url, key, data)
    print(
        json.dumps(
            {
                "benchmark": "POST /v1/imports/opinions",
                "rows": ROWS,
                "format": FORMAT,
                "file_bytes": len(data),
                "report": {k: report[k] for k in ("total", "accepted", "already_imported", "rejected")},
                "seconds_until_report": round(until_report, 2),
                "rows_per_second_until_report": round(ROWS / until_report, 1),
                "seconds_until_every_row_received": round(until_received, 2),
                "codes_not_yet_visible_after_the_report": late,
                "lookups": lookups,
                "same_file_again": {
                    "seconds_until_report": round(again_seconds, 2),
                    "already_imported": again["already_imported"],
                    "accepted": again["accepted"],
                },
            },
            indent=2,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
