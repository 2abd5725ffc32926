"""Key supervision's use cases: supervisors act on cases in their scope; evaluations past the
re-handling limit put cases on the list by themselves."""

from datetime import datetime

from contracts.actor import Actor
from contracts.envelope import Envelope
from contracts.errors import ErrorCode, ServiceError
from contracts.paging import Page
from contracts.supervision import EvaluationRecorded
from contracts.supervision.key_items import KeyRecordIn, MarkKeyItemIn, UnmarkKeyItemIn
from infra.aggregates import VersionConflict
from services.supervision.handlers import no_case
from services.supervision.key_items import item as rules
from services.supervision.key_items.item import KeyItem
from services.supervision.once import save_once


def mark(store, case_id: str, command: MarkKeyItemIn, actor: Actor, correlation_id: str, now: datetime) -> KeyItem:
    """Only a case under watch in the supervisor's divisions; outside them it does not exist for them."""
    case = store.cases.get(case_id)
    if case is None or not actor.can_see(case.division):
        raise no_case(case_id)
    current = store.key_items.items.get(case_id)
    item, event = rules.mark(case.case_id, case.division, case.lead_unit, current, command, actor.ref, now)
    if current is None:
        if not store.key_items.items.add(item, [event], correlation_id):
            raise changed()
        return item.model_copy(update={"version": 1})
    return save(store, item, [event], correlation_id)


def unmark(store, case_id: str, command: UnmarkKeyItemIn, actor: Actor, correlation_id: str, now: datetime) -> KeyItem:
    item = find(store, case_id, actor)
    done, event = rules.unmark(item, command, now)
    return save(store, done, [event], correlation_id)


def add_record(store, case_id: str, command: KeyRecordIn, actor: Actor, correlation_id: str, now: datetime) -> KeyItem:
    return save(store, rules.add_record(find(store, case_id, actor), command, actor.ref, now), [], correlation_id)


def find(store, case_id: str, actor: Actor) -> KeyItem:
    item = store.key_items.items.get(case_id)
    if item is None or not actor.can_see(item.division):
        raise ServiceError(
            ErrorCode.NOT_FOUND, f"编号为 {case_id} 的案件不在重点督办清单上 (no such key item)", "case_id"
        )
    return item


def in_period(store, division_prefix: str, period: str, limit: int, after: str | None) -> Page:
    first, last = rules.period_range(period)
    return store.key_items.in_period(division_prefix, first, last, limit, after)


def on_evaluation_recorded(store, event: EvaluationRecorded, envelope: Envelope, now: datetime) -> None:
    """An unsatisfied evaluation that routing was told not to reopen goes on the list, once."""
    if event.reopen:
        return
    case = store.cases.get(event.case_id)
    lead_unit = case.lead_unit if case else None
    save_once(
        store.key_items.items,
        event.case_id,
        envelope,
        lambda current: rules.rehandle_limit_reached(current, event.division, lead_unit, event, now),
    )


def save(store, item: KeyItem, events: list, correlation_id: str) -> KeyItem:
    try:
        return store.key_items.items.save(item, events, correlation_id)
    except VersionConflict:
        raise changed() from None


def changed() -> ServiceError:
    return ServiceError(
        ErrorCode.CONFLICT, "重点督办事项已被他人更新，请刷新后重试 (the key item changed meanwhile)", "case_id"
    )
