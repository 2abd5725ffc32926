"""Cases, within the key's scope: the list, and the actions of the units that handle them."""

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from contracts.routing import AcceptCaseIn, CaseView
from gateway.deps import CaseReader, Cursor, Handler, Limit, Routing, ScopedDivision
from gateway.paging import PAGED, items_with_next_link
from gateway.problems import problem_responses

router = APIRouter(prefix="/v1/cases", tags=["cases"])

CaseId = Annotated[str, Path(max_length=20, examples=["7K3P-9XTA-2MQD"])]


@router.get("", response_model=list[CaseView], responses={**PAGED, **problem_responses(401, 403, 422)})
async def list_cases(
    request: Request,
    response: Response,
    principal: CaseReader,
    division: ScopedDivision,
    routing: Routing,
    limit: Limit = 100,
    after: Cursor = None,
):
    """Cases of the division and below, newest first."""
    return items_with_next_link(request, response, await routing.list_cases(division, limit, after))


@router.post(
    "/{case_id}/accept",
    response_model=CaseView,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def accept_case(case_id: CaseId, body: AcceptCaseIn, principal: Handler, routing: Routing) -> CaseView:
    """签收: the case's lead unit signs for it. The key must act for that unit.

    With `expected_version`, the action applies only to that version of the case; otherwise, or
    when another change wins the race, the answer is 409 with the case's current state.
    """
    return await routing.accept_case(case_id.upper(), body, principal)
