"""Follow-up reviews' use cases: replies schedule them, the timer announces them, supervisors record them."""

from datetime import date, datetime

from contracts.actor import Actor
from contracts.envelope import Envelope
from contracts.errors import ErrorCode, ServiceError
from contracts.paging import Page
from contracts.routing import CaseReplied
from contracts.supervision.reviews import ReviewKind, ReviewOutcomeIn, ReviewState
from infra.aggregates import VersionConflict
from services.supervision.evaluation_window_handlers import change
from services.supervision.reviews import review as rules
from services.supervision.reviews.review import Review


def on_case_replied(store, event: CaseReplied, envelope: Envelope, sample_percent: int, after_days: int) -> None:
    """Each review is stored under its natural key, so a replayed reply schedules nothing twice."""
    for review in rules.reviews_for(event, sample_percent, after_days):
        store.reviews.reviews.add(review, [], envelope.correlation_id)


def tick(store, today: date, correlation_id: str) -> int:
    aggregates = store.reviews.reviews
    return sum(
        change(aggregates, review_id, lambda r: rules.fall_due(r, today), correlation_id)
        for review_id in store.reviews.falling_due(today)
    )


def record(store, review_id: str, command: ReviewOutcomeIn, actor: Actor, correlation_id: str, now: datetime) -> Review:
    review = store.reviews.reviews.get(review_id)
    if review is None or not actor.can_see(review.division):
        raise ServiceError(ErrorCode.NOT_FOUND, f"没有编号为 {review_id} 的回头看 (no such review)", "review_id")
    done, event = rules.record(review, command, actor.ref, now)
    try:
        return store.reviews.reviews.save(done, [event], correlation_id)
    except VersionConflict:
        raise ServiceError(
            ErrorCode.CONFLICT, "该回头看已被他人更新，请刷新后重试 (the review changed meanwhile)", "review_id"
        ) from None


def listing(
    store,
    division_prefix: str,
    limit: int,
    after: str | None,
    kind: ReviewKind | None = None,
    state: ReviewState | None = None,
) -> Page:
    return store.reviews.in_division(division_prefix, limit, after, kind, state)
