"""A follow-up review (回头看) as pure rules: which replies get one and when, and its outcome.

Replies that promise later work (the division's planned classes, whose replies carry promised items
with dates) get one review per promised item at its date: together they are the ledger of promised
items (答复承诺解决事项台账). Completed replies are sampled: the same reply is always in or out of the
sample (a hash of the case and the reply's time), so a replayed `case.replied` decides the same.
"""

import hashlib
from datetime import date, datetime, timedelta

from pydantic import BaseModel

from contracts.errors import ErrorCode, ServiceError
from contracts.routing import CaseReplied, UnitRef
from contracts.supervision.reviews import (
    ReviewDue,
    ReviewKind,
    ReviewOutcome,
    ReviewOutcomeIn,
    ReviewRecorded,
    ReviewState,
    ReviewView,
)
from contracts.vocabulary import Instant
from infra.clock import local_date


class Review(BaseModel):
    review_id: str
    case_id: str
    division: str
    kind: ReviewKind
    replied_at: Instant
    unit: UnitRef
    result_class: str
    item: str | None = None
    promised_by: date | None = None
    due_on: str  # ISO date: the timer's and the ledger's indexed range
    state: ReviewState = ReviewState.SCHEDULED
    visited_on: date | None = None
    finding: str | None = None
    rectification: str | None = None
    recorded_by: str | None = None
    recorded_at: Instant | None = None
    version: int = 0


def in_sample(case_id: str, replied_at: datetime, percent: int) -> bool:
    digest = hashlib.sha256(f"{case_id}|{replied_at.isoformat()}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100 < percent


def reviews_for(event: CaseReplied, sample_percent: int, after_days: int) -> list[Review]:
    reply = event.reply
    stamp = reply.replied_at.strftime("%Y%m%d%H%M%S%f")
    base = {
        "case_id": event.case_id,
        "division": event.division,
        "replied_at": reply.replied_at,
        "unit": reply.unit,
        "result_class": reply.result_class,
    }
    if reply.promised:
        return [
            Review(
                **base,
                review_id=f"{event.case_id}.{stamp}.p{number}",
                kind=ReviewKind.PROMISED,
                item=promise.item,
                promised_by=promise.by,
                due_on=promise.by.isoformat(),
            )
            for number, promise in enumerate(reply.promised, start=1)
        ]
    if reply.completed and in_sample(event.case_id, reply.replied_at, sample_percent):
        due = local_date(reply.replied_at) + timedelta(days=after_days)
        return [Review(**base, review_id=f"{event.case_id}.{stamp}.s", kind=ReviewKind.SAMPLE, due_on=due.isoformat())]
    return []


def fall_due(review: Review, today: date) -> tuple[Review, list[ReviewDue]]:
    """`review.due` once, from its date on."""
    if review.state is not ReviewState.SCHEDULED or today.isoformat() < review.due_on:
        return review, []
    due = review.model_copy(update={"state": ReviewState.DUE})
    event = ReviewDue(
        review_id=review.review_id,
        case_id=review.case_id,
        division=review.division,
        kind=review.kind,
        unit=review.unit,
        item=review.item,
        due_on=date.fromisoformat(review.due_on),
    )
    return due, [event]


def record(review: Review, command: ReviewOutcomeIn, by: str, now: datetime) -> tuple[Review, ReviewRecorded]:
    """The outcome, once; short of the promise, a rectification order (责成整改) reopens the case."""
    if review.state in (ReviewState.KEPT, ReviewState.FELL_SHORT):
        raise ServiceError(
            ErrorCode.CONFLICT, "该回头看已记录结果，不能重复记录 (this review already has its outcome)", "review_id"
        )
    if command.visited_on > local_date(now):
        raise ServiceError(ErrorCode.INVALID, "回头看日期不能晚于今天 (visited_on lies in the future)", "visited_on")
    short = command.outcome is ReviewOutcome.FELL_SHORT
    done = review.model_copy(
        update={
            "state": ReviewState.FELL_SHORT if short else ReviewState.KEPT,
            "visited_on": command.visited_on,
            "finding": command.finding,
            "rectification": command.rectification if short else None,
            "recorded_by": by,
            "recorded_at": now,
        }
    )
    event = ReviewRecorded(
        review_id=review.review_id,
        case_id=review.case_id,
        division=review.division,
        outcome=command.outcome,
        rectify=short,
        rectification=done.rectification,
        at=now,
    )
    return done, event


def view(review: Review) -> ReviewView:
    return ReviewView.model_validate(review.model_dump(include=set(ReviewView.model_fields)))
