"""Administration: API keys, divisions served, liaison stations, deputies, units and routing rules.

An admin key acts within its scope: the bootstrap key (empty scope) everywhere, a county's admin
key for that county and the divisions below it only.
"""

from typing import Annotated

from fastapi import APIRouter

from contracts.rpc import CalendarDayIn, DeputyIn, RoutingRuleIn, StationIn, UnitIn
from contracts.vocabulary import Role
from gateway.auth import Principal, hash_key, new_key, require_roles, require_scope
from gateway.platform import Platform, PlatformDep
from gateway.problems import Problem
from gateway.schemas import ApiKeyCreated, ApiKeyIn, DivisionIn, DivisionOut, division_code

router = APIRouter(prefix="/v1/admin", tags=["admin"])

Admin = Annotated[Principal, require_roles(Role.ADMIN)]


async def administered(principal: Principal, platform: Platform, code: str, field: str = "division") -> None:
    """The division is inside the admin's scope and served by this platform."""
    require_scope(principal, code, field)
    if await platform.divisions.get(code) is None:
        raise Problem(422, "未知的行政区划", f"Division {code} is not served by this platform", field)


@router.post("/api-keys", status_code=201, response_model=ApiKeyCreated)
async def create_api_key(body: ApiKeyIn, principal: Admin, platform: PlatformDep) -> ApiKeyCreated:
    await administered(principal, platform, body.scope, "scope")
    key_id, key = new_key()
    await platform.api_keys.add(
        key_id, hash_key(platform.settings.api_key_pepper, key), body.role, body.scope, body.label
    )
    return ApiKeyCreated(id=key_id, key=key, role=body.role, scope=body.scope, label=body.label)


@router.delete("/api-keys/{key_id}", status_code=204)
async def revoke_api_key(key_id: str, principal: Admin, platform: PlatformDep) -> None:
    """A revoked key answers 401 from the next request on; the record stays for the audit trail."""
    record = await platform.api_keys.get(key_id)
    if record is None or not principal.can_see(record["scope"]) or key_id == principal.key_id:
        raise Problem(404, "没有这个密钥", f"No API key {key_id} that this key may revoke", "key_id")
    await platform.api_keys.revoke(key_id)


@router.put("/divisions/{code}", response_model=DivisionOut)
async def save_division(code: str, body: DivisionIn, principal: Admin, platform: PlatformDep) -> DivisionOut:
    try:
        division_code(code)
    except ValueError as error:
        raise Problem(422, "行政区划代码不正确", str(error), "code") from error
    require_scope(principal, code, "code")
    await platform.divisions.save(code, body.name)
    return DivisionOut(code=code, name=body.name)


@router.post("/units", status_code=201, response_model=UnitIn)
async def register_unit(body: UnitIn, principal: Admin, platform: PlatformDep) -> UnitIn:
    await administered(principal, platform, body.division)
    return UnitIn.model_validate(await platform.broker.call("routing", "register_unit", unit=body.model_dump()))


@router.post("/routing-rules", status_code=201, response_model=RoutingRuleIn)
async def add_routing_rule(body: RoutingRuleIn, principal: Admin, platform: PlatformDep) -> RoutingRuleIn:
    await administered(principal, platform, body.division)
    return RoutingRuleIn.model_validate(await platform.broker.call("routing", "add_rule", rule=body.model_dump()))


@router.post("/stations", status_code=201, response_model=StationIn)
async def register_station(body: StationIn, principal: Admin, platform: PlatformDep) -> StationIn:
    await administered(principal, platform, body.division)
    return StationIn.model_validate(await platform.broker.call("intake", "register_station", station=body.model_dump()))


@router.post("/deputies", status_code=201, response_model=DeputyIn)
async def register_deputy(body: DeputyIn, principal: Admin, platform: PlatformDep) -> DeputyIn:
    await administered(principal, platform, body.division)
    return DeputyIn.model_validate(await platform.broker.call("intake", "register_deputy", deputy=body.model_dump()))


@router.put("/calendar-days", response_model=CalendarDayIn)
async def set_calendar_day(body: CalendarDayIn, principal: Admin, platform: PlatformDep) -> CalendarDayIn:
    """A county's own working day or day off; deadlines set from then on count with it."""
    await administered(principal, platform, body.division)
    return CalendarDayIn.model_validate(
        await platform.broker.call("routing", "set_calendar_day", day=body.model_dump(mode="json"))
    )
