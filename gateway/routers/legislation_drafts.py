"""Drafts (法律法规草案) for consultation: an office publishes one (articles typed in, or its plain text
read into articles), its window opens and closes by itself in Beijing time, the office may close it
early, and a new version follows an old one. The public reads open drafts without a key."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from contracts.legislation.drafts import CloseDraftIn, DraftIn, DraftStatus, DraftSummary, DraftView
from contracts.vocabulary import DIVISION_CODE, Role
from gateway.deps import Cursor, Legislation, Limit, ScopedDivision, allowed
from gateway.paging import PAGED, items_with_next_link
from gateway.problems import problem_responses

router = APIRouter(prefix="/v1", tags=["legislation: drafts"])

Office = allowed(Role.LEGISLATIVE_OFFICE)
LegislationStaff = allowed(Role.LEGISLATIVE_OFFICE, Role.CONTACT_POINT, Role.INFO_OFFICER)
DraftId = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9_-]+$", examples=["01KAR2V7Q8M3XN5D4T6B9C0E1F"])]
DraftStatusFilter = Annotated[DraftStatus | None, Query(description="只看此状态 / only this state")]


@router.post(
    "/legislation/drafts", status_code=201, response_model=DraftView, responses=problem_responses(401, 403, 409, 422)
)
async def create_draft(body: DraftIn, principal: Office, legislation: Legislation) -> DraftView:
    """A draft of an office within the key's scope. A `text` whose numbering breaks is 422 with the
    line and the number expected in `state` (`{"line": 24, "expected": "第十二条", …}`); a second new
    version of one draft is 409."""
    return await legislation.create_draft(body, principal)


@router.get(
    "/legislation/drafts",
    response_model=list[DraftSummary],
    responses={**PAGED, **problem_responses(401, 403, 422)},
)
async def drafts(
    request: Request,
    response: Response,
    principal: LegislationStaff,
    division: ScopedDivision,
    legislation: Legislation,
    status: DraftStatusFilter = None,
    limit: Limit = 50,
    after: Cursor = None,
):
    """The drafts of the offices of a division and below, in every state, the latest window first."""
    return items_with_next_link(request, response, await legislation.drafts(division, status, limit, after))


@router.get("/legislation/drafts/{draft_id}", response_model=DraftView, responses=problem_responses(401, 403, 404))
async def draft(draft_id: DraftId, principal: LegislationStaff, legislation: Legislation) -> DraftView:
    """A draft in any state: for its office's keys, and for every contact point and officer (consulted on it)."""
    return await legislation.draft(draft_id, principal)


@router.get(
    "/legislation/drafts/{draft_id}/versions",
    response_model=list[DraftSummary],
    responses=problem_responses(401, 403, 404),
)
async def draft_versions(draft_id: DraftId, principal: LegislationStaff, legislation: Legislation):
    """Every version of the draft (征求意见稿, 一审稿…), the first first; each keeps its own comments."""
    return await legislation.draft_versions(draft_id, principal)


@router.post(
    "/legislation/drafts/{draft_id}/close",
    response_model=DraftView,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def close_draft(draft_id: DraftId, body: CloseDraftIn, principal: Office, legislation: Legislation) -> DraftView:
    """Closes an open consultation now (提前结束), with the reason; a draft not open is 409."""
    return await legislation.close_draft(draft_id, body, principal)


@router.get("/public/drafts", response_model=list[DraftSummary], responses={**PAGED, **problem_responses(422)})
async def public_drafts(
    request: Request,
    response: Response,
    legislation: Legislation,
    division: Annotated[
        str, Query(pattern=f"^$|{DIVISION_CODE.pattern}", description="只看此行政区划及以下 / this division and below")
    ] = "",
    limit: Limit = 50,
    after: Cursor = None,
):
    """Drafts open for comment now (正在征求意见), no key needed."""
    return items_with_next_link(request, response, await legislation.public_drafts(division, limit, after))


@router.get("/public/drafts/{draft_id}", response_model=DraftView, responses=problem_responses(404, 422))
async def public_draft(draft_id: DraftId, legislation: Legislation) -> DraftView:
    """An open or closed draft with its articles, no key needed; one not yet open is 404."""
    return await legislation.public_draft(draft_id)
