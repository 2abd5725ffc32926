"""`make bench`, notify: deliveries per second through the webhook channel, and the delay from an event
to its in-app notice at steady rates.

1. Webhooks. `DELIVERIES` webhook deliveries (one event each, planned as notify plans them for a county
   system's subscription) on the embedded store in a temporary DATA_DIR, sent by the delivery engine with
   its default pool of senders through the real webhook channel (HMAC-signed) to a local receiver that
   checks every signature. Once with a receiver that answers at once, once with a second subscription
   whose receiver hangs (answers after the channel's timeout): the healthy one's rate should barely move.
   Rate limits are lifted here (the settings' defaults would cap a single channel at 600 a minute).
2. Event → inbox. The whole platform (its own RabbitMQ virtual host, demo data) takes opinions at
   `RATES` per second for `SECONDS` seconds; routing assigns each (the demo rules), and notify stores the
   unit's notice. The delay of one is the notice's `created_at` minus the `assigned` step of its case.

Prints JSON. Times are figures to read, never asserted: this machine is shared and noisy.
"""

import asyncio
import json
import os
import random
import statistics
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

from bench.routing_pipeline import submit_at_rate, whole_platform
from contracts.notify.webhooks import SubscriptionStatus
from contracts.routing import CaseAssigned, UnitRef
from infra.clock import utc_now
from infra.mongo import open_client
from infra.pii import PiiCipher
from infra.settings import DEV_PII_KEY
from services.notify.channels.webhook import SIGNATURE_HEADER, TIMESTAMP_HEADER, WebhookChannel, signature
from services.notify.delivery.compose import composer
from services.notify.delivery.destinations import locator
from services.notify.delivery.engine import DeliveryEngine, DeliverySettings
from services.notify.delivery.planning import plan_webhooks
from services.notify.store import InboxStore
from services.notify.webhooks.store import Subscription

DELIVERIES = int(os.environ.get("BENCH_DELIVERIES", "2000"))
RATES = [int(rate) for rate in os.environ.get("BENCH_RATES", "20,40").split(",")]
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
SECRET = "whsec_bench_0123456789abcdef"
HANG_SECONDS = 3.0


class Receiver(BaseHTTPRequestHandler):
    """Checks the signature of every webhook; `/hang` answers only after the sender has given up."""

    verified = 0
    lock = threading.Lock()

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.path == "/hang":
            time.sleep(HANG_SECONDS)
        ok = self.headers[SIGNATURE_HEADER] == signature(SECRET, self.headers[TIMESTAMP_HEADER], body)
        if ok and self.path == "/hook":
            with Receiver.lock:
                Receiver.verified += 1
        self.send_response(200 if ok else 401)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def assigned_event() -> dict:
    """A case.assigned envelope as the broker carries it (each with its own event id)."""
    event = CaseAssigned(
        case_id=uuid.uuid4().hex[:12].upper(),
        division="330481001",
        lead_unit=UnitRef(id="hn-transport", name="海宁市交通运输局"),
        co_units=[],
        assigned_at=utc_now(),
        due_date=date(2026, 12, 14),
        working_days=15,
        calendar_fallback=False,
        transitions=[],
    )
    return event.envelope("330481001", "bench").wire()


def subscription(sub_id: str, url: str) -> Subscription:
    return Subscription(
        id=sub_id,
        url=url,
        event_types=["case.assigned"],
        division="330481",
        status=SubscriptionStatus.ACTIVE,
        owner="county_system:bench",
        created_at=utc_now(),
        sealed_secret=PiiCipher(DEV_PII_KEY).seal_text(SECRET),
    )


