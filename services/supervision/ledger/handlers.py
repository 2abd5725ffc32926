"""The public ledger (挂单销号, 张榜公示): its lines, the texts it may show, the division's choice."""

from datetime import datetime

from contracts.envelope import Envelope
from contracts.errors import ErrorCode, ServiceError
from contracts.intake.opinions import OpinionReceived
from contracts.paging import Page
from contracts.supervision import EvaluationRecorded
from contracts.supervision.watch import LedgerSettingsIn, LedgerSettingsView
from contracts.vocabulary import DIVISION_CODE
from services.supervision.ledger.store import ledger_page
from services.supervision.ledger.views import ledger_entry
from services.supervision.store import SupervisionStore
from services.supervision.watch import evaluated


def keep_text(store: SupervisionStore, event: OpinionReceived) -> None:
    store.ledger.keep_text(event.tracking_code, event.division, event.content)


def apply_evaluation(store: SupervisionStore, event: EvaluationRecorded, envelope: Envelope) -> None:
    """The latest rating goes on the ledger's line, once per evaluation event."""
    if store.cases.get(event.case_id) is not None:
        store.cases.apply_once(event.case_id, envelope.event_id, lambda case: evaluated(case, event.rating))


def public_ledger(store: SupervisionStore, division_prefix: str, limit: int, after: str | None) -> Page:
    """A page of lines; the citizen's words only on lines whose division allows them."""
    page = ledger_page(store.cases, division_prefix, limit, after)
    allowed = store.ledger.show_text({case.division for case in page.items})
    shown = [case.case_id for case in page.items if allowed[case.division]]
    texts = store.ledger.texts_of(shown) if shown else {}
    return page.map(lambda case: ledger_entry(case, texts.get(case.case_id)))


def ledger_settings(store: SupervisionStore, division: str) -> LedgerSettingsView:
    choice = store.ledger.choice(division)
    if choice is None:
        return LedgerSettingsView(division=division, show_text=False)
    return LedgerSettingsView(division=division, show_text=choice["show_text"], updated_at=choice["updated_at"])


def set_ledger_settings(
    store: SupervisionStore, division: str, command: LedgerSettingsIn, now: datetime
) -> LedgerSettingsView:
    if not DIVISION_CODE.match(division):
        raise ServiceError(ErrorCode.INVALID, "行政区划代码应为 6、9 或 12 位数字 (not a division code)", "division")
    store.ledger.choose(division, command.show_text, now)
    return ledger_settings(store, division)
