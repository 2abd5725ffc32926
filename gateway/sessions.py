"""Signed-in sessions of console users: a random token in the browser's cookie, its SHA-256 here.

A stolen copy of this collection does not give working cookies. Each session carries its own CSRF
token, which every form of the console sends back. A session ends at `expires_at` (a working day
after sign-in) or when its user signs out.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from gateway.staff_users import as_utc

SESSION_LIFE = timedelta(hours=8)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SessionStore:
    def __init__(self, collection):
        self.sessions = collection

    async def ensure_indexes(self) -> None:
        await self.sessions.create_index("expires_at", expireAfterSeconds=0)

    async def open(self, username: str, now: datetime) -> tuple[str, dict]:
        """A new session: the token for the cookie (not kept) and the stored record."""
        token = secrets.token_urlsafe(32)
        record = {
            "_id": token_hash(token),
            "username": username,
            "csrf": secrets.token_urlsafe(32),
            "created_at": now,
            "expires_at": now + SESSION_LIFE,
        }
        await self.sessions.insert_one(record)
        return token, record

    async def find(self, token: str, now: datetime) -> dict | None:
        """The live session of `token`; None when unknown, ended or expired."""
        record = await self.sessions.find_one({"_id": token_hash(token)})
        if record is None or as_utc(record["expires_at"]) <= now:
            return None
        return record

    async def close(self, token: str) -> None:
        await self.sessions.delete_one({"_id": token_hash(token)})
