"""routing: turns received opinions into cases, triages and assigns them, and runs their lifecycle."""

from contracts.actor import Actor
from contracts.case_finding import CaseQuery
from contracts.errors import parse
from contracts.intake.opinions import OpinionMerged, OpinionReceived
from contracts.intake.suggestions import SuggestionAccepted
from contracts.routing import (
    AcceptCaseIn,
    CalendarDayIn,
    CaseAssigned,
    DivisionDeadlinesIn,
    ResultSchemeIn,
    RoutingRuleIn,
    UnitChangeIn,
    UnitIn,
)
from contracts.supervision import EvaluationRecorded
from contracts.supervision.reviews import ReviewRecorded
from infra.clock import local_today, utc_now
from infra.logs import correlation_id
from infra.nameko_dependencies import StoreProvider
from infra.nameko_entrypoints import event_handler, rpc
from infra.nameko_service import StoredService
from services.routing import handlers, rule_handlers
from services.routing.store import RoutingStore
from services.routing.views import case_detail, case_view


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

    @event_handler(EvaluationRecorded)
    def on_evaluation_recorded(self, body):
        envelope, event = EvaluationRecorded.from_wire(body)
        handlers.apply_evaluation(self.store, event, envelope, utc_now())

    @event_handler(ReviewRecorded)
    def on_review_recorded(self, body):
        envelope, event = ReviewRecorded.from_wire(body)
        handlers.apply_review(self.store, event, envelope, utc_now())

    @rpc
    def act_on_case(self, case_id: str, action: str, command: dict, actor: dict) -> dict:
        """reply, return, co-opinion, … (services/routing/case.py ACTIONS); the case as it now is."""
        case = handlers.act_on_case(
            self.store, case_id, action, command, parse(Actor, actor), correlation_id.get(), utc_now()
        )
        return case_view(case).model_dump(mode="json")

    @rpc
    def set_result_scheme(self, division: str, scheme: dict) -> dict:
        return handlers.set_result_scheme(self.store, division, parse(ResultSchemeIn, scheme)).model_dump()

    @rpc
    def result_scheme(self, division: str) -> dict:
        return handlers.result_scheme(self.store, division).model_dump()

    @rpc
    def accept_case(self, case_id: str, command: dict, actor: dict) -> dict:
        case = handlers.accept_case(
            self.store, case_id, parse(AcceptCaseIn, command), parse(Actor, actor), correlation_id.get(), utc_now()
        )
        return case_view(case).model_dump(mode="json")

    @rpc
    def register_unit(self, unit: dict) -> dict:
        return handlers.register_unit(self.store, parse(UnitIn, unit)).model_dump(mode="json")

    @rpc
    def unit(self, unit_id: str) -> dict:
        return handlers.find_unit(self.store, unit_id).model_dump(mode="json")

    @rpc
    def add_rule(self, rule: dict) -> dict:
        return handlers.add_rule(self.store, parse(RoutingRuleIn, rule)).model_dump(mode="json")

    @rpc
    def set_calendar_day(self, day: dict) -> dict:
        day_in = parse(CalendarDayIn, day)
        return handlers.set_calendar_day(self.store, day_in, utc_now(), correlation_id.get()).model_dump(mode="json")

    @rpc
    def find_cases(self, query: dict, actor: dict) -> dict:
        page = handlers.find_cases(self.store, parse(CaseQuery, query), parse(Actor, actor), local_today())
        return page.map(case_view).model_dump(mode="json")

    @rpc
    def case_detail(self, case_id: str, actor: dict) -> dict:
        return case_detail(handlers.case_detail(self.store, case_id, parse(Actor, actor))).model_dump(mode="json")

    # ---- triage, units, rules and deadline policies (services/routing/rule_handlers.py) ----

    @event_handler(CaseAssigned)
    def learn_from_assignment(self, body):
        _, event = CaseAssigned.from_wire(body)
        rule_handlers.learn_assignment(self.store, event)

    @rpc
    def update_unit(self, unit_id: str, change: dict, actor: dict) -> dict:
        unit = rule_handlers.update_unit(self.store, unit_id, parse(UnitChangeIn, change), parse(Actor, actor))
        return unit.model_dump(mode="json")

    @rpc
    def deactivate_unit(self, unit_id: str, actor: dict) -> dict:
        return rule_handlers.deactivate_unit(self.store, unit_id, parse(Actor, actor)).model_dump(mode="json")

    @rpc
    def list_units(self, division: str, include_inactive: bool = False) -> list[dict]:
        return [
            unit.model_dump(mode="json") for unit in rule_handlers.list_units(self.store, division, include_inactive)
        ]

    @rpc
    def list_rules(self, division: str) -> list[dict]:
        return [rule.model_dump(mode="json") for rule in rule_handlers.list_rules(self.store, division)]

    @rpc
    def update_rule(self, rule_id: str, rule: dict, actor: dict) -> dict:
        updated = rule_handlers.update_rule(self.store, rule_id, parse(RoutingRuleIn, rule), parse(Actor, actor))
        return updated.model_dump(mode="json")

    @rpc
    def delete_rule(self, rule_id: str, actor: dict) -> dict:
        return rule_handlers.delete_rule(self.store, rule_id, parse(Actor, actor)).model_dump(mode="json")

    @rpc
    def set_deadline_policies(self, policies: dict) -> dict:
        saved = rule_handlers.set_deadline_policies(self.store, parse(DivisionDeadlinesIn, policies))
        return saved.model_dump(mode="json")

    @rpc
    def deadline_policies(self, division: str) -> dict:
        return rule_handlers.deadline_policies(self.store, division).model_dump(mode="json")

    @rpc
    def triage_queue(self, division: str, limit: int = 100, after: str | None = None) -> dict:
        return rule_handlers.triage_queue(self.store, division, limit, after, utc_now()).model_dump(mode="json")

    @rpc
    def late_assignments(self, division: str, limit: int = 100) -> list[dict]:
        late = rule_handlers.late_assignments(self.store, division, limit, utc_now())
        return [entry.model_dump(mode="json") for entry in late]
