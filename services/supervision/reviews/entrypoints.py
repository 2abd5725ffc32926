"""Follow-up reviews' entrypoints, mixed into SupervisionService."""

from contracts.actor import Actor
from contracts.errors import parse
from contracts.routing import CaseReplied
from contracts.supervision.reviews import ReviewKind, ReviewOutcomeIn, ReviewState
from infra.clock import local_today, utc_now
from infra.logs import correlation_id
from infra.nameko_entrypoints import event_handler, rpc, settings_timer
from infra.settings import get_settings
from services.supervision.reviews import handlers
from services.supervision.reviews.review import view


class ReviewEntrypoints:
    @event_handler(CaseReplied)
    def reviews_on_case_replied(self, body):
        envelope, event = CaseReplied.from_wire(body)
        settings = get_settings()
        handlers.on_case_replied(
            self.store, event, envelope, settings.review_sample_percent, settings.review_after_days
        )

    @settings_timer("close_loop_timer_seconds")
    def review_tick(self):
        handlers.tick(self.store, local_today(), correlation_id.get())

    @rpc
    def record_review(self, review_id: str, outcome: dict, actor: dict) -> dict:
        command, who = parse(ReviewOutcomeIn, outcome), parse(Actor, actor)
        return view(handlers.record(self.store, review_id, command, who, correlation_id.get(), utc_now())).model_dump(
            mode="json"
        )

    @rpc
    def reviews(
        self,
        division_prefix: str,
        state: str | None = None,
        kind: str | None = None,
        limit: int = 100,
        after: str | None = None,
    ) -> dict:
        chosen_state = ReviewState(state) if state else None
        chosen_kind = ReviewKind(kind) if kind else None
        page = handlers.listing(self.store, division_prefix, limit, after, chosen_kind, chosen_state)
        return page.map(view).model_dump(mode="json")
