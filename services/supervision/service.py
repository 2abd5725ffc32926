"""supervision: keeps every assigned case and its deadline in its own read model."""

from prometheus_client import Gauge

from contracts.actor import Actor
from contracts.errors import parse
from contracts.intake.opinions import OpinionMerged
from contracts.routing import (
    CaseAccepted,
    CaseAssigned,
    CaseClosed,
    CaseCoOpinionSent,
    CaseEscalated,
    CaseExtensionDecided,
    CaseExtensionRequested,
    CaseMeetingRecorded,
    CaseMerged,
    CasePaused,
    CaseProgressRecorded,
    CaseReopened,
    CaseReplied,
    CaseResumed,
    CaseReturned,
)
from contracts.supervision import EvaluationIn
from infra.clock import local_today, utc_now
from infra.logs import correlation_id
from infra.nameko_dependencies import StoreProvider
from infra.nameko_entrypoints import event_handler, rpc, settings_timer
from infra.nameko_service import StoredService
from infra.settings import get_settings
from services.supervision import handlers, watch
from services.supervision.county_calendar.entrypoints import CountyCalendarEntrypoints
from services.supervision.deadline_watch.entrypoints import WatchEntrypoints
from services.supervision.evaluation import evaluation_view
from services.supervision.evaluation_window_entrypoints import EvaluationWindowEntrypoints
from services.supervision.key_items.entrypoints import KeyItemEntrypoints
from services.supervision.ledger.entrypoints import LedgerEntrypoints
from services.supervision.rankings.entrypoints import RankingEntrypoints
from services.supervision.reviews.entrypoints import ReviewEntrypoints
from services.supervision.statistics.entrypoints import StatisticsEntrypoints
from services.supervision.store import SupervisionStore
from services.supervision.views import deadline_view

OVERDUE_CASES = Gauge("overdue_cases", "Cases open past their due date")


class SupervisionService(
    WatchEntrypoints,
    CountyCalendarEntrypoints,
    LedgerEntrypoints,
    KeyItemEntrypoints,
    EvaluationWindowEntrypoints,
    ReviewEntrypoints,
    StatisticsEntrypoints,
    RankingEntrypoints,
    StoredService,
):
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

    @event_handler(CaseReturned)
    def on_case_returned(self, body):
        envelope, event = CaseReturned.from_wire(body)
        handlers.apply_case_event(self.store, event, envelope, watch.returned)

    @event_handler(CaseReplied)
    def on_case_replied(self, body):
        envelope, event = CaseReplied.from_wire(body)
        handlers.apply_case_event(self.store, event, envelope, watch.replied)

    @event_handler(CaseReopened)
    def on_case_reopened(self, body):
        envelope, event = CaseReopened.from_wire(body)
        handlers.apply_case_event(self.store, event, envelope, watch.reopened)

    @event_handler(CaseClosed)
    def on_case_closed(self, body):
        envelope, event = CaseClosed.from_wire(body)
        handlers.apply_case_event(self.store, event, envelope, watch.closed)

    @event_handler(CaseEscalated)
    def on_case_escalated(self, body):
        envelope, event = CaseEscalated.from_wire(body)
        handlers.apply_case_event(self.store, event, envelope, watch.escalated)

    @event_handler(CasePaused)
    def on_case_paused(self, body):
        envelope, event = CasePaused.from_wire(body)
        handlers.apply_case_event(self.store, event, envelope, watch.paused)

    @event_handler(CaseResumed)
    def on_case_resumed(self, body):
        envelope, event = CaseResumed.from_wire(body)
        handlers.apply_case_event(self.store, event, envelope, watch.resumed)

    @event_handler(CaseExtensionRequested)
    def on_case_extension_requested(self, body):
        envelope, event = CaseExtensionRequested.from_wire(body)
        handlers.apply_case_event(self.store, event, envelope, watch.extension_requested)

    @event_handler(CaseExtensionDecided)
    def on_case_extension_decided(self, body):
        envelope, event = CaseExtensionDecided.from_wire(body)
        handlers.apply_case_event(self.store, event, envelope, watch.extension_decided)

    @event_handler(CaseCoOpinionSent)
    def on_case_co_opinion_sent(self, body):
        envelope, event = CaseCoOpinionSent.from_wire(body)
        handlers.apply_case_event(self.store, event, envelope, watch.co_opinion_sent)

    @event_handler(CaseProgressRecorded)
    def on_case_progress_recorded(self, body):
        envelope, event = CaseProgressRecorded.from_wire(body)
        handlers.apply_case_event(self.store, event, envelope, watch.progress_recorded)

    @event_handler(CaseMeetingRecorded)
    def on_case_meeting_recorded(self, body):
        envelope, event = CaseMeetingRecorded.from_wire(body)
        handlers.apply_case_event(self.store, event, envelope, watch.meeting_recorded)

    @event_handler(OpinionMerged)
    def on_opinions_merged(self, body):
        envelope, event = OpinionMerged.from_wire(body)
        handlers.apply_opinions_merged(self.store, event, envelope)

    @event_handler(CaseMerged)
    def on_case_merged(self, body):
        envelope, event = CaseMerged.from_wire(body)
        handlers.apply_case_merged(self.store, event, envelope)

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

    @rpc
    def evaluate_case(self, case_id: str, evaluation: dict, actor: dict) -> dict:
        command, who = parse(EvaluationIn, evaluation), parse(Actor, actor)
        recorded = handlers.evaluate_case(
            self.store, case_id, command, who, correlation_id.get(), utc_now(), get_settings().rehandle_limit
        )
        return evaluation_view(recorded).model_dump(mode="json")

    @rpc
    def evaluate_as_citizen(self, case_id: str, evaluation: dict) -> dict:
        command = parse(EvaluationIn, evaluation)
        recorded = handlers.evaluate_as_citizen(
            self.store, case_id, command, correlation_id.get(), utc_now(), get_settings().rehandle_limit
        )
        return evaluation_view(recorded).model_dump(mode="json")
