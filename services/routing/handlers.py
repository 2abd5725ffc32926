"""routing's use cases: each loads, asks the rules in `case.py`, and saves with the events caused."""

from datetime import date, datetime

from contracts.actor import Actor
from contracts.case_finding import CaseQuery
from contracts.envelope import Envelope
from contracts.errors import ErrorCode, ServiceError, parse
from contracts.intake.opinions import OpinionMerged
from contracts.paging import Page
from contracts.routing import AcceptCaseIn, CalendarDayIn, ResultClass, ResultSchemeIn, ResultSchemeView
from contracts.supervision import EvaluationRecorded, Rating
from contracts.supervision.reviews import ReviewRecorded
from infra.aggregates import VersionConflict
from infra.clock import local_date
from services.routing import case as rules
from services.routing import finding, rectification, rule_handlers, schemes
from services.routing.calendar import WorkingCalendar
from services.routing.case import Case
from services.routing.store import RoutingStore
from services.routing.views import case_view

# triage of what arrives, units and rules: services/routing/rule_handlers.py (rules helper)
open_case = rule_handlers.open_case
open_suggestion_case = rule_handlers.open_suggestion_case
register_unit = rule_handlers.register_unit
find_unit = rule_handlers.find_unit
add_rule = rule_handlers.add_rule


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


def set_calendar_day(
    store: RoutingStore, day: CalendarDayIn, now: datetime, correlation_id: str = "-"
) -> CalendarDayIn:
    """Stored and announced (`calendar.day_set`): supervision's watch counts on the county's days too."""
    store.save_calendar_day(day, now, correlation_id)
    return day


def merge_cases(store: RoutingStore, event: OpinionMerged, envelope: Envelope) -> None:
    """合并处置: each member's case becomes `merged` into the primary's and `case.merged` is
    announced for it, once whatever the redeliveries (as for a merge by hand)."""
    primary = store.cases.get(event.primary)
    number = primary.case_number if primary is not None else None
    for case_id in event.members:
        save_once(
            store,
            case_id,
            envelope,
            lambda case: rules.merge(case, event.primary, event.merged_by, event.merged_at, number),
        )


def save_once(store: RoutingStore, case_id: str, envelope: Envelope, decide) -> None:
    """Applies another service's event to a case once, saving the events the rule causes with it;
    a redelivery only relays what a crash may have left in the outbox."""
    for _ in range(3):
        if store.cases.collection.find_one({"_id": case_id, "applied_events": envelope.event_id}, {"_id": 1}):
            store.cases.outbox.relay(case_id)
            return
        case = store.cases.get(case_id)
        if case is None:
            raise LookupError(f"no case {case_id} to apply event {envelope.event_id} to")
        decision = decide(case)
        try:
            store.cases.save(decision.case, decision.events, envelope.correlation_id, applied_event=envelope.event_id)
            return
        except VersionConflict:
            continue
    raise VersionConflict(case_id, store.cases.get(case_id))


def apply_evaluation(store: RoutingStore, event: EvaluationRecorded, envelope: Envelope, now: datetime) -> None:
    """满意度测评: the case becomes evaluated, or is reopened on a new deadline when unsatisfied; once."""

    def decide(case: Case):
        calendar = WorkingCalendar(store.calendar_overrides(case.division, local_date(case.received_at)))
        # past the re-handling limit supervision says not to reopen (it puts the case on its key list)
        return rules.evaluated(case, event.rating is Rating.UNSATISFIED and event.reopen, calendar, now)

    save_once(store, event.case_id, envelope, decide)


def apply_review(store: RoutingStore, event: ReviewRecorded, envelope: Envelope, now: datetime) -> None:
    """回头看 fell short (supervision's `review.recorded`): the case reopens on a new deadline, once."""
    if not event.rectify:
        return

    def decide(case: Case):
        calendar = WorkingCalendar(store.calendar_overrides(case.division, local_date(case.received_at)))
        return rectification.rectify(case, event, calendar, now)

    save_once(store, event.case_id, envelope, decide)


def find_cases(store: RoutingStore, query: CaseQuery, actor: Actor, today: date) -> Page:
    """The cases matching `query` that the actor may see, newest first; `today` decides what is overdue."""
    return store.cases.find(finding.case_filter(query, actor, today), query.limit, query.after)


def case_detail(store: RoutingStore, case_id: str, actor: Actor) -> Case:
    """The whole case, if the actor may see it; otherwise it does not exist for them (no 403: ids do not leak)."""
    case = store.cases.get(case_id)
    if case is None or not finding.visible(case, actor):
        raise ServiceError(ErrorCode.NOT_FOUND, f"没有编号为 {case_id} 的案件 (no such case)", "case_id")
    return case


def act_on_case(
    store: RoutingStore, case_id: str, action: str, command: dict, actor: Actor, correlation_id: str, now: datetime
) -> Case:
    """POST /v1/cases/{id}/{action}: parse, load, check the version, ask the rule, save guarded on
    the version (a lost race is a conflict carrying the winner's state). The rules are in case.py."""
    if action not in rules.ACTIONS:
        raise ServiceError(ErrorCode.NOT_FOUND, f"没有名为 {action} 的案件操作 (no such action)", "action")
    model, rule = rules.ACTIONS[action]
    parsed = parse(model, command)
    case = find_case(store, case_id, actor)
    if parsed.expected_version is not None and parsed.expected_version != case.version:
        raise conflict(case)
    calendar = WorkingCalendar(store.calendar_overrides(case.division, local_date(case.received_at)))
    deadlines = rules.policies.division_policies(case.division, store.directory.policies_above(case.division))
    scheme = result_scheme(store, case.division).classes
    context = rules.Context(
        calendar=calendar, unit=store.unit, now=now, deadlines=deadlines, scheme=tuple(scheme), case=store.cases.get
    )
    decision = rule(case, parsed, actor, context)
    try:
        return store.cases.save(decision.case, decision.events, correlation_id)
    except VersionConflict as lost:
        raise conflict(lost.current) from None


def set_result_scheme(store: RoutingStore, division: str, scheme: ResultSchemeIn) -> ResultSchemeView:
    """A division's own result-class scheme; replies already given keep their class."""
    classes = [c.model_dump() for c in scheme.classes]
    store.schemes.replace_one({"_id": division}, {"_id": division, "classes": classes}, upsert=True)
    return ResultSchemeView(division=division, classes=scheme.classes)


def result_scheme(store: RoutingStore, division: str) -> ResultSchemeView:
    """The scheme replies in `division` use: its own, the nearest above it, else the built-in one."""
    prefixes = [division[:n] for n in (6, 9, 12) if n <= len(division)]
    docs = store.schemes.find({"_id": {"$in": prefixes}})
    configured = {doc["_id"]: tuple(ResultClass(**c) for c in doc["classes"]) for doc in docs}
    source, classes = schemes.configured_scheme(division, configured)
    return ResultSchemeView(division=source, classes=list(classes))
