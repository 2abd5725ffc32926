"""Supervision (督办): deadlines of the cases in the key's scope."""

from fastapi import APIRouter, Request, Response

from contracts.supervision import DeadlineView
from gateway.deps import Cursor, Limit, ScopedDivision, Supervision, Supervisor
from gateway.paging import PAGED, items_with_next_link
from gateway.problems import problem_responses

router = APIRouter(prefix="/v1/supervision", tags=["supervision"])


@router.get("/deadlines", response_model=list[DeadlineView], responses={**PAGED, **problem_responses(401, 403, 422)})
async def deadlines(
    request: Request,
    response: Response,
    principal: Supervisor,
    division: ScopedDivision,
    supervision: Supervision,
    overdue: bool = False,
    limit: Limit = 100,
    after: Cursor = None,
):
    """Assigned cases by due date, soonest first; `overdue=true` keeps those open past it."""
    page = await supervision.deadlines(division, overdue, limit, after)
    return items_with_next_link(request, response, page)
