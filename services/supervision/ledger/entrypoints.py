"""The public ledger's event handlers and RPCs, mixed into SupervisionService."""

from contracts.errors import parse
from contracts.intake.opinions import OpinionReceived
from contracts.supervision import EvaluationRecorded
from contracts.supervision.watch import LedgerSettingsIn
from infra.clock import utc_now
from infra.nameko_entrypoints import event_handler, rpc
from services.supervision.ledger import handlers


class LedgerEntrypoints:
    @event_handler(OpinionReceived)
    def ledger_on_opinion_received(self, body):
        _, event = OpinionReceived.from_wire(body)
        handlers.keep_text(self.store, event)

    @event_handler(EvaluationRecorded)
    def ledger_on_evaluation_recorded(self, body):
        envelope, event = EvaluationRecorded.from_wire(body)
        handlers.apply_evaluation(self.store, event, envelope)

    @rpc
    def public_ledger(self, division_prefix: str, limit: int = 50, after: str | None = None) -> dict:
        page = handlers.public_ledger(self.store, division_prefix, limit, after)
        return page.model_dump(mode="json")

    @rpc
    def ledger_settings(self, division: str) -> dict:
        return handlers.ledger_settings(self.store, division).model_dump(mode="json")

    @rpc
    def set_ledger_settings(self, division: str, settings: dict) -> dict:
        command = parse(LedgerSettingsIn, settings)
        return handlers.set_ledger_settings(self.store, division, command, utc_now()).model_dump(mode="json")
