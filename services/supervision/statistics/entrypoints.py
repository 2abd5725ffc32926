"""Statistics' event handlers and RPC, mixed into SupervisionService: every event that changes a
case's figures moves the counters once; reads sum counters by `_id`."""

from contracts.errors import parse
from contracts.intake.opinions import OpinionMerged, OpinionReceived
from contracts.intake.suggestions import SuggestionAccepted
from contracts.routing import (
    CaseAccepted,
    CaseAssigned,
    CaseClosed,
    CaseEscalated,
    CaseExtensionDecided,
    CaseMeetingRecorded,
    CaseMerged,
    CasePaused,
    CaseReopened,
    CaseReplied,
    CaseResumed,
    CaseReturned,
)
from contracts.supervision import EvaluationRecorded
from contracts.supervision.statistics import StatisticsQuery
from contracts.vocabulary import CaseStatus
from infra.clock import local_today
from infra.nameko_entrypoints import event_handler, rpc, settings_timer
from services.supervision.statistics import facts, handlers
from services.supervision.statistics.provider import StatisticsProvider
from services.supervision.statistics.store import StatisticsStore

CHANGES = {
    CaseAssigned: facts.assigned,
    CaseAccepted: facts.status(CaseStatus.ACCEPTED),
    CaseReturned: facts.returned,
    CaseReplied: facts.replied,
    CaseReopened: facts.reopened,
    CaseClosed: facts.closed,
    CaseEscalated: facts.escalated,
    CasePaused: facts.paused,
    CaseResumed: facts.resumed,
    CaseExtensionDecided: facts.extension_decided,
    CaseMeetingRecorded: facts.meeting_recorded,
    CaseMerged: facts.merged,
    EvaluationRecorded: facts.evaluation_recorded,
}


class StatisticsEntrypoints:
    stats: StatisticsStore = StatisticsProvider("supervision")

    def stats_apply(self, model, body) -> None:
        envelope, event = model.from_wire(body)
        change = CHANGES[model]
        handlers.apply(
            self.stats, event.case_id, event.division, envelope.event_id, lambda c: change(c, event), local_today()
        )

    @event_handler(OpinionReceived)
    def stats_on_opinion_received(self, body):
        envelope, event = OpinionReceived.from_wire(body)
        handlers.apply(
            self.stats,
            event.tracking_code,
            event.division,
            envelope.event_id,
            lambda case: facts.opinion_received(case, event),
            local_today(),
        )

    @event_handler(SuggestionAccepted)
    def stats_on_suggestion_accepted(self, body):
        envelope, event = SuggestionAccepted.from_wire(body)
        handlers.apply(
            self.stats,
            event.suggestion_id,
            event.division,
            envelope.event_id,
            lambda case: facts.suggestion_accepted(case, event),
            local_today(),
        )

    @event_handler(OpinionMerged)
    def stats_on_opinions_merged(self, body):
        envelope, event = OpinionMerged.from_wire(body)
        for member in event.members:
            if member != event.primary:
                handlers.apply(
                    self.stats,
                    member,
                    event.division,
                    envelope.event_id,
                    lambda c: facts.merged(c, event),
                    local_today(),
                )

    @event_handler(CaseAssigned)
    def stats_on_case_assigned(self, body):
        self.stats_apply(CaseAssigned, body)

    @event_handler(CaseAccepted)
    def stats_on_case_accepted(self, body):
        self.stats_apply(CaseAccepted, body)

    @event_handler(CaseReturned)
    def stats_on_case_returned(self, body):
        self.stats_apply(CaseReturned, body)

    @event_handler(CaseReplied)
    def stats_on_case_replied(self, body):
        self.stats_apply(CaseReplied, body)

    @event_handler(CaseReopened)
    def stats_on_case_reopened(self, body):
        self.stats_apply(CaseReopened, body)

    @event_handler(CaseClosed)
    def stats_on_case_closed(self, body):
        self.stats_apply(CaseClosed, body)

    @event_handler(CaseEscalated)
    def stats_on_case_escalated(self, body):
        self.stats_apply(CaseEscalated, body)

    @event_handler(CasePaused)
    def stats_on_case_paused(self, body):
        self.stats_apply(CasePaused, body)

    @event_handler(CaseResumed)
    def stats_on_case_resumed(self, body):
        self.stats_apply(CaseResumed, body)

    @event_handler(CaseExtensionDecided)
    def stats_on_case_extension_decided(self, body):
        self.stats_apply(CaseExtensionDecided, body)

    @event_handler(CaseMeetingRecorded)
    def stats_on_case_meeting_recorded(self, body):
        self.stats_apply(CaseMeetingRecorded, body)

    @event_handler(CaseMerged)
    def stats_on_case_merged(self, body):
        self.stats_apply(CaseMerged, body)

    @event_handler(EvaluationRecorded)
    def stats_on_evaluation_recorded(self, body):
        self.stats_apply(EvaluationRecorded, body)

    @settings_timer("statistics_overdue_seconds")
    def stats_mark_overdue(self):
        """Open cases whose due date passed become overdue in the counters (closing events undo it)."""
        handlers.mark_overdue(self.stats, local_today())

    @rpc
    def statistics(self, query: dict) -> dict:
        view = handlers.statistics(self.stats, parse(StatisticsQuery, query), local_today())
        return view.model_dump(mode="json", by_alias=True)
