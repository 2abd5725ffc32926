"""Reception sessions of liaison stations (主题接待清单, 周二代表有约): a station plans and announces
them, the public sees the announced ones, staff see every one with the items it received."""

from typing import Annotated

from fastapi import APIRouter, Body, Path, Query, Request, Response

from contracts.intake.receptions import (
    AnnouncementIn,
    CancellationIn,
    HeldIn,
    PublicReceptionView,
    ReceptionDetail,
    ReceptionIn,
    ReceptionStatus,
    ReceptionView,
)
from contracts.vocabulary import ENTITY_ID, Role
from gateway.auth import require_scope
from gateway.deps import Cursor, DivisionParam, Intake, Limit, ScopedDivision, allowed
from gateway.paging import PAGED, items_with_next_link
from gateway.problems import problem_responses

router = APIRouter(prefix="/v1", tags=["receptions"])

Station = allowed(Role.STATION)
ReceptionReader = allowed(Role.STATION, Role.SUPERVISOR, Role.DEPUTY)
ReceptionId = Annotated[str, Path(max_length=64, pattern=ENTITY_ID.pattern, examples=["rcp-20261201-k3p9xt"])]
CHANGES = problem_responses(401, 403, 404, 409, 422)


@router.post(
    "/receptions", status_code=201, response_model=ReceptionView, responses=problem_responses(401, 403, 409, 422)
)
async def create_reception(body: ReceptionIn, principal: Station, intake: Intake) -> ReceptionView:
    """A station plans a session (a draft, not yet public): time in Beijing time, the station's
    deputies on duty, an optional theme and invited officials. The station must be within the key's
    scope; a second session of the station at the same start is 409 with the first in `state`."""
    return await intake.create_reception(body, principal)


@router.post("/receptions/{reception_id}/announce", response_model=ReceptionView, responses=CHANGES)
async def announce_reception(
    reception_id: ReceptionId, principal: Station, intake: Intake, body: Annotated[AnnouncementIn | None, Body()] = None
) -> ReceptionView:
    """公告: the session becomes public, and the time of the announcement is recorded. Less than 7
    days before the session's day (Beijing dates; 提前一周向社会公告) it needs a `reason`."""
    return await intake.announce_reception(reception_id, body or AnnouncementIn(), principal)


@router.post("/receptions/{reception_id}/hold", response_model=ReceptionView, responses=CHANGES)
async def hold_reception(
    reception_id: ReceptionId, principal: Station, intake: Intake, body: Annotated[HeldIn | None, Body()] = None
) -> ReceptionView:
    """The announced session took place (not before its start), with the number of visitors if known."""
    return await intake.hold_reception(reception_id, body or HeldIn(), principal)


@router.post("/receptions/{reception_id}/cancel", response_model=ReceptionView, responses=CHANGES)
async def cancel_reception(
    reception_id: ReceptionId, body: CancellationIn, principal: Station, intake: Intake
) -> ReceptionView:
    """A draft or announced session is called off, with the reason (shown on the public notice)."""
    return await intake.cancel_reception(reception_id, body, principal)


@router.get("/receptions", response_model=list[ReceptionView], responses={**PAGED, **problem_responses(401, 403, 422)})
async def receptions(
    request: Request,
    response: Response,
    principal: ReceptionReader,
    division: ScopedDivision,
    intake: Intake,
    status: Annotated[ReceptionStatus | None, Query(description="只看此状态 / only this state")] = None,
    limit: Limit = 100,
    after: Cursor = None,
):
    """Every session of the division's stations and below, in every state, latest first."""
    return items_with_next_link(request, response, await intake.receptions(division, status, limit, after))


@router.get("/receptions/{reception_id}", response_model=ReceptionDetail, responses=problem_responses(401, 403, 404))
async def reception(reception_id: ReceptionId, principal: ReceptionReader, intake: Intake) -> ReceptionDetail:
    """One session with the items received at it (tracking code, case number, content, status; never a contact)."""
    detail = await intake.reception(reception_id)
    require_scope(principal, detail.division)
    return detail


@router.get(
    "/public/receptions",
    response_model=list[PublicReceptionView],
    responses={**PAGED, **problem_responses(422)},
)
async def public_receptions(
    request: Request,
    response: Response,
    division: DivisionParam,
    intake: Intake,
    limit: Limit = 100,
    after: Cursor = None,
):
    """接待公告 (no key needed): the announced sessions of a division's stations and below, from a
    month back onwards in time order, with the deputies on duty, the theme and the invited officials."""
    return items_with_next_link(request, response, await intake.public_receptions(division, limit, after))
