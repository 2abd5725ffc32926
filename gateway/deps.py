"""The routers' dependencies as `Annotated` aliases: who calls, which roles and divisions they may
use, list limits and cursors, and the typed service clients.

Each piece is its own dependency, so router tests swap a fake in with `dependency_overrides`
(a principal of any role and scope, a client answering from memory) without the platform.
"""

from typing import Annotated

from fastapi import Depends, Query, Request

from contracts.actor import Actor
from contracts.vocabulary import DIVISION_CODE, Role
from gateway.api_keys import ApiKeyStore
from gateway.auth import current_principal, require_scope
from gateway.clients import IntakeClient, LegislationClient, NotifyClient, RoutingClient, SupervisionClient
from gateway.platform import Platform
from gateway.problems import Problem
from gateway.stores import DivisionStore

Principal = Annotated[Actor, Depends(current_principal)]


def allowed(*roles: Role):
    """A principal of one of `roles` (an administrator may do anything); 403 for the others."""

    async def check(principal: Principal) -> Actor:
        if principal.role not in roles and principal.role is not Role.ADMIN:
            raise Problem(403, "无权访问", f"Role {principal.role.value} may not do this", "role")
        return principal

    return Annotated[Actor, Depends(check)]


Admin = allowed(Role.ADMIN)
Supervisor = allowed(Role.SUPERVISOR)
Handler = allowed(Role.HANDLER)
CaseReader = allowed(Role.STATION, Role.INFO_OFFICER, Role.SUPERVISOR, Role.DEPUTY, Role.HANDLER, Role.COUNTY_SYSTEM)


async def division_in_scope(
    principal: Principal,
    division: Annotated[
        str | None,
        Query(
            pattern=DIVISION_CODE.pattern,
            description="行政区划代码；默认为密钥的管辖范围 / defaults to the key's scope",
        ),
    ] = None,
) -> str:
    """The `division` asked for (default: the key's own scope); 403 outside the key's scope."""
    division = division or principal.scope
    require_scope(principal, division)
    return division


ScopedDivision = Annotated[str, Depends(division_in_scope)]
DivisionParam = Annotated[
    str, Query(pattern=DIVISION_CODE.pattern, description="行政区划代码 / division code", examples=["330481"])
]
Limit = Annotated[int, Query(ge=1, le=500, description="每页条数 / items per page")]
Cursor = Annotated[
    str | None,
    Query(
        max_length=500,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="上一页响应 Link 头中的游标 / the cursor from the previous page's Link header",
    ),
]


def running_platform(request: Request) -> Platform:
    return request.app.state.platform


# async, like every dependency here: FastAPI runs a plain `def` dependency in a worker thread
async def platform_of(request: Request) -> Platform:
    return running_platform(request)


async def intake_client(request: Request) -> IntakeClient:
    return running_platform(request).intake


async def routing_client(request: Request) -> RoutingClient:
    return running_platform(request).routing


async def supervision_client(request: Request) -> SupervisionClient:
    return running_platform(request).supervision


async def notify_client(request: Request) -> NotifyClient:
    return running_platform(request).notify


async def legislation_client(request: Request) -> LegislationClient:
    return running_platform(request).legislation


async def division_store(request: Request) -> DivisionStore:
    return running_platform(request).divisions


async def api_key_store(request: Request) -> ApiKeyStore:
    return running_platform(request).api_keys


PlatformDep = Annotated[Platform, Depends(platform_of)]
Intake = Annotated[IntakeClient, Depends(intake_client)]
Routing = Annotated[RoutingClient, Depends(routing_client)]
Supervision = Annotated[SupervisionClient, Depends(supervision_client)]
Notify = Annotated[NotifyClient, Depends(notify_client)]
Divisions = Annotated[DivisionStore, Depends(division_store)]
Legislation = Annotated[LegislationClient, Depends(legislation_client)]
ApiKeys = Annotated[ApiKeyStore, Depends(api_key_store)]


async def administered(principal: Actor, divisions: DivisionStore, code: str, field: str = "division") -> None:
    """An administrator acts on a division inside its scope that this platform serves."""
    require_scope(principal, code, field)
    if await divisions.get(code) is None:
        raise Problem(422, "未知的行政区划", f"Division {code} is not served by this platform", field)
