"""The gateway's own records: API keys (hashed) and the administrative divisions it serves."""

import time
from datetime import UTC, datetime


class ApiKeyStore:
    def __init__(self, collection):
        self.keys = collection

    async def ensure_indexes(self) -> None:
        await self.keys.create_index("key_hash", unique=True)

    async def add(self, key_id: str, key_hash: str, role: str, scope: str, label: str, unit: str | None = None) -> None:
        await self.keys.update_one(
            {"key_hash": key_hash},
            {
                "$setOnInsert": {
                    "_id": key_id,
                    "key_hash": key_hash,
                    "role": role,
                    "scope": scope,
                    "label": label,
                    "unit": unit,
                    "created_at": datetime.now(UTC),
                }
            },
            upsert=True,
        )

    async def get(self, key_id: str) -> dict | None:
        return await self.keys.find_one({"_id": key_id})

    async def revoke(self, key_id: str) -> None:
        await self.keys.update_one({"_id": key_id, "revoked_at": None}, {"$set": {"revoked_at": datetime.now(UTC)}})

    async def by_hash(self, key_hash: str) -> dict | None:
        return await self.keys.find_one({"key_hash": key_hash, "revoked_at": None})


class DivisionStore:
    """Divisions change rarely and are read on every submission: known codes are cached for a minute."""

    CACHE_SECONDS = 60.0

    def __init__(self, collection):
        self.divisions = collection
        self._known: dict[str, tuple[float, dict]] = {}

    async def save(self, code: str, name: str) -> None:
        await self.divisions.replace_one({"_id": code}, {"_id": code, "name": name}, upsert=True)
        self._known.pop(code, None)

    async def get(self, code: str) -> dict | None:
        cached = self._known.get(code)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        division = await self.divisions.find_one({"_id": code})
        if division:
            self._known[code] = (time.monotonic() + self.CACHE_SECONDS, division)
        return division
