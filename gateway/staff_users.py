"""Staff who sign in to the console with a username and password: the gateway's own record.

Passwords are kept as argon2id hashes (argon2-cffi's defaults: RFC 9106's second recommended
parameters). Unlike API keys, passwords are short and chosen by people, so the slow hash is the
point. A user has a role, a division scope and, for a handling unit, the unit it acts for, exactly
as an API key has; signed in, it acts as the same `Actor`.

Failed sign-ins are counted per user and per client address within a window; past the limit the
user (or the address) is locked until the window ends, whatever the password. The counters live in
documents keyed by `_id`, so the embedded store finds them without a scan.
"""

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from contracts.actor import Actor
from contracts.vocabulary import Role

USER_ATTEMPTS = 5
ADDRESS_ATTEMPTS = 20
LOCK_WINDOW = timedelta(minutes=15)
# a first password an administrator hands over: 12 characters of an alphabet without look-alikes
FIRST_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"


def first_password() -> str:
    return "".join(secrets.choice(FIRST_PASSWORD_ALPHABET) for _ in range(12))


def actor_of_user(user: dict) -> Actor:
    """The principal a signed-in user stands for: the same `Actor` an API key gives."""
    return Actor(
        key_id=f"user:{user['_id']}",
        role=Role(user["role"]),
        scope=user["scope"],
        label=user.get("label", ""),
        unit=user.get("unit"),
        deputy=user.get("deputy"),
    )


@dataclass
class SignIn:
    """What a sign-in attempt gave: the user, or why not (`locked` says the limit was reached)."""

    user: dict | None = None
    locked: bool = False


class StaffUserStore:
    def __init__(self, users, failures, hasher: PasswordHasher | None = None):
        self.users = users
        self.failures = failures
        self.hasher = hasher or PasswordHasher()
        # verifying against this when the user is unknown takes as long as for a known one
        self._decoy = self.hasher.hash(first_password())

    async def create(
        self,
        username: str,
        role: Role,
        scope: str,
        label: str,
        unit: str | None,
        password: str,
        deputy: str | None = None,
    ) -> dict | None:
        """A new user who must change `password` at first sign-in; None if the username is taken."""
        if await self.users.find_one({"_id": username}) is not None:
            return None
        user = {
            "_id": username,
            "password_hash": self.hasher.hash(password),
            "role": role.value,
            "scope": scope,
            "label": label,
            "unit": unit,
            "deputy": deputy,
            "must_change_password": True,
            "created_at": datetime.now(UTC),
        }
        await self.users.insert_one(user)
        return user

    async def ensure_indexes(self) -> None:
        """Failed sign-ins are kept per user and per address only while they can lock: an address that
        tried once is not remembered for ever."""
        await self.failures.create_index("since", expireAfterSeconds=int(LOCK_WINDOW.total_seconds()))

    async def get(self, username: str) -> dict | None:
        return await self.users.find_one({"_id": username})

    async def sign_in(self, username: str, password: str, address: str, now: datetime) -> SignIn:
        if await self._locked(f"user:{username}", USER_ATTEMPTS, now) or await self._locked(
            f"address:{address}", ADDRESS_ATTEMPTS, now
        ):
            return SignIn(locked=True)
        user = await self.users.find_one({"_id": username})
        if user is not None and user.get("disabled_at") is None and self._verify(user["password_hash"], password):
            await self.failures.delete_one({"_id": f"user:{username}"})
            return SignIn(user=user)
        if user is None:
            self._verify(self._decoy, password)
        await self._count(f"user:{username}", now)
        await self._count(f"address:{address}", now)
        return SignIn()

    async def listed(self, scope: str, limit: int) -> list[dict]:
        """The users of `scope` and below, by username. Admin-only and small: a scan is fine."""
        query = {"scope": {"$regex": f"^{re.escape(scope)}"}} if scope else {}
        return await self.users.find(query).sort("_id", 1).to_list(limit)

    async def disable(self, username: str, now: datetime) -> dict | None:
        """Stops a user signing in; its live sessions stop at their next request (`current_session`)."""
        await self.users.update_one({"_id": username, "disabled_at": None}, {"$set": {"disabled_at": now}})
        return await self.get(username)

    async def change_password(self, username: str, password: str) -> None:
        await self.users.update_one(
            {"_id": username},
            {"$set": {"password_hash": self.hasher.hash(password), "must_change_password": False}},
        )

    def verify(self, user: dict, password: str) -> bool:
        return self._verify(user["password_hash"], password)

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self.hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    async def _locked(self, key: str, limit: int, now: datetime) -> bool:
        record = await self.failures.find_one({"_id": key})
        return record is not None and record["count"] >= limit and as_utc(record["since"]) + LOCK_WINDOW > now

    async def _count(self, key: str, now: datetime) -> None:
        """One more failure in the current window; a window that has ended starts again at one."""
        record = await self.failures.find_one({"_id": key})
        if record is None or as_utc(record["since"]) + LOCK_WINDOW <= now:
            await self.failures.replace_one({"_id": key}, {"_id": key, "count": 1, "since": now}, upsert=True)
        else:
            await self.failures.update_one({"_id": key}, {"$inc": {"count": 1}})


def as_utc(moment: datetime) -> datetime:
    """The embedded store gives back naive datetimes (UTC); a real MongoDB client, aware ones."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
