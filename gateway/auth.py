"""Who is calling: the API key in `X-API-Key` (or `Authorization: Bearer`), and what it may see."""

from fastapi import Request

from contracts.actor import Actor
from contracts.vocabulary import Role
from gateway.problems import Problem


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
    record = await request.app.state.platform.api_keys.by_key(key)
    if record is None:
        raise Problem(401, "API 密钥无效", "Unknown or revoked API key", "X-API-Key")
    return actor_of(record)


def actor_of(record: dict) -> Actor:
    """The principal a stored API key stands for."""
    return Actor(
        key_id=record["_id"],
        role=Role(record["role"]),
        scope=record["scope"],
        label=record.get("label", ""),
        unit=record.get("unit"),
        deputy=record.get("deputy"),
    )


def require_scope(principal: Actor, division: str, field: str = "division") -> None:
    if not principal.can_see(division):
        raise Problem(403, "超出管辖范围", f"Division {division} is outside this key's scope {principal.scope}", field)
