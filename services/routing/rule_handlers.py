"""routing's use cases for triage and its directory: opening a case under the division's rules and
deadline policies, learning from assignments, the units, rules and policies administrators manage,
the manual triage queue with its unit suggestions, and late assignments."""

from datetime import datetime, timedelta

from prometheus_client import Counter

from contracts.actor import Actor
from contracts.envelope import Envelope, new_event_id
from contracts.errors import ErrorCode, ServiceError
from contracts.intake.opinions import OpinionReceived
from contracts.intake.suggestions import SuggestionAccepted
from contracts.paging import Page
from contracts.routing import (
    CaseAssigned,
    CaseTriaged,
    DivisionDeadlinesIn,
    LateAssignment,
    RoutingRuleIn,
    RuleView,
    TriageLevel,
    TriageQueueEntry,
    UnitChangeIn,
    UnitIn,
    UnitView,
)
from contracts.vocabulary import CaseStatus, fixed_width_utc
from infra.clock import local_date
from infra.mongo import division_prefix_filter
from services.routing import policies, suggest, suggestion_case, triage, units
from services.routing.calendar import WorkingCalendar
from services.routing.case import Case
from services.routing.store import RoutingStore

CALENDAR_FALLBACKS = Counter(
    "routing_calendar_fallback_total",
    "Deadlines set in a year the official holiday calendar does not know (weekday fallback)",
    ["county"],
)
WAITING = {CaseStatus.TRIAGED, CaseStatus.ESCALATED, CaseStatus.RETURNED, CaseStatus.RECEIVED}
STATION_LEVELS = [TriageLevel.ON_THE_SPOT.value, TriageLevel.STATION.value]


def not_found(what: str, key: str, field: str) -> ServiceError:
    return ServiceError(ErrorCode.NOT_FOUND, f"{what} {key} 不存在 (not found)", field)


# ---- triage of what arrives ----


def triage_inputs(store: RoutingStore, division: str, now: datetime):
    division_rules = store.rules_for(division)
    named = store.units_by_id([unit for rule in division_rules for unit in rule.unit_ids])
    calendar = WorkingCalendar(store.calendar_overrides(division, local_date(now)))
    deadlines = policies.division_policies(division, store.directory.policies_above(division))
    return division_rules, named, calendar, deadlines


def open_case(store: RoutingStore, opinion: OpinionReceived, envelope: Envelope, now: datetime) -> None:
    """One case per received opinion, for the lifetime of the data: a redelivery finds it stored
    (`add` then only publishes what a crash left in its outbox)."""
    division_rules, named, calendar, deadlines = triage_inputs(store, opinion.division, now)
    decision = triage.open_case(opinion, division_rules, named, calendar, now, deadlines)
    store.cases.add(decision.case, with_suggestions(store, decision), envelope.correlation_id)


def open_suggestion_case(
    store: RoutingStore, suggestion: SuggestionAccepted, envelope: Envelope, now: datetime
) -> None:
    """One case per accepted deputy suggestion, under the statutory deadline; its id is the
    suggestion's, so a replayed event finds it stored and changes nothing."""
    division_rules, named, calendar, deadlines = triage_inputs(store, suggestion.division, now)
    decision = suggestion_case.open_case(suggestion, division_rules, named, calendar, now, deadlines)
    store.cases.add(decision.case, with_suggestions(store, decision), envelope.correlation_id)


def with_suggestions(store: RoutingStore, decision) -> list:
    """`case.triaged` of an item no rule matched carries the units learned from past assignments."""
    return [
        event.model_copy(update={"suggested_units": [s.unit for s in unit_suggestions(store, decision.case)]})
        if isinstance(event, CaseTriaged) and not event.matched
        else event
        for event in decision.events
    ]


