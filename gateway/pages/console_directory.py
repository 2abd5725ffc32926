"""The administrator's directory and API key pages.

The directory (名录): townships, villages and communities (areas), liaison stations and deputies, listed
within the administrator's scope (deactivated ones too), created, renamed, deactivated and
reactivated through the directory API's own route functions, so the checks and scope rules are the
API's; each active station's and deputy's QR code is linked for printing.

API keys: listed within the administrator's scope (never the key nor its hash), issued and revoked
through the admin API's own route functions. A new key is shown once, on the page that answers its
form, and never again.
"""

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from contracts.errors import ServiceError
from contracts.intake.directory import CHANGES, INPUTS, AreaLevel, DirectoryKind
from contracts.vocabulary import DIVISION_CODE, ENTITY_ID, Role
from gateway import deps
from gateway.deps import Cursor, running_platform
from gateway.pages.console_admin import lines
from gateway.pages.core import (
    DEPUTY_LEVELS,
    ROLE_LABELS,
    FormErrors,
    PageProblem,
    Session,
    allowed_by,
    check_csrf,
    form_errors,
    in_scope,
    render,
)
from gateway.problems import Problem
from gateway.routers import directory
from gateway.routers.admin import create_api_key, keys_in_scope, revoke_api_key
from gateway.schemas import ApiKeyIn

router = APIRouter(prefix="/console/admin", include_in_schema=False)

EntryId = Annotated[str, Path(max_length=64, pattern=ENTITY_ID.pattern)]
KeyId = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
DivisionQuery = Annotated[str | None, Query(pattern=DIVISION_CODE.pattern)]
PAGE_SIZE = 50


@dataclass(frozen=True)
class Kind:
    kind: DirectoryKind
    title: str
    fields: tuple[str, ...]


KINDS = {
    "areas": Kind(DirectoryKind.AREA, "乡镇（街道）、村（社区）", ("level", "code", "name")),
    "stations": Kind(DirectoryKind.STATION, "代表联络站", ("id", "name", "division", "address", "reception_day")),
    "deputies": Kind(DirectoryKind.DEPUTY, "人大代表", ("id", "name", "division", "level", "station_ids")),
}
AREA_LEVELS = {AreaLevel.TOWNSHIP: "乡镇（街道）", AreaLevel.VILLAGE: "村", AreaLevel.COMMUNITY: "社区"}
KEY_ROLES = {role.value: ROLE_LABELS.get(role.value, "县级系统") for role in Role if role is not Role.CITIZEN}


def kind_of(plural: str) -> Kind:
    if plural not in KINDS:
        raise PageProblem(404, "页面不存在")
    return KINDS[plural]


def entry_body(chosen: Kind, typed: dict[str, str]) -> dict:
    """The API's request body from the form: a field left empty is left out (the API then names it)."""
    body = {name: value for name, value in typed.items() if value}
    if "station_ids" in body:
        body["station_ids"] = lines(body["station_ids"])
    return body


async def directory_page(
    request: Request,
    session,
    plural: str,
    division: str | None,
    after: str | None,
    status_code: int = 200,
    failed: str | None = None,
    errors: FormErrors | None = None,
    typed: dict | None = None,
):
    """One kind's entries within the administrator's scope (or the division picked inside it)."""
    chosen = kind_of(plural)
    actor = await allowed_by(deps.Admin, session)
    division = division or actor.scope
    in_scope(actor, division)
    page = await running_platform(request).intake.directory_entries(chosen.kind, division, None, PAGE_SIZE, after)
    return render(
        request,
        "console_admin/directory.html",
        status_code=status_code,
        kinds=KINDS,
        plural=plural,
        chosen=chosen,
        entries=page.items,
        next_cursor=page.next,
        division=division,
        area_levels=AREA_LEVELS,
        deputy_levels=DEPUTY_LEVELS,
        failed=failed,
        errors=errors or FormErrors(),
        typed=typed or {},
        done=request.query_params.get("done"),
    )


@router.get("/directory")
async def directory_home(session: Session):
    return RedirectResponse("/console/admin/directory/areas", status_code=303)


@router.get("/directory/{plural}")
async def directory_list(
    request: Request,
    session: Session,
    plural: Annotated[str, Path(max_length=20)],
    division: DivisionQuery = None,
    after: Cursor = None,
):
    return await directory_page(request, session, plural, division, after)


