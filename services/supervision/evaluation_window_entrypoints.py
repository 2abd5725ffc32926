"""The evaluation window's entrypoints, mixed into SupervisionService."""

from contracts.actor import Actor
from contracts.errors import parse
from contracts.routing import CaseReplied
from contracts.supervision import EvaluationRecorded
from infra.clock import local_today, utc_now
from infra.logs import correlation_id
from infra.nameko_entrypoints import event_handler, rpc, settings_timer
from infra.settings import get_settings
from services.supervision import evaluation_window_handlers as handlers


class EvaluationWindowEntrypoints:
    @event_handler(CaseReplied)
    def window_on_case_replied(self, body):
        envelope, event = CaseReplied.from_wire(body)
        settings = get_settings()
        handlers.on_case_replied(
            self.store, event, envelope, utc_now(), settings.evaluation_window_days, settings.evaluation_reminder_days
        )

    @event_handler(EvaluationRecorded)
    def window_on_evaluation_recorded(self, body):
        envelope, event = EvaluationRecorded.from_wire(body)
        handlers.on_evaluation_recorded(self.store, event, envelope)

    @settings_timer("close_loop_timer_seconds")
    def evaluation_window_tick(self):
        handlers.tick(self.store, local_today(), correlation_id.get())

    @rpc
    def evaluation_state(self, case_id: str, actor: dict) -> dict:
        view = handlers.evaluation_state(self.store, case_id, parse(Actor, actor), get_settings().rehandle_limit)
        return view.model_dump(mode="json")
