"""The staff console's first pages: the station's triage queue (assign, answer on the spot), the
handling unit's inbox (sign, reply), the notification inbox, and the administrator's users.

Each page applies the API route's own role rule (`allowed_by` with the router's alias) and scope
check to the signed-in user's `Actor`, and calls the same service client with it.
"""

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from contracts.case_finding import CaseQuery
from contracts.errors import ServiceError
from contracts.routing import AcceptCaseIn, AssignIn, ReplyIn, SpotAnswerIn
from contracts.vocabulary import DIVISION_CODE, CaseStatus, Role
from gateway import deps
from gateway.deps import running_platform
from gateway.pages.core import FormErrors, Session, allowed_by, check_csrf, form_errors, in_scope, render
from gateway.pages.station_triage import STATION_ACTIONS, queue_groups
from gateway.problems import Problem
from gateway.routers.case_actions import Station
from gateway.routers.staff_users import NOT_STAFF, StaffUserIn, create_user
from gateway.routers.units import Triager

router = APIRouter(prefix="/console", include_in_schema=False)

CaseId = Annotated[str, Path(max_length=20, pattern=r"^[0-9A-Za-z-]+$")]
DivisionQuery = Annotated[str | None, Query(pattern=DIVISION_CODE.pattern)]
INBOX_STATUSES = [CaseStatus.ASSIGNED, CaseStatus.ACCEPTED, CaseStatus.REOPENED]
STAFF_ROLES = [role for role in Role if role not in NOT_STAFF]


@router.get("")
async def dashboard(request: Request, session: Session):
    return render(request, "console/dashboard.html", role=session.actor.role.value)


# ---- the station: 人工分办


async def triage_page(request: Request, session, division: str | None, errors=None, typed=None, status_code=200):
    actor = await allowed_by(Triager, session)
    division = division or actor.scope
    in_scope(actor, division)
    routing = running_platform(request).routing
    queue = (await routing.triage_queue(division, 50, None)).items
    units = await routing.list_units(division[:6], False)
    groups = await queue_groups(running_platform(request).intake, division, queue)
    return render(
        request,
        "console/triage.html",
        status_code=status_code,
        division=division,
        queue=queue,
        units=units,
        groups=groups,
        station_actions=STATION_ACTIONS,
        may_act=actor.role in (Role.STATION, Role.ADMIN),
        errors=errors or {},
        typed=typed or {},
        done=request.query_params.get("done"),
    )


@router.get("/triage")
async def triage(request: Request, session: Session, division: DivisionQuery = None):
    return await triage_page(request, session, division)


@dataclass
class Attempt:
    """A case action tried from a form: `errors` empty when it was done; what was typed, to show again."""

    errors: FormErrors
    typed: dict
    back: str


async def act_from_form(request: Request, session, case_id: str, action: str, model, fields: tuple, rule) -> Attempt:
    """Runs a case action from a form, with the API's role rule and input model, through the same client."""
    form = await request.form(max_files=0, max_fields=20)
    check_csrf(request, form)
    actor = await allowed_by(rule, session)
    typed = {name: form.getlist(name) if name in ("co_units", "units") else str(form.get(name, "")) for name in fields}
    body = {name: value for name, value in typed.items() if value not in ("", [])}
    body["expected_version"] = form.get("expected_version") or None
    routing = running_platform(request).routing
    errors = FormErrors()
    try:
        command = model.model_validate(body)
        if action == "accept":
            await routing.accept_case(case_id, command, actor)
        else:
            await routing.act_on_case(case_id, action, command, actor)
    except (ValidationError, Problem, ServiceError) as refusal:
        errors = form_errors(refusal, {name: name for name in fields})
    return Attempt(errors, typed, str(form.get("back", "")))


def back_to(target: str, default: str, case_id: str) -> str:
    path = target if target.startswith("/console/") and not target.startswith("//") else default
    return f"{path}{'&' if '?' in path else '?'}done={case_id}"


@router.post("/cases/{case_id}/assign")
async def assign(request: Request, session: Session, case_id: CaseId):
    return await triage_action(request, session, case_id.upper(), "assign", AssignIn, ("lead_unit", "co_units"))


@router.post("/cases/{case_id}/answer-on-the-spot")
async def answer_on_the_spot(request: Request, session: Session, case_id: CaseId):
    fields = ("text", "result_class")
    return await triage_action(request, session, case_id.upper(), "answer-on-the-spot", SpotAnswerIn, fields)