@router.post("/directory/{plural}")
async def directory_create(request: Request, session: Session, plural: Annotated[str, Path(max_length=20)]):
    chosen = kind_of(plural)
    form = await request.form(max_files=0, max_fields=20)
    check_csrf(request, form)
    actor = await allowed_by(deps.Admin, session)
    typed = {name: str(form.get(name, "")).strip() for name in chosen.fields}
    platform = running_platform(request)
    try:
        body = INPUTS[chosen.kind].model_validate(entry_body(chosen, typed))
        entry = await directory.CREATE[chosen.kind](body, actor, platform.divisions, platform.intake)
    except (ValidationError, Problem, ServiceError) as refusal:
        names = {name: name for name in chosen.fields} | {f"station_ids.{n}": "station_ids" for n in range(20)}
        errors = form_errors(refusal, names)
        return await directory_page(request, session, plural, None, None, 422, "create", errors, typed)
    entry_id = getattr(entry, "code", None) or entry.id
    return RedirectResponse(f"/console/admin/directory/{plural}?done={entry_id}", status_code=303)


@router.post("/directory/{plural}/{entry_id}")
async def directory_change(
    request: Request, session: Session, plural: Annotated[str, Path(max_length=20)], entry_id: EntryId
):
    """Renames (a `name` field) or deactivates and reactivates (`active` = `no` or `yes`) one entry."""
    chosen = kind_of(plural)
    form = await request.form(max_files=0, max_fields=5)
    check_csrf(request, form)
    actor = await allowed_by(deps.Admin, session)
    changes = {"name": str(form["name"]).strip()} if "name" in form else {}
    if "active" in form:
        changes["active"] = form["active"] == "yes"
    platform = running_platform(request)
    try:
        body = CHANGES[chosen.kind].model_validate(changes)
        await directory.CHANGE[chosen.kind](entry_id, body, actor, platform.divisions, platform.intake)
    except (ValidationError, Problem, ServiceError) as refusal:
        errors = form_errors(refusal, {"name": "name"})
        typed = {"name": changes.get("name", "")}
        return await directory_page(request, session, plural, None, None, 422, entry_id, errors, typed)
    return RedirectResponse(f"/console/admin/directory/{plural}?done={entry_id}", status_code=303)


# ---- API keys


async def keys_page(
    request: Request,
    session,
    after: str | None = None,
    status_code: int = 200,
    errors: FormErrors | None = None,
    typed: dict | None = None,
    refusal: str | None = None,
):
    actor = await allowed_by(deps.Admin, session)
    page = await keys_in_scope(actor, running_platform(request).api_keys, PAGE_SIZE, after)
    return render(
        request,
        "console_admin/api_keys.html",
        status_code=status_code,
        keys=page.items,
        next_cursor=page.next,
        roles=KEY_ROLES,
        scope=actor.scope,
        errors=errors or FormErrors(),
        typed=typed or {},
        refusal=refusal,
        done=request.query_params.get("done"),
    )


@router.get("/api-keys")
async def api_keys(request: Request, session: Session, after: Cursor = None):
    return await keys_page(request, session, after)


@router.post("/api-keys")
async def issue_api_key(request: Request, session: Session):
    """Issues a key and answers with the one page that ever shows it (not a redirect: nothing keeps it)."""
    form = await request.form(max_files=0, max_fields=10)
    check_csrf(request, form)
    actor = await allowed_by(deps.Admin, session)
    fields = ("role", "scope", "label", "unit", "deputy_id")
    typed = {name: str(form.get(name, "")).strip() for name in fields}
    platform = running_platform(request)
    try:
        body = ApiKeyIn.model_validate({name: value for name, value in typed.items() if value})
        created = await create_api_key(
            body, actor, platform.divisions, platform.api_keys, platform.routing, platform.intake
        )
    except (ValidationError, Problem, ServiceError) as refusal:
        errors = form_errors(refusal, {name: name for name in fields})
        return await keys_page(request, session, None, 422, errors, typed)
    return render(request, "console_admin/api_key_created.html", created=created, roles=KEY_ROLES)


@router.post("/api-keys/{key_id}/revoke")
async def revoke_key(request: Request, session: Session, key_id: KeyId):
    form = await request.form(max_files=0, max_fields=5)
    check_csrf(request, form)
    actor = await allowed_by(deps.Admin, session)
    try:
        await revoke_api_key(key_id, actor, running_platform(request).api_keys)
    except Problem as problem:
        return await keys_page(request, session, None, problem.status, refusal=f"{problem.title}：{key_id}")
    return RedirectResponse(f"/console/admin/api-keys?done={key_id}", status_code=303)
