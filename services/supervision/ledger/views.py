"""A watched case as the public ledger shows it: dates in Asia/Shanghai, no person, no staff record."""

from contracts.supervision.watch import LedgerEntry
from infra.clock import local_date
from services.supervision.watch import WatchedCase

TOWNSHIP_DIGITS = 9


def ledger_entry(case: WatchedCase, text: str | None) -> LedgerEntry:
    def day(instant):
        return local_date(instant) if instant else None

    return LedgerEntry(
        tracking_code=case.case_id,
        case_number=case.case_number,
        category=case.category,
        division=case.division,
        township=case.division[:TOWNSHIP_DIGITS] if len(case.division) >= TOWNSHIP_DIGITS else None,
        unit=case.lead_unit.name,
        status=case.status,
        received_on=day(case.received_at),
        assigned_on=local_date(case.assigned_at),
        due_date=case.due_date,
        replied_on=day(case.replied_at),
        closed_on=day(case.closed_at),
        rating=case.rating,
        text=text,
    )
