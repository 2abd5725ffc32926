"""One case's page in the console, with the actions the signed-in role may take on it.

The handling unit returns it with a reason (退回), records progress (办理进展) and meetings (三见面),
gives a co-handling opinion (协办意见) and asks for more time (申请延期); the station escalates it
(阶梯跟进) or merges it into another case (合并处置). Each action applies the API route's role rule
and input model and calls `routing.act_on_case` as `POST /v1/cases/{id}/<action>` does; a refusal
is shown beside the field it names, with what was typed kept.
"""

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from contracts.errors import ServiceError
from contracts.routing import (
    ActionIn,
    CoOpinionIn,
    EscalateIn,
    ExtensionRequestIn,
    MeetingIn,
    MeetingStage,
    MergeIn,
    ProgressIn,
    ReturnIn,
)
from contracts.vocabulary import Role
from gateway import deps
from gateway.deps import running_platform
from gateway.pages.core import FormErrors, PageProblem, Session, allowed_by, check_csrf, form_errors, render
from gateway.problems import Problem
from gateway.routers.case_actions import HandlerOrStation, Station

router = APIRouter(prefix="/console", include_in_schema=False)

CaseId = Annotated[str, Path(max_length=20, pattern=r"^[0-9A-Za-z-]+$")]
MEETING_STAGES = {MeetingStage.BEFORE: "办理前", MeetingStage.DURING: "办理中", MeetingStage.AFTER: "办理后"}


@dataclass(frozen=True)
class CaseAction:
    """An action of the case page: the API's input model and role rule, the form's fields, its title."""

    model: type[ActionIn]
    rule: object
    fields: tuple[str, ...]
    title: str
    roles: tuple[Role, ...]


ACTIONS = {
    "return": CaseAction(ReturnIn, deps.Handler, ("reason",), "退回", (Role.HANDLER,)),
    "record-progress": CaseAction(ProgressIn, deps.Handler, ("note",), "办理进展", (Role.HANDLER,)),
    "record-meeting": CaseAction(
        MeetingIn,
        deps.Handler,
        ("stage", "on", "form", "participants", "met", "met_name"),
        "三见面",
        (Role.HANDLER,),
    ),
    "co-opinion": CaseAction(CoOpinionIn, deps.Handler, ("text",), "协办意见", (Role.HANDLER,)),
    "request-extension": CaseAction(
        ExtensionRequestIn, deps.Handler, ("reason", "working_days"), "申请延期", (Role.HANDLER,)
    ),
    "escalate": CaseAction(EscalateIn, HandlerOrStation, ("reason",), "提交上级", (Role.STATION,)),
    "merge": CaseAction(MergeIn, Station, ("primary",), "合并处置", (Role.STATION,)),
}


def body_of(typed: dict[str, str]) -> dict:
    """The API's body from the form: participants one a line, empty fields left out."""
    body: dict = {name: value.strip() for name, value in typed.items() if value.strip()}
    if "participants" in body:
        body["participants"] = [line.strip() for line in body["participants"].splitlines() if line.strip()]
    return body


async def case_page(request: Request, session, case_id: str, status_code=200, action=None, errors=None, typed=None):
    actor = await allowed_by(deps.CaseReader, session)
    try:
        case = await running_platform(request).routing.case_detail(case_id, actor)
    except ServiceError as error:
        raise PageProblem(404, "未找到该事项", "事项不存在，或不在您的管辖范围内。") from error
    actions = {name: act for name, act in ACTIONS.items() if actor.role in act.roles}
    return render(
        request,
        "console_unit/case.html",
        status_code=status_code,
        case=case,
        actions=actions,
        stages=MEETING_STAGES,
        failed=action,
        errors=errors or FormErrors(),
        typed=typed or {},
        done=request.query_params.get("done"),
    )


@router.get("/cases/{case_id}")
async def case(request: Request, session: Session, case_id: CaseId):
    return await case_page(request, session, case_id.upper())


@router.post("/cases/{case_id}/{action}")
async def act(request: Request, session: Session, case_id: CaseId, action: Annotated[str, Path(max_length=30)]):
    if action not in ACTIONS:
        raise PageProblem(404, "页面不存在")
    case_id, chosen = case_id.upper(), ACTIONS[action]
    form = await request.form(max_files=0, max_fields=20)
    check_csrf(request, form)
    actor = await allowed_by(chosen.rule, session)
    typed = {name: str(form.get(name, "")) for name in chosen.fields}
    body = {**body_of(typed), "expected_version": form.get("expected_version") or None}
    try:
        command = chosen.model.model_validate(body)
        await running_platform(request).routing.act_on_case(case_id, action, command, actor)
    except (ValidationError, Problem, ServiceError) as refusal:
        names = {name: name for name in chosen.fields} | {f"participants.{n}": "participants" for n in range(30)}
        errors = form_errors(refusal, names)
        return await case_page(request, session, case_id, 422, action, errors, typed)
    return RedirectResponse(f"/console/cases/{case_id}?done={action}", status_code=303)
