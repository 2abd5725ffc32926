"""supervision's use cases: routing's events applied once to the read model, and its queries."""

from collections.abc import Callable
from datetime import date, datetime

from contracts.actor import Actor
from contracts.envelope import Envelope
from contracts.errors import ErrorCode, ServiceError
from contracts.intake.opinions import OpinionMerged
from contracts.paging import Page
from contracts.routing import CaseAccepted, CaseAssigned, CaseEvent, CaseMerged
from contracts.supervision import EvaluationIn, EvaluatorKind
from contracts.vocabulary import CaseStatus
from services.supervision import evaluation as evaluations
from services.supervision import watch as rules
from services.supervision.store import SupervisionStore
from services.supervision.watch import WatchedCase


def apply_case_assigned(store: SupervisionStore, event: CaseAssigned, envelope: Envelope) -> None:
    store.cases.apply_once(
        event.case_id, envelope.event_id, lambda case: rules.assigned(case, event), create=lambda: rules.watch(event)
    )


def apply_case_accepted(store: SupervisionStore, event: CaseAccepted, envelope: Envelope) -> None:
    store.cases.apply_once(event.case_id, envelope.event_id, lambda case: rules.accepted(case, event))


def apply_opinions_merged(store: SupervisionStore, event: OpinionMerged, envelope: Envelope) -> None:
    """Members already under watch stop counting; one never assigned has no deadline to drop."""
    for case_id in event.members:
        if case_id != event.primary and store.cases.get(case_id) is not None:
            store.cases.apply_once(case_id, envelope.event_id, rules.merged)


def apply_case_merged(store: SupervisionStore, event: CaseMerged, envelope: Envelope) -> None:
    """routing's `case.merged` (by hand, or for each member of intake's `opinion.merged`): the case
    stops counting, once; a member `opinion.merged` already stopped watching is not changed again."""
    watched = store.cases.get(event.case_id)
    if watched is not None and watched.status is not CaseStatus.MERGED:
        store.cases.apply_once(event.case_id, envelope.event_id, rules.merged)


def apply_case_event(store: SupervisionStore, event: CaseEvent, envelope: Envelope, change: Callable) -> None:
    """A lifecycle event on a watched case, once; a case never assigned (answered on the spot,
    escalated from triage) has no deadline under watch and is let be."""
    if store.cases.get(event.case_id) is not None:
        store.cases.apply_once(event.case_id, envelope.event_id, lambda case: change(case, event))


def deadlines(
    store: SupervisionStore, division_prefix: str, overdue_only: bool, limit: int, after: str | None, today: date
) -> Page:
    return store.in_division(division_prefix, limit, after, overdue_on=today if overdue_only else None)


def count_overdue(store: SupervisionStore, today: date) -> int:
    return store.count_overdue(today)


def evaluate_case(
    store: SupervisionStore, case_id: str, command: EvaluationIn, actor: Actor, correlation_id: str, now: datetime
) -> evaluations.Evaluation:
    """满意度测评 by the deputy (or an administrator) whose scope covers the case."""
    case = store.cases.get(case_id)
    if case is None or not actor.can_see(case.division):
        raise no_case(case_id)
    return record(store, case, EvaluatorKind.DEPUTY, f"key:{actor.key_id}", command, correlation_id, now)


def evaluate_as_citizen(
    store: SupervisionStore, case_id: str, command: EvaluationIn, correlation_id: str, now: datetime
) -> evaluations.Evaluation:
    """满意度测评 by the citizen, once intake checked they are the submitter."""
    case = store.cases.get(case_id)
    if case is None:
        raise no_case(case_id)
    return record(store, case, EvaluatorKind.CITIZEN, "citizen", command, correlation_id, now)


def record(
    store: SupervisionStore,
    case: WatchedCase,
    kind: EvaluatorKind,
    evaluator: str,
    command: EvaluationIn,
    correlation_id: str,
    now: datetime,
) -> evaluations.Evaluation:
    """Stored under (case, reply, evaluator) with `evaluation.recorded`; a second one is a conflict."""
    evaluation, event = evaluations.evaluate(case, kind, evaluator, command, now)
    if not store.evaluations.add(evaluation, [event], correlation_id):
        raise evaluations.already_evaluated()
    return evaluation


def no_case(case_id: str) -> ServiceError:
    return ServiceError(ErrorCode.NOT_FOUND, f"没有编号为 {case_id} 的已交办案件 (no such case)", "case_id")
