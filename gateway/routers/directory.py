"""The directory of where items come from: liaison stations and the deputies who receive there."""

from fastapi import APIRouter, Request, Response

from contracts.intake.directory import DeputyIn, StationIn, StationView
from gateway.deps import Admin, Cursor, DivisionParam, Divisions, Intake, Limit, administered
from gateway.paging import PAGED, items_with_next_link
from gateway.problems import problem_responses

router = APIRouter(prefix="/v1", tags=["directory"])

ERRORS = problem_responses(401, 403, 422)


@router.post("/admin/stations", status_code=201, response_model=StationIn, responses=ERRORS)
async def register_station(body: StationIn, principal: Admin, divisions: Divisions, intake: Intake) -> StationIn:
    """A deputies' liaison station (代表联络站) or a township presidium office."""
    await administered(principal, divisions, body.division)
    return await intake.register_station(body)


@router.post("/admin/deputies", status_code=201, response_model=DeputyIn, responses=ERRORS)
async def register_deputy(body: DeputyIn, principal: Admin, divisions: Divisions, intake: Intake) -> DeputyIn:
    """A deputy and the station where they receive citizens."""
    await administered(principal, divisions, body.division)
    return await intake.register_deputy(body)


@router.get("/public/stations", response_model=list[StationView], responses={**PAGED, **problem_responses(422)})
async def stations(
    request: Request,
    response: Response,
    division: DivisionParam,
    intake: Intake,
    limit: Limit = 100,
    after: Cursor = None,
):
    """Liaison stations of a division and below, with the deputies who receive there (no key needed)."""
    return items_with_next_link(request, response, await intake.stations(division, limit, after))