def learn_assignment(store: RoutingStore, event: CaseAssigned) -> None:
    """Every assignment (by a rule or by hand) teaches the suggestions its case's terms, once per case
    and lead unit; a deadline set on the weekday fallback is counted then too."""
    case = store.cases.get(event.case_id)
    if case is None:
        return
    county = suggest.learning_division(case.division)
    key = f"{event.case_id}:{event.lead_unit.id}"
    if store.directory.learn(county, key, suggest.item_terms(case.content), event.lead_unit.id):
        if event.calendar_fallback:
            CALENDAR_FALLBACKS.labels(county).inc()


# ---- units ----


def register_unit(store: RoutingStore, unit: UnitIn) -> UnitView:
    """A unit, or the same id registered again (renamed, new parent or contacts; it stays as active as it was)."""
    existing = store.directory.unit(unit.id)
    if existing is not None and existing.division != unit.division:
        raise ServiceError(
            ErrorCode.CONFLICT, f"承办单位 {unit.id} 已属于 {existing.division} (a unit keeps its division)", "id"
        )
    view = UnitView(**unit.model_dump(), active=existing.active if existing else True)
    units.check_parent(view, store.directory.unit)
    store.save_unit(view)
    return view


def find_unit(store: RoutingStore, unit_id: str) -> UnitView:
    unit = store.unit(unit_id)
    if unit is None:
        raise ServiceError(ErrorCode.NOT_FOUND, f"承办单位 {unit_id} 不存在 (unknown unit)", "unit")
    return unit


def unit_in_scope(store: RoutingStore, unit_id: str, actor: Actor) -> UnitView:
    unit = store.directory.unit(unit_id)
    if unit is None or not actor.can_see(unit.division):
        raise not_found("承办单位", unit_id, "unit_id")
    return unit


def update_unit(store: RoutingStore, unit_id: str, change: UnitChangeIn, actor: Actor) -> UnitView:
    unit = unit_in_scope(store, unit_id, actor)
    view = unit.model_copy(update=change.model_dump())
    view = UnitView.model_validate(view.model_dump())
    units.check_parent(view, store.directory.unit)
    store.save_unit(view)
    return view


def deactivate_unit(store: RoutingStore, unit_id: str, actor: Actor) -> UnitView:
    """停用: the unit keeps its cases and history but gets no new ones; rules naming it stop matching."""
    unit = unit_in_scope(store, unit_id, actor)
    view = unit.model_copy(update={"active": False})
    store.save_unit(view)
    return view


def list_units(store: RoutingStore, division: str, include_inactive: bool) -> list[UnitView]:
    return store.directory.units_in(division, include_inactive)


# ---- rules ----


def checked_rule(store: RoutingStore, rule: RoutingRuleIn, rule_id: str) -> RuleView:
    units.check_rule_units(rule, store.directory.units_of([*filter(None, [rule.lead_unit]), *rule.co_units]))
    return RuleView(**rule.model_dump(), id=rule_id)


def add_rule(store: RoutingStore, rule: RoutingRuleIn) -> RuleView:
    """A rule may only name active units on its division's line; nothing is stored otherwise."""
    view = checked_rule(store, rule, new_event_id())
    store.add_rule(view)
    return view


def rule_in_scope(store: RoutingStore, rule_id: str, actor: Actor) -> RuleView:
    rule = store.directory.rule(rule_id)
    if rule is None or not actor.can_see(rule.division):
        raise not_found("分办规则", rule_id, "rule_id")
    return rule


def update_rule(store: RoutingStore, rule_id: str, rule: RoutingRuleIn, actor: Actor) -> RuleView:
    current = rule_in_scope(store, rule_id, actor)
    if rule.division != current.division:
        raise ServiceError(
            ErrorCode.INVALID,
            f"规则的行政区划不能更改（原为 {current.division}）(a rule keeps its division)",
            "division",
        )
    view = checked_rule(store, rule, rule_id)
    store.directory.replace_rule(view)
    return view


def delete_rule(store: RoutingStore, rule_id: str, actor: Actor) -> RuleView:
    rule = rule_in_scope(store, rule_id, actor)
    store.directory.delete_rule(rule_id)
    return rule


def list_rules(store: RoutingStore, division: str) -> list[RuleView]:
    return store.directory.rules_in(division)


# ---- deadline policies ----


