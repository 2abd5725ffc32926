"""supervision: keeps every assigned case and its deadline in its own read model."""

from nameko.rpc import rpc
from nameko.timer import timer
from prometheus_client import Gauge

from contracts.events import CaseAssigned
from infra.clock import local_today
from infra.nameko_ext import PlatformService, StoreProvider, durable_event_handler
from services.supervision.domain import deadline_view, watch
from services.supervision.store import WatchStore

OVERDUE_CASES = Gauge("overdue_cases", "Cases open past their due date")


class SupervisionService(PlatformService):
    name = "supervision"

    store: WatchStore = StoreProvider(WatchStore, "supervision")

    @durable_event_handler(CaseAssigned)
    def on_case_assigned(self, body):
        _, event = CaseAssigned.from_wire(body)
        self.store.add(watch(event))

    @timer(interval=60)
    def measure_overdue(self):
        OVERDUE_CASES.set(self.store.count_overdue(local_today()))

    @rpc
    def deadlines(self, division_prefix: str, overdue_only: bool = False, limit: int = 100) -> list[dict]:
        today = local_today()
        cases = self.store.in_division(division_prefix, limit, overdue_on=today if overdue_only else None)
        return [deadline_view(case, today).model_dump(mode="json") for case in cases]