def webhook_run(base_url: str, with_hanging: bool) -> dict:
    cipher = PiiCipher(DEV_PII_KEY)
    with tempfile.TemporaryDirectory(prefix="bench-notify-") as data_dir:
        client = open_client(None, Path(data_dir), "notify")
        store = InboxStore(client["notify"], lambda envelope: None, cipher)
        store.ensure_indexes()
        healthy = subscription("healthy", f"{base_url}/hook")
        subscriptions = [healthy, subscription("hanging", f"{base_url}/hang")] if with_hanging else [healthy]
        for s in subscriptions:
            store.webhooks.add(s)
        for _ in range(DELIVERIES):
            plan_webhooks(store.delivery, assigned_event(), subscriptions, utc_now())
        settings = DeliverySettings(lease=timedelta(seconds=2), channel_rate=10**9, recipient_rate=10**9)
        pool = ThreadPoolExecutor(settings.senders)
        engine = DeliveryEngine(
            store.delivery,
            store.notifications.get,
            locator(store, cipher, lambda code: None),
            composer(store.templates, cipher, {}),
            {"webhook": WebhookChannel(timeout=1.0, allow_internal=True)},
            pool,
            settings,
            utc_now,
            random.Random(),
        )
        Receiver.verified = 0
        started = time.perf_counter()
        while Receiver.verified < DELIVERIES and time.perf_counter() - started < 300:
            if engine.run_once() == 0:
                time.sleep(0.005)
        elapsed = time.perf_counter() - started
        pool.shutdown(wait=True, cancel_futures=True)  # the hanging sends give up after the channel's timeout
        client.close()
    return {
        "receivers": "one healthy + one hanging" if with_hanging else "one healthy",
        "deliveries_to_the_healthy_receiver": DELIVERIES,
        "signatures_verified": Receiver.verified,
        "seconds": round(elapsed, 2),
        "deliveries_per_second": round(Receiver.verified / elapsed),
    }


def notice_delays(admin: httpx.Client, case_ids: set[str]) -> list[float]:
    """Seconds from each case's `assigned` step to its lead unit's notice (in the demo, 海宁市交通运输局)."""
    assigned = {}
    for case_id in case_ids:
        case = admin.get(f"/v1/cases/{case_id}").json()
        steps = [step["at"] for step in case.get("history", []) if step["status"] == "assigned"]
        if steps:
            assigned[case_id] = (datetime.fromisoformat(steps[0]).timestamp(), case["lead_unit"]["id"])
    noticed = {}
    for unit in {unit for _, unit in assigned.values()}:
        after = None
        while True:
            params = {
                "recipient": f"unit:{unit}",
                "division": "330481",
                "limit": 500,
                **({"after": after} if after else {}),
            }
            answer = admin.get("/v1/notifications", params=params)
            for note in answer.json():
                if note["case_id"] in assigned and note["kind"] == "case.assigned":
                    noticed[note["case_id"]] = datetime.fromisoformat(note["created_at"]).timestamp()
            link = answer.headers.get("link")
            if not link:
                break
            after = link.split("after=")[1].split(">")[0]
    return sorted(noticed[c] - assigned[c][0] for c in noticed)


def inbox_runs() -> list[dict]:
    runs = []
    with whole_platform() as (base_url, admin_key):
        with httpx.Client(base_url=base_url, headers={"X-API-Key": admin_key}, timeout=60) as admin:
            for rate in RATES:
                mark = f"压测{uuid.uuid4().hex[:8]}"
                answered, failures = asyncio.run(submit_at_rate(base_url, mark, rate))
                deadline, delays = time.monotonic() + 90, []
                while time.monotonic() < deadline:
                    delays = notice_delays(admin, set(answered))
                    if len(delays) >= len(answered):
                        break
                    time.sleep(2)
                runs.append(
                    {
                        "rate_per_second": rate,
                        "seconds": SECONDS,
                        "opinions": len(answered),
                        "notices": len(delays),
                        "p50_ms": round(statistics.median(delays) * 1000) if delays else None,
                        "p95_ms": round(delays[int(len(delays) * 0.95) - 1] * 1000) if delays else None,
                        "max_ms": round(delays[-1] * 1000) if delays else None,
                    }
                )
    return runs


class ReceiverServer(ThreadingHTTPServer):
    request_queue_size = 256  # the default backlog of 5 would drop the pool's concurrent connects
    daemon_threads = True


def main() -> None:
    server = ReceiverServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base_url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        webhooks = [webhook_run(base_url, False), webhook_run(base_url, True)]
    finally:
        server.shutdown()
    title = "notify: webhook deliveries per second through the delivery engine"
    print(json.dumps({"benchmark": title, "runs": webhooks}, indent=2, ensure_ascii=False), flush=True)
    if not os.environ.get("BENCH_NOTIFY_SKIP_PLATFORM"):
        title = "notify: event (case assigned) → the unit's in-app notice, the whole platform"
        print(json.dumps({"benchmark": title, "runs": inbox_runs()}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
