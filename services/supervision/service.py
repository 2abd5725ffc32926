"""supervision: keeps every assigned case and its deadline in its own read model."""

from prometheus_client import Gauge

from contracts.intake.opinions import OpinionMerged
from contracts.routing import CaseAccepted, CaseAssigned
from infra.clock import local_today
from infra.nameko_dependencies import StoreProvider
from infra.nameko_entrypoints import event_handler, rpc, settings_timer
from infra.nameko_service import StoredService
from services.supervision import handlers
from services.supervision.store import SupervisionStore
from services.supervision.views import deadline_view

OVERDUE_CASES = Gauge("overdue_cases", "Cases open past their due date")


class SupervisionService(StoredService):
    name = "supervision"

    store: SupervisionStore = StoreProvider(SupervisionStore, "supervision")

    @event_handler(CaseAssigned)
    def on_case_assigned(self, body):
        envelope, event = CaseAssigned.from_wire(body)
        handlers.apply_case_assigned(self.store, event, envelope)

    @event_handler(CaseAccepted)
    def on_case_accepted(self, body):
        envelope, event = CaseAccepted.from_wire(body)
        handlers.apply_case_accepted(self.store, event, envelope)

    @event_handler(OpinionMerged)
    def on_opinions_merged(self, body):
        envelope, event = OpinionMerged.from_wire(body)
        handlers.apply_opinions_merged(self.store, event, envelope)

    @settings_timer("overdue_gauge_seconds")
    def measure_overdue(self):
        OVERDUE_CASES.set(handlers.count_overdue(self.store, local_today()))

    @rpc
    def deadlines(
        self, division_prefix: str, overdue_only: bool = False, limit: int = 100, after: str | None = None
    ) -> dict:
        today = local_today()
        page = handlers.deadlines(self.store, division_prefix, overdue_only, limit, after, today)
        return page.map(lambda case: deadline_view(case, today)).model_dump(mode="json")
