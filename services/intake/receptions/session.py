"""A reception session's rules: who may receive at it, and draft → announced → held, or cancelled.

Plain functions on the `Reception` entity; the handlers load, ask these, and save.
"""

import secrets
from collections.abc import Callable
from datetime import datetime

from pydantic import BaseModel

from contracts.actor import Actor
from contracts.errors import ErrorCode, ServiceError
from contracts.intake.receptions import DeputyRef, InvitedOfficial, ReceptionIn, ReceptionStatus, StationRef
from contracts.vocabulary import Instant
from infra.clock import local_date

NOTICE_DAYS = 7  # 每次接待提前一周向社会公告 (seed 000)
ID_ALPHABET = "abcdefghjkmnpqrstvwxyz0123456789"

Directory = Callable[[str, str], dict | None]  # (kind, id) → {_id, name, division, active, station_ids…}


class Reception(BaseModel):
    id: str
    division: str
    station: StationRef
    starts_at: Instant
    ends_at: Instant
    theme: str | None = None
    place: str | None = None
    deputies: list[DeputyRef]
    officials: list[InvitedOfficial] = []
    status: ReceptionStatus = ReceptionStatus.DRAFT
    created_at: Instant
    created_by: str
    announced_at: Instant | None = None
    late_reason: str | None = None
    held_at: Instant | None = None
    visitors: int | None = None
    cancelled_at: Instant | None = None
    cancel_reason: str | None = None
    items: list[str] = []
    version: int = 0

    @property
    def deputy_ids(self) -> list[str]:
        return [deputy.id for deputy in self.deputies]


def invalid(field: str, message: str) -> ServiceError:
    return ServiceError(ErrorCode.INVALID, message, field)


def new_id(starts_at: datetime) -> str:
    """rcp-20261201-k3p9xt: the session's Beijing date and six random characters."""
    return f"rcp-{local_date(starts_at):%Y%m%d}-{''.join(secrets.choice(ID_ALPHABET) for _ in range(6))}"


def station_for(directory: Directory, station_id: str, actor: Actor) -> dict:
    station = directory("station", station_id)
    if station is None:
        raise invalid("station_id", f"联络站 {station_id} 不存在 (unknown station)")
    if not actor.can_see(station["division"]):
        raise ServiceError(ErrorCode.FORBIDDEN, "该联络站不在密钥的管辖范围内 (outside the key's scope)", "station_id")
    if not station.get("active", True):
        raise invalid("station_id", f"联络站 {station_id} 已停用 (deactivated station)")
    return station


def on_duty(directory: Directory, station_id: str, deputy_ids: list[str]) -> list[DeputyRef]:
    """Every deputy on duty must be an active deputy of this station."""
    deputies = []
    for index, deputy_id in enumerate(deputy_ids):
        field = f"deputy_ids.{index}"
        deputy = directory("deputy", deputy_id)
        if deputy is None:
            raise invalid(field, f"代表 {deputy_id} 不存在 (unknown deputy)")
        if not deputy.get("active", True):
            raise invalid(field, f"代表 {deputy_id} 已停用 (deactivated deputy)")
        if station_id not in deputy.get("station_ids", []):
            raise invalid(field, f"代表 {deputy_id} 不在此联络站接待 (not a deputy of this station)")
        deputies.append(DeputyRef(id=deputy_id, name=deputy["name"]))
    return deputies


def plan(command: ReceptionIn, directory: Directory, actor: Actor, now: datetime) -> Reception:
    """A draft session at a station in the actor's scope, with that station's active deputies on duty."""
    station = station_for(directory, command.station_id, actor)
    return Reception(
        id=new_id(command.starts_at),
        division=station["division"],
        station=StationRef(id=command.station_id, name=station["name"]),
        starts_at=command.starts_at,
        ends_at=command.ends_at,
        theme=command.theme,
        place=command.place,
        deputies=on_duty(directory, command.station_id, command.deputy_ids),
        officials=command.officials,
        created_at=now,
        created_by=actor.ref,
    )


def days_ahead(starts_at: datetime, now: datetime) -> int:
    """Calendar days between today and the session's day, both in Beijing time."""
    return (local_date(starts_at) - local_date(now)).days


STATE_NAMES = {
    ReceptionStatus.DRAFT: "草稿",
    ReceptionStatus.ANNOUNCED: "已公告",
    ReceptionStatus.HELD: "已举行",
    ReceptionStatus.CANCELLED: "已取消",
}


def refused_from(reception: Reception, detail: str) -> ServiceError:
    state = {"id": reception.id, "status": reception.status.value, "version": reception.version}
    return ServiceError(ErrorCode.INVALID_TRANSITION, detail, "status", state=state)


def not_from(reception: Reception, *states: ReceptionStatus) -> None:
    if reception.status not in states:
        allowed = "、".join(STATE_NAMES[state] for state in states)
        raise refused_from(
            reception,
            f"接待活动{STATE_NAMES[reception.status]}，只有{allowed}的可以这样做 "
            f"(not allowed from {reception.status.value})",
        )


def announce(reception: Reception, reason: str | None, now: datetime) -> Reception:
    """Public from now on. Announcing less than a week ahead (by Beijing dates) needs a reason."""
    not_from(reception, ReceptionStatus.DRAFT)
    ahead = days_ahead(reception.starts_at, now)
    late = ahead < NOTICE_DAYS
    if late and not reason:
        raise invalid(
            "reason",
            f"距接待日仅 {ahead} 天，不足 {NOTICE_DAYS} 天公告须说明理由 "
            f"(announcing less than {NOTICE_DAYS} days ahead needs a reason)",
        )
    return reception.model_copy(
        update={"status": ReceptionStatus.ANNOUNCED, "announced_at": now, "late_reason": reason if late else None}
    )


def hold(reception: Reception, visitors: int | None, now: datetime) -> Reception:
    """The session took place: only an announced one, and not before it began."""
    not_from(reception, ReceptionStatus.ANNOUNCED)
    if now < reception.starts_at:
        raise refused_from(reception, "接待尚未开始，不能登记为已举行 (the session has not started yet)")
    return reception.model_copy(update={"status": ReceptionStatus.HELD, "held_at": now, "visitors": visitors})


def cancel(reception: Reception, reason: str, now: datetime) -> Reception:
    not_from(reception, ReceptionStatus.DRAFT, ReceptionStatus.ANNOUNCED)
    return reception.model_copy(
        update={"status": ReceptionStatus.CANCELLED, "cancelled_at": now, "cancel_reason": reason}
    )