def set_deadline_policies(store: RoutingStore, policy: DivisionDeadlinesIn) -> DivisionDeadlinesIn:
    store.directory.save_policies(policy)
    return policy


def deadline_policies(store: RoutingStore, division: str) -> DivisionDeadlinesIn:
    """The policies in force for the division: its own, the nearest above it, or the defaults."""
    found = policies.division_policies(division, store.directory.policies_above(division))
    return found.model_copy(update={"division": division})


# ---- the manual triage queue and late assignments ----


def queue_filter(division: str) -> dict:
    """Cases waiting for a person in the division and below: unmatched (triaged, not with the
    station), returned by their unit, escalated into it, or waiting for their joint meeting."""
    return {
        "division": division_prefix_filter(division),
        "$or": [
            {"status": CaseStatus.TRIAGED.value, "triage.level": {"$nin": STATION_LEVELS}},
            {"status": {"$in": [CaseStatus.ESCALATED.value, CaseStatus.RETURNED.value]}},
        ],
    }


def triage_queue(store: RoutingStore, division: str, limit: int, after: str | None, now: datetime) -> Page:
    """Oldest first (the longest waiting on top), each with up to three suggested units."""
    page = store.cases.page(queue_filter(division), "received_at", False, limit, after)
    return page.map(lambda case: queue_entry(store, case, now))


def queue_entry(store: RoutingStore, case: Case, now: datetime) -> TriageQueueEntry:
    calendar = WorkingCalendar(store.calendar_overrides(case.division, local_date(case.received_at)))
    suggestions = []
    if case.triage is None or not case.triage.needs_meeting:  # a joint case's units are proposed already
        suggestions = unit_suggestions(store, case)
    return TriageQueueEntry(
        **case.model_dump(include=set(TriageQueueEntry.model_fields) - {"waiting_working_days", "suggestions"}),
        waiting_working_days=policies.working_days_to_assignment(calendar, case.received_at, now),
        suggestions=suggestions,
    )


def unit_suggestions(store: RoutingStore, case: Case) -> list:
    """Up to three likely units for the case, learned from its county's past assignments of similar text."""
    terms = suggest.item_terms(case.content)
    counts = store.directory.term_counts(suggest.learning_division(case.division), terms)
    named = store.units_by_id(sorted({unit for _, unit, _ in counts}))
    return suggest.suggest(terms, counts, named)


def late_assignments(store: RoutingStore, division: str, limit: int, now: datetime) -> list[LateAssignment]:
    """Cases assigned more than one working day after receipt, or still unassigned past it; newest first.

    A case received within the last day cannot be late, so only older ones are read."""
    query = {
        "division": division_prefix_filter(division),
        "received_at": {"$lte": fixed_width_utc(now - timedelta(days=1))},
    }
    late: list[LateAssignment] = []
    after = None
    while len(late) < limit:
        page = store.cases.page(query, "received_at", True, 200, after)
        for case in page.items:
            entry = lateness(store, case, now)
            if entry is not None:
                late.append(entry)
        if page.next is None:
            break
        after = page.next
    return late[:limit]


def lateness(store: RoutingStore, case: Case, now: datetime) -> LateAssignment | None:
    """The first assignment counts (桂林 measures receipt to 交办): kept on the case when a rule
    assigned it, else from its assignment time, or until now while it still waits."""
    if case.assigned_at is None and case.status not in WAITING:
        return None  # closed on the spot, merged, or with the station: never assigned, never late
    if case.triage is not None and case.triage.level in (TriageLevel.ON_THE_SPOT, TriageLevel.STATION):
        return None
    days = case.assignment_working_days
    if days is None:
        calendar = WorkingCalendar(store.calendar_overrides(case.division, local_date(case.received_at)))
        days = policies.working_days_to_assignment(calendar, case.received_at, case.assigned_at or now)
    if not policies.late(days):
        return None
    return LateAssignment(
        **case.model_dump(include=set(LateAssignment.model_fields) - {"working_days_to_assignment"}),
        working_days_to_assignment=days,
    )
