"""Formal deputy suggestions (代表建议) and their pre-review (联合预审).

Who may do what (the service checks the same, and scope, again):
- file, edit, submit: the lead deputy's side, a DEPUTY key whose scope covers the lead deputy's
  division (deputy keys name no deputy, so the filing names the lead deputy) or an ADMIN key;
- return, merge, accept: the congress office (人大常委会 代表工委 / 选联工委), SUPERVISOR or ADMIN keys;
- read: deputies and the congress office.
A suggestion outside a key's scope answers 404, as if it did not exist.
"""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from contracts.intake.suggestions import (
    EditSuggestionIn,
    FileSuggestionIn,
    MergeSuggestionsIn,
    ReturnSuggestionIn,
    SuggestionActionIn,
    SuggestionStatus,
    SuggestionView,
)
from contracts.vocabulary import Role
from gateway.auth import require_scope
from gateway.deps import Cursor, Intake, Limit, ScopedDivision, allowed
from gateway.paging import PAGED, items_with_next_link
from gateway.problems import problem_responses

router = APIRouter(prefix="/v1/suggestions", tags=["suggestions"])

LeadDeputy = allowed(Role.DEPUTY)
Reviewer = allowed(Role.SUPERVISOR)
SuggestionReader = allowed(Role.DEPUTY, Role.SUPERVISOR)
SuggestionId = Annotated[
    str,
    Path(pattern=r"^[Jj][Yy](-[0-9A-Za-z]{4}){3}$", examples=["JY-7K3P-9XTA-2MQD"]),
]
ACTION = problem_responses(401, 403, 404, 409, 422)


@router.post("", status_code=201, response_model=SuggestionView, responses=problem_responses(401, 403, 422))
async def file_suggestion(body: FileSuggestionIn, principal: LeadDeputy, intake: Intake) -> SuggestionView:
    """领衔代表提出建议: stored as a draft (`drafted`) with its number in the session (建议第 N 号).

    The key must be a deputy key whose scope covers the lead deputy's division (or an admin key);
    the lead deputy and every co-signer must be active deputies elected within `division`.
    """
    require_scope(principal, body.division)
    return await intake.file_suggestion(body, principal)


@router.get("", response_model=list[SuggestionView], responses={**PAGED, **problem_responses(401, 403, 422)})
async def list_suggestions(
    request: Request,
    response: Response,
    principal: SuggestionReader,
    division: ScopedDivision,
    intake: Intake,
    status: Annotated[SuggestionStatus | None, Query(description="只列此状态的 / only in this status")] = None,
    limit: Limit = 100,
    after: Cursor = None,
):
    """Suggestions of the division and below, newest first; `status=under_review` is the reviewers' queue."""
    return items_with_next_link(request, response, await intake.list_suggestions(division, status, limit, after))


@router.get("/{suggestion_id}", response_model=SuggestionView, responses=problem_responses(401, 403, 404, 422))
async def suggestion(suggestion_id: SuggestionId, principal: SuggestionReader, intake: Intake) -> SuggestionView:
    """One suggestion with its deputies, comments and every move of its pre-review."""
    return await intake.suggestion(suggestion_id.upper(), principal)


@router.put("/{suggestion_id}", response_model=SuggestionView, responses=ACTION)
async def edit_suggestion(
    suggestion_id: SuggestionId, body: EditSuggestionIn, principal: LeadDeputy, intake: Intake
) -> SuggestionView:
    """领衔代表修改: the title, text and co-signers (all of them), while drafted or returned."""
    return await intake.edit_suggestion(suggestion_id.upper(), body, principal)


@router.post("/{suggestion_id}/submit", response_model=SuggestionView, responses=ACTION)
async def submit_suggestion(
    suggestion_id: SuggestionId, body: SuggestionActionIn, principal: LeadDeputy, intake: Intake
) -> SuggestionView:
    """提交预审: a draft, or a returned suggestion after its edits, goes to the reviewers (`under_review`)."""
    return await intake.submit_suggestion(suggestion_id.upper(), body, principal)


@router.post("/{suggestion_id}/return", response_model=SuggestionView, responses=ACTION)
async def return_suggestion(
    suggestion_id: SuggestionId, body: ReturnSuggestionIn, principal: Reviewer, intake: Intake
) -> SuggestionView:
    """退回修改: back to the lead deputy with the reviewers' comment (`returned`)."""
    return await intake.return_suggestion(suggestion_id.upper(), body, principal)


@router.post("/{suggestion_id}/accept", response_model=SuggestionView, responses=ACTION)
async def accept_suggestion(
    suggestion_id: SuggestionId, body: SuggestionActionIn, principal: Reviewer, intake: Intake
) -> SuggestionView:
    """立案: pre-review accepts it; routing opens its case, due three months from assignment.

    With `expected_version`, the action applies only to that version; otherwise, or when another
    change wins the race, the answer is 409 with the suggestion's current state.
    """
    return await intake.accept_suggestion(suggestion_id.upper(), body, principal)


@router.post("/{suggestion_id}/merge", response_model=SuggestionView, responses=ACTION)
async def merge_suggestions(
    suggestion_id: SuggestionId, body: MergeSuggestionsIn, principal: Reviewer, intake: Intake
) -> SuggestionView:
    """并案: this suggestion (under review) absorbs those in `absorb` (same division and session, under
    review or returned). It keeps every deputy of all of them; the absorbed ones show `merged_into`."""
    return await intake.merge_suggestions(suggestion_id.upper(), body, principal)
