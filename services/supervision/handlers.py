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
from contracts.vocabulary import CaseStatus, Role
from services.supervision import evaluation as evaluations
from services.supervision import evaluation_window
from services.supervision import watch as rules
from services.supervision.deadline_watch.handlers import rearmed
from services.supervision.store import SupervisionStore
from services.supervision.watch import WatchedCase


def apply_case_assigned(store: SupervisionStore, event: CaseAssigned, envelope: Envelope) -> None:
    store.cases.apply_once(
        event.case_id,
        envelope.event_id,
        rearmed(store, lambda case: rules.assigned(case, event)),
        create=lambda: rules.watch(event),
    )


def apply_case_accepted(store: SupervisionStore, event: CaseAccepted, envelope: Envelope) -> None:
    store.cases.apply_once(event.case_id, envelope.event_id, rearmed(store, lambda case: rules.accepted(case, event)))


def apply_opinions_merged(store: SupervisionStore, event: OpinionMerged, envelope: Envelope) -> None:
    """Members already under watch stop counting; one never assigned has no deadline to drop."""
    for case_id in event.members:
        if case_id != event.primary and store.cases.get(case_id) is not None:
            store.cases.apply_once(case_id, envelope.event_id, rearmed(store, rules.merged))


def apply_case_merged(store: SupervisionStore, event: CaseMerged, envelope: Envelope) -> None:
    """routing's `case.merged` (by hand, or for each member of intake's `opinion.merged`): the case
    stops counting, once; a member `opinion.merged` already stopped watching is not changed again."""
    watched = store.cases.get(event.case_id)
    if watched is not None and watched.status is not CaseStatus.MERGED:
        store.cases.apply_once(event.case_id, envelope.event_id, rearmed(store, rules.merged))


def apply_case_event(store: SupervisionStore, event: CaseEvent, envelope: Envelope, change: Callable) -> None:
    """A lifecycle event on a watched case, once; a case never assigned (answered on the spot,
    escalated from triage) has no deadline under watch and is let be."""
    if store.cases.get(event.case_id) is not None:
        store.cases.apply_once(event.case_id, envelope.event_id, rearmed(store, lambda case: change(case, event)))


def deadlines(
    store: SupervisionStore, division_prefix: str, overdue_only: bool, limit: int, after: str | None, today: date
) -> Page:
    return store.in_division(division_prefix, limit, after, overdue_on=today if overdue_only else None)


def count_overdue(store: SupervisionStore, today: date) -> int:
    return store.count_overdue(today)


def evaluate_case(
    store: SupervisionStore,
    case_id: str,
    command: EvaluationIn,
    actor: Actor,
    correlation_id: str,
    now: datetime,
    rehandle_limit: int = 2,
) -> evaluations.Evaluation:
    """满意度测评 by the suggestion's lead deputy (领衔代表), or by an administrator whose scope covers
    the case on the deputy's behalf (as before deputies had their own keys). Any other deputy, and a
    deputy's key that names no deputy, is refused."""
    case = store.cases.get(case_id)
    if case is None or not actor.can_see(case.division):
        raise no_case(case_id)
    if actor.role is Role.DEPUTY and (actor.deputy is None or actor.deputy != case.deputy):
        detail = f"只有建议的领衔代表可以评价答复 (only the lead deputy of {case_id} evaluates its reply)"
        raise ServiceError(ErrorCode.FORBIDDEN, detail, "deputy")
    evaluator = f"key:{actor.key_id}"
    return record(store, case, EvaluatorKind.DEPUTY, evaluator, command, correlation_id, now, rehandle_limit)


def evaluate_as_citizen(
    store: SupervisionStore,
    case_id: str,
    command: EvaluationIn,
    correlation_id: str,
    now: datetime,
    rehandle_limit: int = 2,
) -> evaluations.Evaluation:
    """满意度测评 by the citizen, once intake checked they are the submitter."""
    case = store.cases.get(case_id)
    if case is None:
        raise no_case(case_id)
    return record(store, case, EvaluatorKind.CITIZEN, "citizen", command, correlation_id, now, rehandle_limit)


def record(
    store: SupervisionStore,
    case: WatchedCase,
    kind: EvaluatorKind,
    evaluator: str,
    command: EvaluationIn,
    correlation_id: str,
    now: datetime,
    rehandle_limit: int = 2,
) -> evaluations.Evaluation:
    """Stored under (case, reply, evaluator) with `evaluation.recorded`; a second one is a conflict,
    and so is one after the reply's evaluation window closed."""
    evaluation_window.check_open(store.evaluation_windows.windows.get(case.case_id), case.replies)
    reopen = evaluations.may_reopen(store.evaluation_windows.rehandled(case.case_id, case.replies), rehandle_limit)
    evaluation, event = evaluations.evaluate(case, kind, evaluator, command, now, reopen)
    if not store.evaluations.add(evaluation, [event], correlation_id):
        raise evaluations.already_evaluated()
    return evaluation


def no_case(case_id: str) -> ServiceError:
    return ServiceError(ErrorCode.NOT_FOUND, f"没有编号为 {case_id} 的已交办案件 (no such case)", "case_id")
