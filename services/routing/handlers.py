"""routing's use cases: each loads, asks the rules in `case.py`, and saves with the events caused."""

from datetime import datetime

from contracts.actor import Actor
from contracts.envelope import Envelope
from contracts.errors import ErrorCode, ServiceError
from contracts.intake.opinions import OpinionMerged, OpinionReceived
from contracts.intake.suggestions import SuggestionAccepted
from contracts.paging import Page
from contracts.routing import AcceptCaseIn, CalendarDayIn, RoutingRuleIn, UnitIn
from infra.aggregates import VersionConflict
from infra.clock import local_date
from services.routing import case as rules
from services.routing import suggestion_case, triage
from services.routing.calendar import WorkingCalendar
from services.routing.case import Case
from services.routing.store import RoutingStore
from services.routing.views import case_view


def open_case(store: RoutingStore, opinion: OpinionReceived, envelope: Envelope, now: datetime) -> None:
    """One case per received opinion, for the lifetime of the data: a redelivery finds it stored
    (`add` then only publishes what a crash left in its outbox)."""
    division_rules = store.rules_for(opinion.division)
    units = store.units_by_id([unit for rule in division_rules for unit in (rule.lead_unit, *rule.co_units)])
    calendar = WorkingCalendar(store.calendar_overrides(opinion.division, local_date(now)))
    decision = triage.open_case(opinion, division_rules, units, calendar, now)
    store.cases.add(decision.case, decision.events, envelope.correlation_id)


def open_suggestion_case(
    store: RoutingStore, suggestion: SuggestionAccepted, envelope: Envelope, now: datetime
) -> None:
    """One case per accepted deputy suggestion, under the statutory deadline; its id is the
    suggestion's, so a replayed event finds it stored and changes nothing."""
    division_rules = store.rules_for(suggestion.division)
    units = store.units_by_id([unit for rule in division_rules for unit in (rule.lead_unit, *rule.co_units)])
    calendar = WorkingCalendar(store.calendar_overrides(suggestion.division, local_date(now)))
    decision = suggestion_case.open_case(suggestion, division_rules, units, calendar, now)
    store.cases.add(decision.case, decision.events, envelope.correlation_id)


def accept_case(
    store: RoutingStore, case_id: str, command: AcceptCaseIn, actor: Actor, correlation_id: str, now: datetime
) -> Case:
    case = find_case(store, case_id, actor)
    if command.expected_version is not None and command.expected_version != case.version:
        raise conflict(case)
    decision = rules.accept(case, actor, now)
    try:
        return store.cases.save(decision.case, decision.events, correlation_id)
    except VersionConflict as lost:
        raise conflict(lost.current) from None


def find_case(store: RoutingStore, case_id: str, actor: Actor) -> Case:
    """The case, if the actor's scope covers its division; outside it, it does not exist for them."""
    case = store.cases.get(case_id)
    if case is None or not actor.can_see(case.division):
        raise ServiceError(ErrorCode.NOT_FOUND, f"没有编号为 {case_id} 的案件 (no such case)", "case_id")
    return case


def conflict(current: Case) -> ServiceError:
    return ServiceError(
        ErrorCode.CONFLICT,
        "案件已被他人更新，请按当前状态重新操作 (the case changed meanwhile; act again on its current state)",
        "expected_version",
        state=case_view(current).model_dump(mode="json"),
    )


def register_unit(store: RoutingStore, unit: UnitIn) -> UnitIn:
    store.save_unit(unit)
    return unit


def find_unit(store: RoutingStore, unit_id: str) -> UnitIn:
    unit = store.unit(unit_id)
    if unit is None:
        raise ServiceError(ErrorCode.NOT_FOUND, f"承办单位 {unit_id} 不存在 (unknown unit)", "unit")
    return unit


def add_rule(store: RoutingStore, rule: RoutingRuleIn) -> RoutingRuleIn:
    """A rule may only name units that exist."""
    known = store.units_by_id([rule.lead_unit, *rule.co_units])
    for field, unit_id in [("lead_unit", rule.lead_unit), *(("co_units", unit) for unit in rule.co_units)]:
        if unit_id not in known:
            raise ServiceError(ErrorCode.INVALID, f"承办单位 {unit_id} 不存在 (unknown unit)", field)
    store.add_rule(rule)
    return rule


def set_calendar_day(store: RoutingStore, day: CalendarDayIn) -> CalendarDayIn:
    store.save_calendar_day(day)
    return day


def list_cases(store: RoutingStore, division_prefix: str, limit: int, after: str | None) -> Page:
    return store.cases_in(division_prefix, limit, after)


def merge_cases(store: RoutingStore, event: OpinionMerged, envelope: Envelope) -> None:
    """合并处置: each member's case becomes `merged` into the primary's, once whatever the redeliveries."""
    for case_id in event.members:
        store.cases.apply_once(
            case_id, envelope.event_id, lambda case: rules.merge(case, event.primary, event.merged_by, event.merged_at)
        )
