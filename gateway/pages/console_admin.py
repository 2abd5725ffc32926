"""The administrator's console pages: the list of console users, with disabling (停用), over
`GET /v1/admin/users` and `POST /v1/admin/users/{username}/disable`; and the set-up forms over the admin
API (divisions, categories, units, routing rules, calendar days), each calling the API route's own
function, so the checks and scope rules are the API's."""

import re
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from contracts.errors import ServiceError
from contracts.intake.categories import CategoriesIn
from contracts.routing import CalendarDayIn, RoutingRuleIn, UnitIn
from contracts.vocabulary import DIVISION_CODE
from gateway import deps
from gateway.deps import running_platform
from gateway.pages.core import (
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
from gateway.routers.admin import save_division
from gateway.routers.categories import set_categories
from gateway.routers.staff_users import USERNAME, disable_user, users_in_scope
from gateway.routers.units import add_routing_rule, register_unit, set_calendar_day
from gateway.schemas import DivisionIn

router = APIRouter(prefix="/console/admin", include_in_schema=False)

Username = Annotated[str, Path(pattern=USERNAME)]


async def users_page(request: Request, session, status_code: int = 200, refusal: str | None = None):
    actor = await allowed_by(deps.Admin, session)
    users = await users_in_scope(actor, running_platform(request).staff_users)
    return render(
        request,
        "console_admin/users.html",
        status_code=status_code,
        users=users,
        me=session.username,
        refusal=refusal,
        done=request.query_params.get("done"),
    )


@router.get("/users")
async def users(request: Request, session: Session):
    return await users_page(request, session)


@router.post("/users/{username}/disable")
async def disable(request: Request, session: Session, username: Username):
    form = await request.form(max_files=0, max_fields=5)
    check_csrf(request, form)
    actor = await allowed_by(deps.Admin, session)
    try:
        await disable_user(username, actor, running_platform(request).staff_users)
    except Problem as problem:
        return await users_page(request, session, problem.status, f"{problem.title}：{username}")
    return RedirectResponse(f"/console/admin/users?done={username}", status_code=303)


# ---- the administrator's set-up forms over the admin API: each calls the API route's own function


def lines(value: str) -> list[str]:
    """A list typed one a line (or separated by 、 or commas)."""
    return [part.strip() for part in re.split(r"[\n,，、]", value) if part.strip()]


async def save_division_form(typed, actor, platform):
    body = DivisionIn.model_validate({"name": typed["name"]} if typed["name"] else {})
    return await save_division(typed["code"], body, actor, platform.divisions)


async def set_categories_form(typed, actor, platform):
    body = CategoriesIn.model_validate({"names": lines(typed["names"])})
    return await set_categories(typed["division"], body, actor, platform.divisions, platform.intake)


async def register_unit_form(typed, actor, platform):
    body = UnitIn.model_validate({key: typed[key] for key in ("id", "division", "name") if typed[key]})
    return await register_unit(body, actor, platform.divisions, platform.routing)


async def add_rule_form(typed, actor, platform):
    rule = {
        "division": typed["division"] or None,
        "keywords": lines(typed["keywords"]),
        "categories": lines(typed["categories"]),
        "triage": typed["triage"] or None,
        "lead_unit": typed["lead_unit"] or None,
    }
    body = RoutingRuleIn.model_validate({key: value for key, value in rule.items() if value is not None})
    return await add_routing_rule(body, actor, platform.divisions, platform.routing)


async def set_calendar_day_form(typed, actor, platform):
    day = {key: typed[key] for key in ("division", "day", "reason") if typed[key]}
    body = CalendarDayIn.model_validate({**day, "workday": typed["workday"] == "yes"})
    return await set_calendar_day(body, actor, platform.divisions, platform.routing)


@dataclass(frozen=True)
class SetupForm:
    title: str
    fields: tuple[str, ...]
    save: object


SETUP_FORMS = {
    "division": SetupForm("行政区划", ("code", "name"), save_division_form),
    "categories": SetupForm("问题类别", ("division", "names"), set_categories_form),
    "unit": SetupForm("承办单位", ("id", "division", "name"), register_unit_form),
    "rule": SetupForm("分办规则", ("division", "keywords", "categories", "triage", "lead_unit"), add_rule_form),
    "calendar": SetupForm("工作日历", ("division", "day", "workday", "reason"), set_calendar_day_form),
}
TRIAGE_LEVELS = {
    "assign": "直接交办",
    "station": "联络站分办",
    "on_the_spot": "当场答复",
    "escalate": "提交上级",
    "joint": "联合交办",
}


async def setup_page(request: Request, session, status_code=200, failed=None, errors=None, typed=None):
    actor = await allowed_by(deps.Admin, session)
    routing = running_platform(request).routing
    division = request.query_params.get("division") or actor.scope
    units, rules = [], []
    if DIVISION_CODE.match(division):  # the bootstrap administrator (scope "") picks a county first
        in_scope(actor, division)
        units, rules = await routing.list_units(division[:6], False), await routing.list_rules(division[:6])
    return render(
        request,
        "console_admin/setup.html",
        status_code=status_code,
        forms=SETUP_FORMS,
        levels=TRIAGE_LEVELS,
        division=division,
        units=units,
        rules=rules,
        failed=failed,
        errors=errors or FormErrors(),
        typed=typed or {},
        done=request.query_params.get("done"),
    )


@router.get("/setup")
async def setup(request: Request, session: Session):
    return await setup_page(request, session)


@router.post("/setup/{form_name}")
async def save_setup(request: Request, session: Session, form_name: Annotated[str, Path(max_length=20)]):
    if form_name not in SETUP_FORMS:
        raise PageProblem(404, "页面不存在")
    chosen = SETUP_FORMS[form_name]
    form = await request.form(max_files=0, max_fields=20)
    check_csrf(request, form)
    actor = await allowed_by(deps.Admin, session)
    typed = {name: str(form.get(name, "")).strip() for name in chosen.fields}
    try:
        await chosen.save(typed, actor, running_platform(request))
    except (ValidationError, Problem, ServiceError) as refusal:
        names = {name: name for name in chosen.fields} | {"triage": "triage", "lead_unit": "lead_unit"}
        names |= {f"{name}.{n}": name for name in ("names", "keywords", "categories") for n in range(100)}
        errors = form_errors(refusal, names)
        return await setup_page(request, session, 422, form_name, errors, typed)
    return RedirectResponse(f"/console/admin/setup?done={form_name}", status_code=303)
