"""API keys with a role, a division scope and, for a handling unit's key, the unit it acts for
(for a deputy's key, the directory's deputy it is).

Keys are long random secrets, so a keyed SHA-256 (HMAC with `API_KEY_PEPPER`) protects them at
rest; a slow password hash such as argon2 would add ~50 ms to every call for no gain. Only the
hash is stored; the key itself is shown once, when it is issued.
"""

import hashlib
import hmac
import re
import secrets
from datetime import UTC, datetime

from ulid_transform import ulid_now

from contracts.paging import Page
from contracts.vocabulary import Role

KEY_PREFIX = "rdk_"
BOOTSTRAP_ID = "admin"


class ApiKeyStore:
    def __init__(self, collection, pepper: str):
        self.keys = collection
        self.pepper = pepper

    def hash(self, key: str) -> str:
        return hmac.new(self.pepper.encode(), key.encode(), hashlib.sha256).hexdigest()

    async def ensure_indexes(self) -> None:
        await self.keys.create_index("key_hash", unique=True)

    async def issue(
        self, role: Role, scope: str, label: str, unit: str | None = None, deputy: str | None = None
    ) -> tuple[str, str]:
        """A new key: returns its id and the key itself, which is not kept."""
        key_id, key = ulid_now(), KEY_PREFIX + secrets.token_urlsafe(32)
        record = {"_id": key_id, "key_hash": self.hash(key), "role": role.value, "scope": scope, "label": label}
        await self.keys.insert_one({**record, "unit": unit, "deputy": deputy, "created_at": datetime.now(UTC)})
        return key_id, key

    async def bootstrap(self, key: str) -> None:
        """The administrator's key from `ADMIN_API_KEY`, everywhere; a new value replaces the old one."""
        await self.keys.update_one(
            {"_id": BOOTSTRAP_ID},
            {
                "$set": {"key_hash": self.hash(key), "role": Role.ADMIN.value, "scope": "", "revoked_at": None},
                "$setOnInsert": {"label": "bootstrap admin", "unit": None, "created_at": datetime.now(UTC)},
            },
            upsert=True,
        )

    async def get(self, key_id: str) -> dict | None:
        return await self.keys.find_one({"_id": key_id})

    async def listed(self, scope: str, limit: int, after: str | None = None) -> Page[dict]:
        """The keys of `scope` and below by id (ULIDs: oldest first, to the millisecond), revoked ones too,
        never with their hash. The cursor is the last id of the page. Admin-only and small: a scan is fine."""
        query: dict = {"scope": {"$regex": f"^{re.escape(scope)}"}} if scope else {}
        if after:
            query["_id"] = {"$gt": after}
        records = await self.keys.find(query, {"key_hash": 0}).sort("_id", 1).to_list(limit + 1)
        more = len(records) > limit
        return Page(items=records[:limit], next=records[limit - 1]["_id"] if more else None)

    async def revoke(self, key_id: str) -> None:
        await self.keys.update_one({"_id": key_id, "revoked_at": None}, {"$set": {"revoked_at": datetime.now(UTC)}})

    async def by_key(self, key: str) -> dict | None:
        return await self.keys.find_one({"key_hash": self.hash(key), "revoked_at": None})
