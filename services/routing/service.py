"""routing: turns received opinions into cases, triages and assigns them, and runs their lifecycle."""

from contracts.actor import Actor
from contracts.errors import parse
from contracts.intake.opinions import OpinionMerged, OpinionReceived
from contracts.intake.suggestions import SuggestionAccepted
from contracts.routing import AcceptCaseIn, CalendarDayIn, RoutingRuleIn, UnitIn
from infra.clock import utc_now
from infra.logs import correlation_id
from infra.nameko_dependencies import StoreProvider
from infra.nameko_entrypoints import event_handler, rpc
from infra.nameko_service import StoredService
from services.routing import handlers
from services.routing.store import RoutingStore
from services.routing.views import case_view


class RoutingService(StoredService):
    name = "routing"

    store: RoutingStore = StoreProvider(RoutingStore, "routing")

    @event_handler(OpinionReceived)
    def on_opinion_received(self, body):
        envelope, opinion = OpinionReceived.from_wire(body)
        handlers.open_case(self.store, opinion, envelope, utc_now())

    @event_handler(SuggestionAccepted)
    def on_suggestion_accepted(self, body):
        envelope, suggestion = SuggestionAccepted.from_wire(body)
        handlers.open_suggestion_case(self.store, suggestion, envelope, utc_now())

    @event_handler(OpinionMerged)
    def on_opinion_merged(self, body):
        envelope, event = OpinionMerged.from_wire(body)
        handlers.merge_cases(self.store, event, envelope)

    @rpc
    def accept_case(self, case_id: str, command: dict, actor: dict) -> dict:
        case = handlers.accept_case(
            self.store, case_id, parse(AcceptCaseIn, command), parse(Actor, actor), correlation_id.get(), utc_now()
        )
        return case_view(case).model_dump(mode="json")

    @rpc
    def register_unit(self, unit: dict) -> dict:
        return handlers.register_unit(self.store, parse(UnitIn, unit)).model_dump()

    @rpc
    def unit(self, unit_id: str) -> dict:
        return handlers.find_unit(self.store, unit_id).model_dump()

    @rpc
    def add_rule(self, rule: dict) -> dict:
        return handlers.add_rule(self.store, parse(RoutingRuleIn, rule)).model_dump()

    @rpc
    def set_calendar_day(self, day: dict) -> dict:
        return handlers.set_calendar_day(self.store, parse(CalendarDayIn, day)).model_dump(mode="json")

    @rpc
    def list_cases(self, division_prefix: str, limit: int = 100, after: str | None = None) -> dict:
        return handlers.list_cases(self.store, division_prefix, limit, after).map(case_view).model_dump(mode="json")
