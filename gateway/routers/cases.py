"""Cases, within the key's scope: finding them, the whole case, and the actions of the units that handle them."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from contracts.case_finding import CaseDetail, CaseFilters, CaseQuery
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
    filters: Annotated[CaseFilters, Query()],
    routing: Routing,
    limit: Limit = 100,
    after: Cursor = None,
):
    """Cases of the division and below, newest first, narrowed by every filter given.

    A unit's key (办理单位) sees only the cases its unit leads or co-handles; any other key, the
    cases of its division scope. `status` may be repeated (any of them); `overdue=true` means still
    open (assigned, accepted, reopened) past the due date, today in Asia/Shanghai; `extension=pending`
    means a unit's extension request awaits a supervisor's decision (延期审批); `text` is found
    literally in the content. The next page is in the `Link` header; the cursor stays valid while
    new cases arrive.
    """
    # the bootstrap administrator's scope is "", every division
    query = CaseQuery(**filters.model_dump(), division=division or None, limit=limit, after=after)
    return items_with_next_link(request, response, await routing.find_cases(query, principal))


@router.get("/{case_id}", response_model=CaseDetail, responses=problem_responses(401, 403, 404, 422))
async def case_detail(case_id: CaseId, principal: CaseReader, routing: Routing) -> CaseDetail:
    """The whole case with its history. Outside the key's scope (or, for a unit's key, not its
    unit's case) it is 404, as if it did not exist, so case numbers cannot be probed."""
    return await routing.case_detail(case_id.upper(), principal)


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
