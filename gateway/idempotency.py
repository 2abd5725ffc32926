"""`Idempotency-Key` on submissions: a retried request gets the first answer, never a second item.

The key is claimed with an insert before any work, so two concurrent requests with one key cannot
both go through; a request that fails releases its key so the client may retry.
"""

import hashlib
import re
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from pydantic import BaseModel
from pymongo.errors import DuplicateKeyError

from gateway.problems import Problem

KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,128}$")
HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY_PARAMETER = {
    "name": HEADER,
    "in": "header",
    "required": False,
    "description": "同一请求重试时携带同一键，只会受理一次 / retries with one key are accepted once",
    "schema": {"type": "string", "pattern": KEY_PATTERN.pattern},
}


class IdempotencyStore:
    KEEP_SECONDS = 24 * 3600

    def __init__(self, collection):
        self.records = collection

    async def ensure_indexes(self) -> None:
        await self.records.create_index("created_at", expireAfterSeconds=self.KEEP_SECONDS)

    async def claim(self, key: str, fingerprint: str) -> dict | None:
        """None when this request now owns the key; otherwise the record of the earlier one."""
        try:
            await self.records.insert_one(
                {"_id": key, "fingerprint": fingerprint, "response": None, "created_at": datetime.now(UTC)}
            )
        except DuplicateKeyError:
            return await self.records.find_one({"_id": key})
        return None

    async def complete(self, key: str, response: dict) -> None:
        await self.records.update_one({"_id": key}, {"$set": {"response": response}})

    async def release(self, key: str) -> None:
        await self.records.delete_one({"_id": key})


class Outcome:
    def __init__(self, replay: dict | None):
        self.replay = replay
        self.response: dict | None = None


@asynccontextmanager
async def idempotent(store: IdempotencyStore, scope: str, key: str, body: BaseModel):
    """Yields an Outcome: `replay` is the earlier answer to return; otherwise set `response`."""
    if not KEY_PATTERN.match(key):
        raise Problem(422, "幂等键格式不正确", "Idempotency-Key must be 1-128 visible ASCII characters", HEADER)
    record_key = f"{scope}:{key}"
    fingerprint = hashlib.sha256(body.model_dump_json().encode()).hexdigest()
    earlier = await store.claim(record_key, fingerprint)
    if earlier is not None:
        if earlier["fingerprint"] != fingerprint:
            raise Problem(422, "幂等键已用于另一请求", "This Idempotency-Key was used with a different body", HEADER)
        if earlier["response"] is None:
            raise Problem(409, "同一请求正在处理", "A request with this Idempotency-Key is still in progress", HEADER)
        yield Outcome(earlier["response"])
        return
    outcome = Outcome(None)
    try:
        yield outcome
    except BaseException:
        await store.release(record_key)
        raise
    await store.complete(record_key, outcome.response)
