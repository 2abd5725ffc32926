"""The legislative directory: offices (法工委), contact points (基层立法联系点) with their partners for
regional collaboration (区域协同), liaison and information officers, information-collection points.

Administrators register offices; administrators and offices register points; a point's own key (and
offices, administrators) keeps its partners, officers and collection points. Every legislation staff
key reads the directory within its scope, and any point by id (partners lie in other provinces).
"""

from typing import Annotated

from fastapi import APIRouter, Path

from contracts.legislation.directory import (
    CollectionPointIn,
    CollectionPointView,
    ContactPointIn,
    ContactPointView,
    DirectoryView,
    OfficeIn,
    OfficerIn,
    OfficerView,
    OfficeView,
    PartnersIn,
)
from contracts.vocabulary import ENTITY_ID, Role
from gateway.auth import require_scope
from gateway.deps import Admin, Legislation, ScopedDivision, allowed
from gateway.problems import problem_responses

router = APIRouter(prefix="/v1/legislation", tags=["legislation: directory"])

PointRegistrar = allowed(Role.LEGISLATIVE_OFFICE)
PointKeeper = allowed(Role.LEGISLATIVE_OFFICE, Role.CONTACT_POINT)
LegislationStaff = allowed(Role.LEGISLATIVE_OFFICE, Role.CONTACT_POINT, Role.INFO_OFFICER)
PointId = Annotated[str, Path(max_length=64, pattern=ENTITY_ID.pattern, examples=["sanjiang"])]
CREATED = problem_responses(401, 403, 409, 422)


@router.post("/offices", status_code=201, response_model=OfficeView, responses=CREATED)
async def register_office(body: OfficeIn, principal: Admin, legislation: Legislation) -> OfficeView:
    """A legislative office at its level, in a division within the key's scope; an id in use is 409."""
    require_scope(principal, body.division)
    return await legislation.register_office(body)


@router.post("/points", status_code=201, response_model=ContactPointView, responses=CREATED)
async def register_point(body: ContactPointIn, principal: PointRegistrar, legislation: Legislation) -> ContactPointView:
    """A contact point in a division within the key's scope, with any partners (known points elsewhere)."""
    require_scope(principal, body.division)
    return await legislation.register_point(body)


@router.put(
    "/points/{point_id}/partners", response_model=ContactPointView, responses=problem_responses(401, 403, 404, 422)
)
async def set_partners(
    point_id: PointId, body: PartnersIn, principal: PointKeeper, legislation: Legislation
) -> ContactPointView:
    """The points this one may forward tasks to, all of them (the list replaces the old one). A point
    outside the key's scope is 404; an unknown partner, or the point itself, is 422."""
    return await legislation.set_partners(point_id, body, principal)


@router.get("/points/{point_id}", response_model=ContactPointView, responses=problem_responses(401, 403, 404))
async def contact_point(point_id: PointId, principal: LegislationStaff, legislation: Legislation) -> ContactPointView:
    return await legislation.contact_point(point_id)


@router.post("/officers", status_code=201, response_model=OfficerView, responses={**CREATED, **problem_responses(404)})
async def register_officer(body: OfficerIn, principal: PointKeeper, legislation: Legislation) -> OfficerView:
    """A liaison officer (立法联络员) or information officer (信息员) of a point within the key's scope."""
    return await legislation.register_officer(body, principal)


@router.post(
    "/collection-points",
    status_code=201,
    response_model=CollectionPointView,
    responses={**CREATED, **problem_responses(404)},
)
async def register_collection_point(
    body: CollectionPointIn, principal: PointKeeper, legislation: Legislation
) -> CollectionPointView:
    """An information-collection point (信息采集点) of a point within the key's scope, in its county."""
    return await legislation.register_collection_point(body, principal)


@router.get("/directory", response_model=DirectoryView, responses=problem_responses(401, 403, 422))
async def legislative_directory(
    principal: LegislationStaff, division: ScopedDivision, legislation: Legislation
) -> DirectoryView:
    """Offices, points, officers and collection points of a division and below (default: the key's scope)."""
    return await legislation.legislative_directory(division)
