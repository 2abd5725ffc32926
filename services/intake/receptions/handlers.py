"""The receptions' use cases: each takes the store and what arrived, asks the rules, and saves."""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from contracts.actor import Actor
from contracts.errors import ErrorCode, ServiceError
from contracts.intake.receptions import (
    PublicReceptionView,
    ReceptionDetail,
    ReceptionIn,
    ReceptionStatus,
    ReceptionView,
)
from contracts.paging import Page
from services.intake.opinion import Opinion
from services.intake.receptions import session as rules
from services.intake.receptions import views
from services.intake.receptions.session import Directory, Reception
from services.intake.receptions.store import ReceptionStore, SlotTaken, StaleReception

log = logging.getLogger(__name__)
RECENT = timedelta(days=30)  # how far back the public list reaches


def create(
    store: ReceptionStore, directory: Directory, command: ReceptionIn, actor: Actor, now: datetime
) -> ReceptionView:
    """A draft; a second creation of the same station's session at the same time answers the first."""
    reception = rules.plan(command, directory, actor, now)
    try:
        reception = store.add(reception)
    except SlotTaken as taken:
        raise ServiceError(
            ErrorCode.CONFLICT,
            "该联络站同一时间已有接待安排 (the station already has a session at that time)",
            "starts_at",
            state=views.staff_view(taken.existing).model_dump(mode="json"),
        ) from None
    log.info("reception %s planned at station %s", reception.id, reception.station.id)
    return views.staff_view(reception)


def loaded(store: ReceptionStore, reception_id: str) -> Reception:
    reception = store.load(reception_id)
    if reception is None:
        raise ServiceError(ErrorCode.NOT_FOUND, f"接待活动 {reception_id} 不存在 (no such reception)", "reception_id")
    return reception


def change(
    store: ReceptionStore, reception_id: str, actor: Actor, rule: Callable[[Reception], Reception]
) -> ReceptionView:
    """Applies `rule` to the session as stored, if the actor's scope covers it; a concurrent change is a conflict."""
    reception = loaded(store, reception_id)
    if not actor.can_see(reception.division):
        raise ServiceError(ErrorCode.FORBIDDEN, "该接待活动不在密钥的管辖范围内 (outside the key's scope)", "division")
    try:
        saved = store.save(rule(reception))
    except StaleReception as stale:
        state = views.staff_view(stale.current).model_dump(mode="json") if stale.current else None
        raise ServiceError(
            ErrorCode.CONFLICT, "接待活动已被他人更新 (changed meanwhile)", "reception_id", state
        ) from None
    log.info("reception %s is now %s", saved.id, saved.status.value)
    return views.staff_view(saved)


def detail(store: ReceptionStore, opinion_of: Callable[[str], Opinion | None], reception_id: str) -> ReceptionDetail:
    reception = loaded(store, reception_id)
    opinions = [opinion for code in reception.items if (opinion := opinion_of(code)) is not None]
    return views.detail(reception, opinions)


def staff_list(
    store: ReceptionStore, prefix: str, status: ReceptionStatus | None, limit: int, after: str | None
) -> Page[ReceptionView]:
    return store.in_division(prefix, status, limit, after).map(views.staff_view)


def public_list(
    store: ReceptionStore, prefix: str, now: datetime, limit: int, after: str | None
) -> Page[PublicReceptionView]:
    """Announced sessions from a month back onwards, in time order."""
    return store.announced(prefix, now - RECENT, limit, after).map(views.public_view)
