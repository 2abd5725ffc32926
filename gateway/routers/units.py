"""Handling units, routing rules and county calendars: what routing assigns with (admin)."""

from fastapi import APIRouter

from contracts.routing import CalendarDayIn, RoutingRuleIn, UnitIn
from gateway.deps import Admin, Divisions, Routing, administered
from gateway.problems import problem_responses

router = APIRouter(prefix="/v1/admin", tags=["units and rules"])

ERRORS = problem_responses(401, 403, 422)


@router.post("/units", status_code=201, response_model=UnitIn, responses=ERRORS)
async def register_unit(body: UnitIn, principal: Admin, divisions: Divisions, routing: Routing) -> UnitIn:
    """A handling unit (承办单位), registered again under the same id to rename it."""
    await administered(principal, divisions, body.division)
    return await routing.register_unit(body)


@router.post("/routing-rules", status_code=201, response_model=RoutingRuleIn, responses=ERRORS)
async def add_routing_rule(body: RoutingRuleIn, principal: Admin, divisions: Divisions, routing: Routing):
    """Items of the division whose content has a keyword go to the rule's units; no keywords: the default."""
    await administered(principal, divisions, body.division)
    return await routing.add_rule(body)


@router.put("/calendar-days", response_model=CalendarDayIn, responses=ERRORS)
async def set_calendar_day(body: CalendarDayIn, principal: Admin, divisions: Divisions, routing: Routing):
    """A county's own working day or day off; deadlines set from then on count with it."""
    await administered(principal, divisions, body.division)
    return await routing.set_calendar_day(body)