async def triage_action(request, session, case_id, action, model, fields):
    attempt = await act_from_form(request, session, case_id, action, model, fields, Station)
    if not attempt.errors:
        return RedirectResponse(back_to(attempt.back, "/console/triage", case_id), status_code=303)
    typed = {case_id: {**attempt.typed, "action": action}}
    division = request.query_params.get("division")
    return await triage_page(request, session, division, {case_id: attempt.errors}, typed, 422)


# ---- the handling unit: 签收 and 答复


async def inbox_page(request: Request, session, errors=None, typed=None, status_code=200):
    actor = await allowed_by(deps.Handler, session)
    routing = running_platform(request).routing
    query = CaseQuery(unit=actor.unit, status=INBOX_STATUSES, limit=50)
    cases = (await routing.find_cases(query, actor)).items
    schemes = {}
    for case in cases:
        if case.division not in schemes:
            schemes[case.division] = (await routing.result_scheme(case.division)).classes
    return render(
        request,
        "console/inbox.html",
        status_code=status_code,
        cases=cases,
        schemes=schemes,
        errors=errors or {},
        typed=typed or {},
        done=request.query_params.get("done"),
    )


@router.get("/cases")
async def inbox(request: Request, session: Session):
    return await inbox_page(request, session)


async def unit_action(request, session, case_id, action, model, fields):
    case_id = case_id.upper()
    attempt = await act_from_form(request, session, case_id, action, model, fields, deps.Handler)
    if not attempt.errors:
        return RedirectResponse(back_to("/console/cases", "/console/cases", case_id), status_code=303)
    typed = {case_id: {**attempt.typed, "action": action}}
    return await inbox_page(request, session, {case_id: attempt.errors}, typed, 422)


@router.post("/cases/{case_id}/accept")
async def accept(request: Request, session: Session, case_id: CaseId):
    return await unit_action(request, session, case_id, "accept", AcceptCaseIn, ())


@router.post("/cases/{case_id}/reply")
async def reply(request: Request, session: Session, case_id: CaseId):
    return await unit_action(request, session, case_id, "reply", ReplyIn, ("text", "result_class"))


# ---- everyone: the notification inbox


def recipient_of(actor) -> str | None:
    """Whose inbox a user reads: its unit's, or its station's or supervisors' office's of its scope."""
    if actor.role is Role.HANDLER and actor.unit:
        return f"unit:{actor.unit}"
    if actor.role is Role.STATION and actor.scope:
        return f"station:{actor.scope}"
    if actor.role is Role.SUPERVISOR and actor.scope:
        return f"supervisor:{actor.scope[:6]}"  # the county's people's congress supervises
    return None


@router.get("/notifications")
async def notifications(request: Request, session: Session):
    actor = await allowed_by(deps.CaseReader, session)
    recipient = recipient_of(actor)
    notices = []
    if recipient:
        notices = (await running_platform(request).notify.inbox(recipient, actor.scope, 50, None)).items
    return render(request, "console/notifications.html", recipient=recipient, notices=notices)


# ---- the administrator: users


@router.get("/users")
async def users_page(request: Request, session: Session):
    await allowed_by(deps.Admin, session)
    return render(request, "console/users.html", roles=STAFF_ROLES, form={}, errors=FormErrors(), created=None)


@router.post("/users")
async def create_user_from_form(request: Request, session: Session):
    form = await request.form(max_files=0, max_fields=20)
    check_csrf(request, form)
    actor = await allowed_by(deps.Admin, session)
    typed = {name: str(form.get(name, "")).strip() for name in ("username", "role", "scope", "label", "unit")}
    platform = running_platform(request)
    try:
        body = StaffUserIn.model_validate({key: value for key, value in typed.items() if value})
        created = await create_user(
            body, actor, platform.divisions, platform.staff_users, platform.routing, platform.intake
        )
    except (ValidationError, Problem, ServiceError) as refusal:
        errors = form_errors(refusal, {name: name for name in typed})
        return render(request, "console/users.html", 422, roles=STAFF_ROLES, form=typed, errors=errors, created=None)
    return render(request, "console/users.html", 201, roles=STAFF_ROLES, form={}, errors=FormErrors(), created=created)
