"""Handling units, routing rules, deadline policies and county calendars (admin), the manual triage
queue and late assignments (stations and supervisors).

Units' contact people are staff data: only administrators' answers carry them; the queue names
units only by id and name. An id outside the key's scope answers 404, as if it did not exist.
"""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from contracts.routing import (
    CalendarDayIn,
    DivisionDeadlinesIn,
    LateAssignment,
    RoutingRuleIn,
    RuleView,
    TriageQueueEntry,
    UnitChangeIn,
    UnitIn,
    UnitView,
)
from contracts.vocabulary import ENTITY_ID, Role
from gateway.deps import Admin, Cursor, Divisions, Limit, Routing, ScopedDivision, administered, allowed
from gateway.paging import PAGED, items_with_next_link
from gateway.problems import problem_responses

router = APIRouter(tags=["units and rules"])

ERRORS = problem_responses(401, 403, 422)
BY_ID = problem_responses(401, 403, 404, 422)
Triager = allowed(Role.STATION, Role.SUPERVISOR)
UnitId = Annotated[str, Path(max_length=64, pattern=ENTITY_ID.pattern, examples=["hn-transport"])]
RuleId = Annotated[str, Path(max_length=40, pattern=r"^[0-9A-Za-z]+$", examples=["01KMX7Q1ZJ4D0YV6R8T2N5B3CA"])]
IncludeInactive = Annotated[bool, Query(description="含已停用单位 / include deactivated units")]


@router.post("/v1/admin/units", status_code=201, response_model=UnitView, responses=ERRORS)
async def register_unit(body: UnitIn, principal: Admin, divisions: Divisions, routing: Routing) -> UnitView:
    """A handling unit (承办单位) with its parent unit and contact people; registered again under
    the same id to rename it or change them (its division stays)."""
    await administered(principal, divisions, body.division)
    return await routing.register_unit(body)


@router.get("/v1/admin/units", response_model=list[UnitView], responses=ERRORS)
async def list_units(
    principal: Admin, division: ScopedDivision, routing: Routing, include_inactive: IncludeInactive = False
) -> list[UnitView]:
    """The units of the division and below, with their contacts (staff data)."""
    return await routing.list_units(division, include_inactive)


@router.put("/v1/admin/units/{unit_id}", response_model=UnitView, responses=BY_ID)
async def update_unit(unit_id: UnitId, body: UnitChangeIn, principal: Admin, routing: Routing) -> UnitView:
    """A unit's new name, parent unit and contacts (the contacts given replace the old ones)."""
    return await routing.update_unit(unit_id, body, principal)


@router.post("/v1/admin/units/{unit_id}/deactivate", response_model=UnitView, responses=BY_ID)
async def deactivate_unit(unit_id: UnitId, principal: Admin, routing: Routing) -> UnitView:
    """停用: the unit keeps its cases but gets no new ones; rules naming it stop matching."""
    return await routing.deactivate_unit(unit_id, principal)


@router.post("/v1/admin/routing-rules", status_code=201, response_model=RuleView, responses=ERRORS)
async def add_routing_rule(body: RoutingRuleIn, principal: Admin, divisions: Divisions, routing: Routing):
    """A rule of the division: its conditions (category, keywords, area, channel), the triage level,
    the units and the deadline policy. A missing, deactivated or other division's unit is refused."""
    await administered(principal, divisions, body.division)
    return await routing.add_rule(body)


@router.get("/v1/admin/routing-rules", response_model=list[RuleView], responses=ERRORS)
async def list_routing_rules(principal: Admin, division: ScopedDivision, routing: Routing) -> list[RuleView]:
    """The rules of the division and below, by division then priority."""
    return await routing.list_rules(division)


@router.put("/v1/admin/routing-rules/{rule_id}", response_model=RuleView, responses=BY_ID)
async def update_routing_rule(
    rule_id: RuleId, body: RoutingRuleIn, principal: Admin, divisions: Divisions, routing: Routing
) -> RuleView:
    """The rule replaced by the one given (same division), checked like a new one."""
    await administered(principal, divisions, body.division)
    return await routing.update_rule(rule_id, body, principal)


@router.delete("/v1/admin/routing-rules/{rule_id}", response_model=RuleView, responses=BY_ID)
async def delete_routing_rule(rule_id: RuleId, principal: Admin, routing: Routing) -> RuleView:
    """The rule removed; cases it triaged keep their history. Answers the rule as it was."""
    return await routing.delete_rule(rule_id, principal)


@router.put("/v1/admin/deadline-policies", response_model=DivisionDeadlinesIn, responses=ERRORS)
async def set_deadline_policies(
    body: DivisionDeadlinesIn, principal: Admin, divisions: Divisions, routing: Routing
) -> DivisionDeadlinesIn:
    """The division's deadlines (and those below it that set none): citizen items and deputy
    suggestions; a rule's own policy still wins."""
    await administered(principal, divisions, body.division)
    return await routing.set_deadline_policies(body)


@router.get("/v1/admin/deadline-policies", response_model=DivisionDeadlinesIn, responses=ERRORS)
async def deadline_policies(principal: Admin, division: ScopedDivision, routing: Routing) -> DivisionDeadlinesIn:
    """The policies in force for the division: its own, the nearest above it, or the defaults."""
    return await routing.deadline_policies(division)


@router.put("/v1/admin/calendar-days", response_model=CalendarDayIn, responses=ERRORS)
async def set_calendar_day(body: CalendarDayIn, principal: Admin, divisions: Divisions, routing: Routing):
    """A county's own working day or day off; deadlines set from then on count with it."""
    await administered(principal, divisions, body.division)
    return await routing.set_calendar_day(body)


@router.get(
    "/v1/triage-queue", response_model=list[TriageQueueEntry], responses={**PAGED, **problem_responses(401, 403, 422)}
)
async def triage_queue(
    request: Request,
    response: Response,
    principal: Triager,
    division: ScopedDivision,
    routing: Routing,
    limit: Limit = 100,
    after: Cursor = None,
):
    """人工分办: cases of the division and below waiting for a person, the longest waiting first —
    no rule matched, returned, escalated into it (阶梯跟进), or waiting for a joint meeting — each
    unmatched one with the three units most likely to handle it and why (the shared terms)."""
    return items_with_next_link(request, response, await routing.triage_queue(division, limit, after))


@router.get("/v1/late-assignments", response_model=list[LateAssignment], responses=ERRORS)
async def late_assignments(
    principal: Triager, division: ScopedDivision, routing: Routing, limit: Limit = 100
) -> list[LateAssignment]:
    """Cases assigned more than one working day after receipt, or still waiting past it (桂林: 1 个
    工作日内交办), newest first."""
    return await routing.late_assignments(division, limit)
