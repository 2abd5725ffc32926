"""supervision's use cases: routing's events applied once to the read model, and its queries."""

from collections.abc import Callable
from datetime import date

from contracts.envelope import Envelope
from contracts.intake.opinions import OpinionMerged
from contracts.paging import Page
from contracts.routing import CaseAccepted, CaseAssigned, CaseEvent, CaseMerged
from contracts.vocabulary import CaseStatus
from services.supervision import watch as rules
from services.supervision.store import SupervisionStore


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
