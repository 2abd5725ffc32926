"""`make bench`, second part: what the embedded store costs, next to plain (in-memory) mongomock.

Documents shaped like an opinion (about 1 kB of BSON, intake's indexes). At 1,000, 10,000 and
50,000 documents: µs per insert_one, per update_one by _id (a $set and a $push, as applying an
event does) and per find_one by _id, the median of as many calls as fit in a short budget;
then how long opening the largest file takes (lock, integrity check, load). Prints JSON. Times
are figures to read, never asserted: this machine is shared and noisy.
"""

import json
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import bson
import mongomock

from infra.embedded import EmbeddedClient

SIZES = (1_000, 10_000, 50_000)
BUDGET_SECONDS = 0.3  # per operation, store and size
MIN_CALLS, MAX_CALLS = 5, 300
START = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
CONTENT = (
    "文苑路公交站台的顶棚坏了，下雨天没法等车，老人和孩子只能站在雨里。希望有关部门尽快修复，并在站台加装座椅。" * 3
)


def opinion(n: int, batch: str = "BASE") -> dict:
    at = START + timedelta(seconds=n)
    code = f"{n:05X}-{batch}-{n % 997:04d}"
    return {
        "_id": code,
        "tracking_code": code,
        "division": f"330481{n % 20:03d}",
        "channel": "web",
        "content": CONTENT,
        "submitted_at": at,
        "contact": {
            "key_id": "k1",
            "ciphertext": "Zm9v" * 30,
            "phone_hash": f"{n:064x}",
        },
        "status": "received",
        "lead_unit": None,
        "co_units": [],
        "due_date": None,
        "calendar_fallback": False,
        "history": [{"status": "received", "at": at, "actor": "channel:web", "reason": "已受理"}],
        "applied_events": [],
        "outbox": [],
    }


def with_indexes(collection):
    collection.create_index([("division", 1), ("submitted_at", -1)])
    collection.create_index("contact.phone_hash", sparse=True)
    collection.create_index("outbox.queued_at", sparse=True)
    return collection


def median_microseconds(call, arguments) -> float:
    timings = []
    deadline = time.perf_counter() + BUDGET_SECONDS
    for argument in arguments:
        started = time.perf_counter()
        call(argument)
        timings.append(time.perf_counter() - started)
        if len(timings) >= MIN_CALLS and time.perf_counter() > deadline:
            break
    return round(statistics.median(timings) * 1e6, 1)


def figures(collection, size: int) -> dict:
    ids = [opinion((n * 7919) % size)["_id"] for n in range(MAX_CALLS)]
    fresh = [opinion(n, f"N{size}") for n in range(MAX_CALLS)]
    return {
        "insert_one": median_microseconds(collection.insert_one, fresh),
        "update_one_by_id": median_microseconds(
            lambda doc_id: collection.update_one(
                {"_id": doc_id}, {"$set": {"status": "assigned"}, "$push": {"applied_events": f"event-{doc_id}"}}
            ),
            ids,
        ),
        "find_one_by_id": median_microseconds(lambda doc_id: collection.find_one({"_id": doc_id}), ids),
    }


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-embedded-") as data_dir:
        client = EmbeddedClient(data_dir)
        stores = {
            "embedded": with_indexes(client["bench"]["opinions"]),
            "mongomock": with_indexes(mongomock.MongoClient(tz_aware=True)["bench"]["opinions"]),
        }
        results = {}
        stored = 0
        for size in SIZES:
            for collection in stores.values():
                collection.insert_many([opinion(n) for n in range(stored, size)])
            stored = size
            results[str(size)] = {name: figures(collection, size) for name, collection in stores.items()}
        client.close()

        started = time.perf_counter()
        reopened = EmbeddedClient(data_dir)
        count = reopened["bench"]["opinions"].estimated_document_count()
        load_seconds = time.perf_counter() - started
        reopened.close()
        file_bytes = sum(path.stat().st_size for path in Path(data_dir).glob("bench.sqlite3*"))

    print(
        json.dumps(
            {
                "benchmark": "embedded store (mongomock + SQLite mirror) against plain mongomock, one process",
                "document_bson_bytes": len(bson.encode(opinion(0))),
                "median_microseconds_per_call": results,
                "open_at_start": {
                    "documents": count,
                    "seconds": round(load_seconds, 2),
                    "file_megabytes": round(file_bytes / 1e6, 1),
                },
            },
            indent=2,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
