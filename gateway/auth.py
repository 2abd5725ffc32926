"""API keys with a role, a division scope and, for a handling unit's key, the unit it acts for.

Keys are long random secrets, so a keyed SHA-256 (HMAC with `API_KEY_PEPPER`) protects them at
rest; a slow password hash such as argon2 would add ~50 ms to every call for no gain.
"""

import hashlib
import hmac
import secrets

from fastapi import Request
from ulid_transform import ulid_now

from contracts.actor import Actor
from contracts.vocabulary import Role
from gateway.problems import Problem

KEY_PREFIX = "rdk_"


def new_key() -> tuple[str, str]:
    return ulid_now(), KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(pepper: str, key: str) -> str:
    return hmac.new(pepper.encode(), key.encode(), hashlib.sha256).hexdigest()


def presented_key(request: Request) -> str | None:
    key = request.headers.get("x-api-key")
    authorization = request.headers.get("authorization", "")
    if key is None and authorization.lower().startswith("bearer "):
        key = authorization[7:].strip()
    return key


async def current_principal(request: Request) -> Actor:
    key = presented_key(request)
    if not key:
        raise Problem(401, "需要 API 密钥", "Missing API key: send it in the X-API-Key header", "X-API-Key")
    platform = request.app.state.platform
    record = await platform.api_keys.by_hash(hash_key(platform.settings.api_key_pepper, key))
    if record is None:
        raise Problem(401, "API 密钥无效", "Unknown or revoked API key", "X-API-Key")
    return Actor(
        key_id=record["_id"],
        role=Role(record["role"]),
        scope=record["scope"],
        label=record.get("label", ""),
        unit=record.get("unit"),
    )


def require_scope(principal: Actor, division: str, field: str = "division") -> None:
    if not principal.can_see(division):
        raise Problem(403, "超出管辖范围", f"Division {division} is outside this key's scope {principal.scope}", field)
