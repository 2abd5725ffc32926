"""supervision's use cases: routing's events applied once to the read model, and its queries."""

from datetime import date

from contracts.envelope import Envelope
from contracts.paging import Page
from contracts.routing import CaseAccepted, CaseAssigned
from services.supervision import watch as rules
from services.supervision.store import SupervisionStore


def apply_case_assigned(store: SupervisionStore, event: CaseAssigned, envelope: Envelope) -> None:
    store.cases.apply_once(
        event.case_id, envelope.event_id, lambda case: rules.assigned(case, event), create=lambda: rules.watch(event)
    )


def apply_case_accepted(store: SupervisionStore, event: CaseAccepted, envelope: Envelope) -> None:
    store.cases.apply_once(event.case_id, envelope.event_id, lambda case: rules.accepted(case, event))


def deadlines(
    store: SupervisionStore, division_prefix: str, overdue_only: bool, limit: int, after: str | None, today: date
) -> Page:
    return store.in_division(division_prefix, limit, after, overdue_on=today if overdue_only else None)


def count_overdue(store: SupervisionStore, today: date) -> int:
    return store.count_overdue(today)
