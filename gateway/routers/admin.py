"""Administration: API keys and the divisions this platform serves.

An admin key acts within its scope: the bootstrap key (empty scope) everywhere, a county's admin
key for that county and the divisions below it only.
"""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from pydantic import Field

from contracts.actor import Actor
from contracts.paging import Page
from contracts.vocabulary import DIVISION_CODE, Role
from gateway.api_keys import ApiKeyStore
from gateway.auth import require_scope
from gateway.deps import Admin, ApiKeys, Cursor, Divisions, Intake, Limit, Routing, administered
from gateway.deputy_keys import check_deputy
from gateway.paging import PAGED, items_with_next_link
from gateway.problems import Problem, problem_responses
from gateway.schemas import ApiKeyCreated, ApiKeyIn, DivisionIn, DivisionOut, Strict
from gateway.staff_users import as_utc

router = APIRouter(prefix="/v1/admin", tags=["admin"])

DivisionCodePath = Annotated[str, Path(examples=["330481"])]


@router.post("/api-keys", status_code=201, response_model=ApiKeyCreated, responses=problem_responses(401, 403, 422))
async def create_api_key(
    body: ApiKeyIn, principal: Admin, divisions: Divisions, api_keys: ApiKeys, routing: Routing, intake: Intake
) -> ApiKeyCreated:
    """A key with a role and a division scope; a handler's key may name the unit it acts for, a
    deputy's key the directory's deputy it is (only that deputy then evaluates its suggestions' replies)."""
    await administered(principal, divisions, body.scope, "scope")
    if body.unit is not None:
        unit = await routing.unit(body.unit)
        require_scope(principal, unit.division, "unit")
    if body.deputy_id is not None:
        await check_deputy(principal, intake, body.deputy_id)
    key_id, key = await api_keys.issue(body.role, body.scope, body.label, body.unit, deputy=body.deputy_id)
    return ApiKeyCreated(id=key_id, key=key, **body.model_dump(include={"role", "scope", "label", "unit", "deputy_id"}))


class ApiKeyView(Strict):
    """An API key as an administrator sees it: never the key itself, nor its hash."""

    id: str = Field(examples=["01M85237XKA3G0W84JTQSTB9C9"])
    role: Role
    scope: str = Field(description="管辖范围；空为全部（初始管理员）/ empty: everywhere", examples=["330481"])
    label: str = Field(examples=["海宁市人大常委会代表工委"])
    unit: str | None = Field(default=None, description="承办单位 / a handler's unit", examples=[None])
    deputy_id: str | None = Field(default=None, description="人大代表 / a deputy's key's deputy", examples=[None])
    created_at: datetime | None = Field(default=None, examples=["2026-11-24T05:30:00Z"])
    revoked_at: datetime | None = Field(default=None, description="吊销时间 / when it was revoked", examples=[None])


def key_view(record: dict) -> ApiKeyView:
    moments = {name: as_utc(record[name]) for name in ("created_at", "revoked_at") if record.get(name)}
    fields = {name: record.get(name) for name in ("role", "scope", "label", "unit")}
    return ApiKeyView(id=record["_id"], deputy_id=record.get("deputy"), **fields, **moments)


async def keys_in_scope(principal: Actor, api_keys: ApiKeyStore, limit: int, after: str | None) -> Page[ApiKeyView]:
    return (await api_keys.listed(principal.scope, limit, after)).map(key_view)


@router.get("/api-keys", response_model=list[ApiKeyView], responses={**PAGED, **problem_responses(401, 403, 422)})
async def list_api_keys(
    request: Request, response: Response, principal: Admin, api_keys: ApiKeys, limit: Limit = 100, after: Cursor = None
) -> list[ApiKeyView]:
    """API 密钥列表: the keys of the administrator's scope and below, revoked ones too, oldest first;
    the bootstrap key (empty scope) sees every key. Never the key itself nor its hash."""
    return items_with_next_link(request, response, await keys_in_scope(principal, api_keys, limit, after))


@router.delete("/api-keys/{key_id}", status_code=204, responses=problem_responses(401, 403, 404))
async def revoke_api_key(key_id: str, principal: Admin, api_keys: ApiKeys) -> None:
    """A revoked key answers 401 from the next request on; the record stays for the audit trail."""
    record = await api_keys.get(key_id)
    if record is None or not principal.can_see(record["scope"]) or key_id == principal.key_id:
        raise Problem(404, "没有这个密钥", f"No API key {key_id} that this key may revoke", "key_id")
    await api_keys.revoke(key_id)


@router.put("/divisions/{code}", response_model=DivisionOut, responses=problem_responses(401, 403, 422))
async def save_division(
    code: DivisionCodePath, body: DivisionIn, principal: Admin, divisions: Divisions
) -> DivisionOut:
    """A division (county, township or village) this platform serves, with its name."""
    if not DIVISION_CODE.match(code):
        raise Problem(422, "行政区划代码不正确", "行政区划代码应为 6、9 或 12 位数字 (GB/T 2260 division code)", "code")
    require_scope(principal, code, "code")
    await divisions.save(code, body.name)
    return DivisionOut(code=code, name=body.name)
