"""The directory's rules: what an entry refers to must exist and be active. No broker, no database.

Who may change what (the gateway enforces it): administrators register offices; administrators and
offices register contact points; a point's own key (and offices, administrators) keeps its partners,
officers and collection points. A point's partners lie anywhere (区域协同 crosses provinces), so a
key may name partners outside its own scope; it may never change a point outside it.
"""

from collections.abc import Callable
from datetime import datetime

from contracts.errors import ErrorCode, ServiceError
from contracts.legislation.directory import CollectionPointIn, ContactPointIn, OfficerIn
from services.legislation.directory.entries import CollectionPoint, ContactPoint, Officer

FindPoint = Callable[[str], ContactPoint | None]


def invalid(field: str, message: str) -> ServiceError:
    return ServiceError(ErrorCode.INVALID, message, field)


def active_point(point_id: str, find: FindPoint, field: str) -> ContactPoint:
    point = find(point_id)
    if point is None or not point.active:
        raise invalid(field, f"联系点 {point_id} 不存在或已停用 (unknown or deactivated contact point)")
    return point


def checked_partners(point_id: str, partners: list[str], find: FindPoint) -> list[str]:
    """The partners, each an active point other than the point itself."""
    for partner in partners:
        if partner == point_id:
            raise invalid("partners", "联系点不能与自身协作 (a point cannot be its own partner)")
        active_point(partner, find, "partners")
    return partners


def new_point(entry: ContactPointIn, find: FindPoint, now: datetime) -> ContactPoint:
    partners = checked_partners(entry.point_id, entry.partners, find)
    return ContactPoint(**entry.model_dump(exclude={"partners"}), partners=partners, created_at=now)


def new_officer(entry: OfficerIn, find: FindPoint, now: datetime) -> Officer:
    point = active_point(entry.point_id, find, "point_id")
    return Officer(**entry.model_dump(), division=point.division, created_at=now)


def new_collection_point(entry: CollectionPointIn, find: FindPoint, now: datetime) -> CollectionPoint:
    point = active_point(entry.point_id, find, "point_id")
    division = entry.division or point.division
    if not division.startswith(point.division[:6]):
        raise invalid(
            "division", "信息采集点须在所属联系点的县（市、区）内 (the collection point lies in another county)"
        )
    return CollectionPoint(**entry.model_dump(exclude={"division"}), division=division, created_at=now)
