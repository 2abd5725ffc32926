"""The station's further triage from the queue: merging a group of near-duplicates into one case
(合并处置), escalating (提交上级), closing (办结销号), consulting the intended units (征求意见) and
recording the joint meeting of a joint case (约请共商会).

A group is merged as `POST /v1/opinion-groups/{id}/merge` does, through intake, so that the group
keeps its primary and every submitter follows the primary's outcome (routing merges each member's
case from intake's `opinion.merged`); merging one case by hand stays on the case page. The other
actions are `STATION_ACTIONS`, one handler for all: each applies its API route's role rule and
input model and calls `routing.act_on_case` as `POST /v1/cases/{id}/<action>` does. A refusal
re-renders the triage page with the error beside its field and what was typed kept.
"""

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from contracts.errors import ServiceError
from contracts.intake.grouping import GROUP_ID_PATTERN, MergeGroupIn
from gateway.deps import running_platform
from gateway.pages.console import CaseId, act_from_form, back_to, triage_page
from gateway.pages.core import PageProblem, Session, allowed_by, check_csrf, form_errors
from gateway.pages.station_triage import STATION_ACTIONS
from gateway.problems import Problem
from gateway.routers.grouping import GroupKeeper

router = APIRouter(prefix="/console/triage", include_in_schema=False)

GroupId = Annotated[str, Path(pattern=GROUP_ID_PATTERN)]


@router.post("/groups/{group_id}/merge")
async def merge_group(request: Request, session: Session, group_id: GroupId):
    form = await request.form(max_files=0, max_fields=20)
    check_csrf(request, form)
    actor = await allowed_by(GroupKeeper, session)
    typed = {"primary": str(form.get("primary", "")).strip()}
    body = {
        **({"primary": typed["primary"]} if typed["primary"] else {}),
        "expected_version": form.get("expected_version") or None,
    }
    try:
        merged = await running_platform(request).intake.merge_group(group_id, MergeGroupIn.model_validate(body), actor)
    except (ValidationError, Problem, ServiceError) as refusal:
        errors = form_errors(refusal, {"primary": "primary"})
        division = request.query_params.get("division")
        return await triage_page(request, session, division, {group_id: errors}, {group_id: typed}, 422)
    back = back_to(str(form.get("back", "")), "/console/triage", merged.primary or typed["primary"])
    return RedirectResponse(back, status_code=303)


@router.post("/cases/{case_id}/{action}")
async def act(request: Request, session: Session, case_id: CaseId, action: Annotated[str, Path(max_length=30)]):
    if action not in STATION_ACTIONS:
        raise PageProblem(404, "页面不存在")
    case_id, chosen = case_id.upper(), STATION_ACTIONS[action]
    attempt = await act_from_form(request, session, case_id, action, chosen.model, chosen.fields, chosen.rule)
    if not attempt.errors:
        return RedirectResponse(back_to(attempt.back, "/console/triage", case_id), status_code=303)
    typed = {case_id: {**attempt.typed, "action": action}}
    division = request.query_params.get("division")
    return await triage_page(request, session, division, {case_id: attempt.errors}, typed, 422)
