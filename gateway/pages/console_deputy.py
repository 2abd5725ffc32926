"""The deputy's console page: the items it received (its notification inbox, `deputy:<id>`), its
suggestions with their pre-review (联合预审) steps and comments, and the replies to its suggestions
waiting for its evaluation (满意度测评), evaluated as `POST /v1/cases/{id}/evaluation` does."""

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from contracts.case_finding import CaseQuery
from contracts.errors import ServiceError
from contracts.supervision import EvaluationIn
from contracts.vocabulary import CaseStatus, Channel
from gateway.deps import running_platform
from gateway.pages.core import Session, allowed_by, check_csrf, form_errors, render
from gateway.pages.portal_more import RATINGS
from gateway.problems import Problem
from gateway.routers.case_actions import DeputyOrAdmin
from gateway.routers.suggestions import SuggestionReader

router = APIRouter(prefix="/console/deputy", include_in_schema=False)

CaseId = Annotated[str, Path(max_length=20, pattern=r"^[0-9A-Za-z-]+$")]
SUGGESTION_STATES = {
    "drafted": "起草中",
    "under_review": "预审中",
    "returned": "退回修改",
    "accepted": "已立案",
    "merged": "已并案",
}


def signs(suggestion, deputy: str | None) -> bool:
    """A deputy user sees the suggestions it leads or co-signs; a deputy key naming no deputy, its scope's."""
    return deputy is None or deputy in {suggestion.lead_deputy.id, *(d.id for d in suggestion.co_signers)}


async def deputy_page(request: Request, session, status_code=200, errors=None, typed=None):
    actor = await allowed_by(SuggestionReader, session)
    platform = running_platform(request)
    received = []
    if actor.deputy:
        received = (await platform.notify.inbox(f"deputy:{actor.deputy}", actor.scope, 50, None)).items
    suggestions = [
        suggestion
        for suggestion in (await platform.intake.list_suggestions(actor.scope, None, 50, None)).items
        if signs(suggestion, actor.deputy)
    ]
    query = CaseQuery(status=[CaseStatus.REPLIED], channel=Channel.SESSION_SUGGESTION, limit=50)
    to_evaluate = (await platform.routing.find_cases(query, actor)).items
    return render(
        request,
        "console_deputy/deputy.html",
        status_code=status_code,
        received=received,
        suggestions=suggestions,
        states=SUGGESTION_STATES,
        to_evaluate=to_evaluate,
        ratings=RATINGS,
        errors=errors or {},
        typed=typed or {},
        done=request.query_params.get("done"),
    )


@router.get("")
async def deputy(request: Request, session: Session):
    return await deputy_page(request, session)


@router.post("/cases/{case_id}/evaluation")
async def evaluate(request: Request, session: Session, case_id: CaseId):
    form = await request.form(max_files=0, max_fields=10)
    check_csrf(request, form)
    actor = await allowed_by(DeputyOrAdmin, session)
    case_id = case_id.upper()
    typed = {name: str(form.get(name, "")).strip() for name in ("rating", "comment")}
    body = {"comment": typed["comment"] or None, **({"rating": typed["rating"]} if typed["rating"] else {})}
    try:
        await running_platform(request).supervision.evaluate_case(case_id, EvaluationIn.model_validate(body), actor)
    except (ValidationError, Problem, ServiceError) as refusal:
        errors = {case_id: form_errors(refusal, {"rating": "rating", "comment": "comment"})}
        return await deputy_page(request, session, 422, errors, {case_id: typed})
    return RedirectResponse(f"/console/deputy?done={case_id}", status_code=303)
