"""API keys with a role and a division scope.

Keys are long random secrets, so a keyed SHA-256 (HMAC with `API_KEY_PEPPER`) protects them at
rest; a slow password hash such as argon2 would add ~50 ms to every call for no gain.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from ulid_transform import ulid_now

from contracts.vocabulary import Role, within
from gateway.problems import Problem

KEY_PREFIX = "rdk_"


@dataclass(frozen=True)
class Principal:
    key_id: str
    role: Role
    scope: str

    def can_see(self, division: str) -> bool:
        return within(division, self.scope)


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


async def current_principal(request: Request) -> Principal:
    key = presented_key(request)
    if not key:
        raise Problem(401, "需要 API 密钥", "Missing API key: send it in the X-API-Key header", "X-API-Key")
    platform = request.app.state.platform
    record = await platform.api_keys.by_hash(hash_key(platform.settings.api_key_pepper, key))
    if record is None:
        raise Problem(401, "API 密钥无效", "Unknown or revoked API key", "X-API-Key")
    return Principal(key_id=record["_id"], role=Role(record["role"]), scope=record["scope"])


AuthenticatedPrincipal = Annotated[Principal, Depends(current_principal)]


def require_roles(*roles: Role):
    async def check(principal: AuthenticatedPrincipal) -> Principal:
        if principal.role not in roles and principal.role is not Role.ADMIN:
            raise Problem(403, "无权访问", f"Role {principal.role.value} may not do this", "role")
        return principal

    return Depends(check)


def require_scope(principal: Principal, division: str, field: str = "division") -> None:
    if not principal.can_see(division):
        raise Problem(403, "超出管辖范围", f"Division {division} is outside this key's scope {principal.scope}", field)
