"""满意度测评's window, as pure rules: each reply opens a round for evaluation (`evaluation.requested`),
a reminder goes out a few days before it closes, and a round nobody evaluated within it is recorded
as not evaluated: never counted as satisfied, and no longer open to a late evaluation.

One document per case (keyed by the case id), its rounds inside it in reply order, so round n here
is the n-th reply, as in the evaluations themselves. The current round's dates sit at the top level
for the timer's indexed queries.
"""

from datetime import date, datetime, timedelta

from pydantic import BaseModel

from contracts.errors import ErrorCode, ServiceError
from contracts.routing import CaseReplied
from contracts.supervision import EvaluationRecorded, EvaluatorKind, Rating
from contracts.supervision.evaluation_window import (
    CaseEvaluationView,
    EvaluationRequested,
    EvaluationRoundView,
    WindowState,
)
from contracts.vocabulary import Instant
from infra.clock import local_date
from services.supervision.evaluation import is_suggestion


class Round(BaseModel):
    round: int
    replied_at: Instant
    opened_at: Instant
    closes_on: date
    remind_on: date
    reminded: bool = False
    state: WindowState = WindowState.AWAITING
    rating: Rating | None = None
    evaluated_at: Instant | None = None


class EvaluationWindows(BaseModel):
    case_id: str
    division: str
    rounds: list[Round] = []
    # the current round's, for the timer: None once it is evaluated or closed
    awaiting_remind_on: str | None = None
    awaiting_closes_on: str | None = None
    version: int = 0


def evaluator_kind(case_id: str) -> EvaluatorKind:
    return EvaluatorKind.DEPUTY if is_suggestion(case_id) else EvaluatorKind.CITIZEN


def with_current(windows: EvaluationWindows) -> EvaluationWindows:
    """Keeps the timer's fields in step with the last round."""
    last = windows.rounds[-1] if windows.rounds else None
    awaiting = last is not None and last.state is WindowState.AWAITING
    return windows.model_copy(
        update={
            "awaiting_remind_on": last.remind_on.isoformat() if awaiting and not last.reminded else None,
            "awaiting_closes_on": last.closes_on.isoformat() if awaiting else None,
        }
    )


def open_round(
    current: EvaluationWindows | None, event: CaseReplied, now: datetime, window_days: int, reminder_days: int
) -> tuple[EvaluationWindows, list[EvaluationRequested]]:
    """A reply opens the next round; an earlier round still open then closes unevaluated."""
    windows = current or EvaluationWindows(case_id=event.case_id, division=event.division)
    rounds = [
        r.model_copy(update={"state": WindowState.NOT_EVALUATED}) if r.state is WindowState.AWAITING else r
        for r in windows.rounds
    ]
    closes_on = local_date(event.reply.replied_at) + timedelta(days=window_days)
    opened = Round(
        round=len(rounds) + 1,
        replied_at=event.reply.replied_at,
        opened_at=now,
        closes_on=closes_on,
        remind_on=closes_on - timedelta(days=reminder_days),
    )
    windows = with_current(windows.model_copy(update={"rounds": [*rounds, opened], "division": event.division}))
    return windows, [requested(windows, opened, reminder=False)]


def requested(windows: EvaluationWindows, opened: Round, reminder: bool) -> EvaluationRequested:
    return EvaluationRequested(
        case_id=windows.case_id,
        division=windows.division,
        round=opened.round,
        evaluator_kind=evaluator_kind(windows.case_id),
        closes_on=opened.closes_on,
        reminder=reminder,
    )


def remind(windows: EvaluationWindows, today: date) -> tuple[EvaluationWindows, list[EvaluationRequested]]:
    """The reminder, once, from its day while the round is still awaiting an evaluation."""
    last = windows.rounds[-1]
    if last.state is not WindowState.AWAITING or last.reminded or today < last.remind_on:
        return windows, []
    reminded = last.model_copy(update={"reminded": True})
    windows = with_current(windows.model_copy(update={"rounds": [*windows.rounds[:-1], reminded]}))
    return windows, [requested(windows, reminded, reminder=True)]


def expire(windows: EvaluationWindows, today: date) -> EvaluationWindows:
    """The day after the window closed, an unevaluated round is recorded as not evaluated."""
    last = windows.rounds[-1]
    if last.state is not WindowState.AWAITING or today <= last.closes_on:
        return windows
    closed = last.model_copy(update={"state": WindowState.NOT_EVALUATED})
    return with_current(windows.model_copy(update={"rounds": [*windows.rounds[:-1], closed]}))


def evaluated(windows: EvaluationWindows, event: EvaluationRecorded) -> EvaluationWindows:
    """The round's rating."""
    rounds = [
        r.model_copy(update={"state": WindowState.EVALUATED, "rating": event.rating, "evaluated_at": event.at})
        if r.round == event.round and r.state is not WindowState.EVALUATED
        else r
        for r in windows.rounds
    ]
    return with_current(windows.model_copy(update={"rounds": rounds}))


def check_open(windows: EvaluationWindows | None, round_: int) -> None:
    """A round whose window closed unevaluated takes no late evaluation."""
    closed = windows is not None and any(
        r.round == round_ and r.state is WindowState.NOT_EVALUATED for r in windows.rounds
    )
    if closed:
        raise ServiceError(
            ErrorCode.INVALID_TRANSITION,
            "测评期已过，本次答复记为未测评 (the evaluation window closed; recorded as not evaluated)",
            "status",
        )


def view(windows: EvaluationWindows, rehandled: int, rehandle_limit: int) -> CaseEvaluationView:
    rounds = [EvaluationRoundView.model_validate(r.model_dump()) for r in windows.rounds]
    return CaseEvaluationView(
        case_id=windows.case_id,
        division=windows.division,
        rehandled=rehandled,
        rehandle_limit=rehandle_limit,
        rounds=rounds,
    )
