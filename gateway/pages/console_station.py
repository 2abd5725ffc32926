"""The station's console pages beyond triage: its reception sessions (接待活动, list and plan one) and
entering items received at a visit, a meeting, on the hotline or from a mailbox.

A session is planned as `POST /v1/receptions` does (`intake.create_reception` with the station's
actor, which checks the station's scope); an item is entered by the API route `enter_opinion` itself,
so the channel rule, scope check, sealing of the contact and the command are the API's own.
"""

from fastapi import APIRouter, Request, Response
from pydantic import ValidationError

from contracts.errors import ServiceError
from contracts.intake.directory import DirectoryKind
from contracts.intake.receptions import ReceptionIn
from contracts.vocabulary import Channel, Role
from gateway.deps import running_platform
from gateway.pages.core import FormErrors, Session, allowed_by, check_csrf, form_errors, render
from gateway.problems import Problem
from gateway.routers.opinions import enter_opinion
from gateway.routers.receptions import ReceptionReader, Station
from gateway.schemas import StaffOpinionIn

router = APIRouter(prefix="/console", include_in_schema=False)

RECEPTION_FIELDS = ("station_id", "starts_at", "ends_at", "deputy_ids", "theme", "place")
RECEPTION_STATES = {"draft": "草稿", "announced": "已公告", "held": "已举行", "cancelled": "已取消"}
# how an item came in, and the details each way asks for
ENTRY_CHANNELS = {
    Channel.STATION_VISIT: ("进站接待", ("station_id", "deputy_id", "reception_id")),
    Channel.VILLAGE_MEETING: ("座谈会", ("place", "held_on", "participants")),
    Channel.HOTLINE: ("热线电话", ("operator",)),
    Channel.MAILBOX: ("民情箱", ("box",)),
}
DETAIL_FIELDS = ("station_id", "deputy_id", "reception_id", "place", "held_on", "participants", "operator", "box")
ENTRY_FIELDS = ("channel", "content", "category", "contact_name", "contact_phone", *DETAIL_FIELDS)
# the API's field → the form's
ENTRY_NAMES = {
    **{name: name for name in ENTRY_FIELDS},
    **{f"details.{name}": name for name in DETAIL_FIELDS},
    "details.channel": "channel",
    "details": "channel",
    "contact": "contact_phone",
    "contact.phone": "contact_phone",
    "contact.name": "contact_name",
}


async def station_choices(request: Request, scope: str) -> dict:
    intake = running_platform(request).intake
    stations = (await intake.stations(scope, 100, None)).items
    deputies = (await intake.directory_entries(DirectoryKind.DEPUTY, scope, True, 200, None)).items
    return {"stations": stations, "deputies": deputies}


# ---- reception sessions


async def receptions_page(request: Request, actor, status_code=200, form=None, errors=None, created=None):
    intake = running_platform(request).intake
    sessions = (await intake.receptions(actor.scope, None, 50, None)).items
    return render(
        request,
        "console_station/receptions.html",
        status_code=status_code,
        sessions=sessions,
        states=RECEPTION_STATES,
        form=form or {"deputy_ids": []},
        errors=errors or FormErrors(),
        created=created,
        may_plan=actor.role in (Role.STATION, Role.ADMIN),
        **await station_choices(request, actor.scope),
    )


@router.get("/receptions")
async def receptions(request: Request, session: Session):
    return await receptions_page(request, await allowed_by(ReceptionReader, session))


@router.post("/receptions")
async def plan_reception(request: Request, session: Session):
    form = await request.form(max_files=0, max_fields=30)
    check_csrf(request, form)
    actor = await allowed_by(Station, session)
    typed = {name: str(form.get(name, "")).strip() for name in RECEPTION_FIELDS if name != "deputy_ids"}
    typed["deputy_ids"] = [value for value in form.getlist("deputy_ids") if isinstance(value, str)]
    body = {name: value for name, value in typed.items() if value not in ("", [])}
    try:
        created = await running_platform(request).intake.create_reception(ReceptionIn.model_validate(body), actor)
    except (ValidationError, Problem, ServiceError) as refusal:
        names = {name: name for name in RECEPTION_FIELDS} | {f"deputy_ids.{n}": "deputy_ids" for n in range(10)}
        errors = form_errors(refusal, names)
        return await receptions_page(request, actor, 422, typed, errors)
    return await receptions_page(request, actor, 201, created=created)


# ---- entering items from visits, meetings, the hotline and mailboxes


async def entry_page(request: Request, actor, status_code=200, form=None, errors=None, receipt=None):
    categories = (await running_platform(request).intake.categories(actor.scope)).names
    return render(
        request,
        "console_station/entry.html",
        status_code=status_code,
        channels=ENTRY_CHANNELS,
        categories=categories,
        form=form or {"channel": Channel.STATION_VISIT.value},
        errors=errors or FormErrors(),
        receipt=receipt,
        **await station_choices(request, actor.scope),
    )


@router.get("/entry")
async def entry(request: Request, session: Session):
    actor = await allowed_by(Station, session)
    return await entry_page(request, actor)


def entry_body(division: str, typed: dict) -> dict:
    """The API's body from the form: only the details of the chosen channel, empty fields left out."""
    chosen = ENTRY_CHANNELS.get(typed["channel"], ("", ()))[1]
    details = {"channel": typed["channel"] or None, **{name: typed[name] for name in chosen if typed[name]}}
    name, phone = typed["contact_name"], typed["contact_phone"]
    body = {"division": division, "content": typed["content"], "details": details}
    if typed["category"]:
        body["category"] = typed["category"]
    if name or phone:
        body["contact"] = {"name": name or None, "phone": phone}
    return body


@router.post("/entry")
async def enter(request: Request, session: Session):
    form = await request.form(max_files=0, max_fields=30)
    check_csrf(request, form)
    actor = await allowed_by(Station, session)
    typed = {name: str(form.get(name, "")).strip() for name in ENTRY_FIELDS}
    if typed["channel"] not in ENTRY_CHANNELS:
        errors = FormErrors(fields={"channel": "请从列表中选择"})
        return await entry_page(request, actor, 422, typed, errors)
    platform = running_platform(request)
    try:
        body = StaffOpinionIn.model_validate(entry_body(actor.scope, typed))
        receipt = await enter_opinion(body, actor, platform.intake, platform, request, Response())
    except (ValidationError, Problem, ServiceError) as refusal:
        return await entry_page(request, actor, 422, typed, form_errors(refusal, ENTRY_NAMES))
    return await entry_page(request, actor, 201, receipt=receipt)
