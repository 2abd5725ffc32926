"""The evaluation window's use cases: replies open rounds, evaluations close them, the timer reminds
and records the rounds nobody evaluated. Each change is saved guarded on its version, so several
replicas of the timer send each reminder once."""

from datetime import date, datetime

from contracts.actor import Actor
from contracts.envelope import Envelope
from contracts.routing import CaseReplied
from contracts.supervision import EvaluationRecorded
from contracts.supervision.evaluation_window import CaseEvaluationView
from infra.aggregates import VersionConflict
from services.supervision import evaluation_window as rules
from services.supervision.handlers import no_case
from services.supervision.once import save_once


def on_case_replied(store, event: CaseReplied, envelope: Envelope, now: datetime, window_days: int, reminder_days: int):
    save_once(
        store.evaluation_windows.windows,
        event.case_id,
        envelope,
        lambda current: rules.open_round(current, event, now, window_days, reminder_days),
    )


def on_evaluation_recorded(store, event: EvaluationRecorded, envelope: Envelope) -> None:
    """A case whose reply opened no round here (replied before this capability ran) is let be."""

    def change(current):
        return None if current is None else (rules.evaluated(current, event), [])

    save_once(store.evaluation_windows.windows, event.case_id, envelope, change)


def tick(store, today: date, correlation_id: str) -> int:
    """Reminders due and windows closed by `today`; the number of rounds changed."""
    windows = store.evaluation_windows
    changed = 0
    for case_id in windows.to_remind(today):
        changed += change(windows.windows, case_id, lambda w: rules.remind(w, today), correlation_id)
    for case_id in windows.to_close(today):
        changed += change(windows.windows, case_id, lambda w: (rules.expire(w, today), []), correlation_id)
    return changed


def change(aggregates, key: str, rule, correlation_id: str) -> int:
    current = aggregates.get(key)
    if current is None:
        return 0
    updated, events = rule(current)
    if updated == current:
        return 0
    try:
        aggregates.save(updated, events, correlation_id)
    except VersionConflict:
        return 0  # another replica or an evaluation got there first; the next tick looks again
    return 1


def evaluation_state(store, case_id: str, actor: Actor, rehandle_limit: int) -> CaseEvaluationView:
    """A case under watch but not replied yet has no rounds."""
    windows = store.evaluation_windows.windows.get(case_id)
    if windows is None:
        case = store.cases.get(case_id)
        windows = rules.EvaluationWindows(case_id=case_id, division=case.division) if case else None
    if windows is None or not actor.can_see(windows.division):
        raise no_case(case_id)
    # each unsatisfied reply reopened the case while fewer than the limit had: so many, at most the limit
    rehandled = min(store.evaluation_windows.rehandled(case_id, len(windows.rounds) + 1), rehandle_limit)
    return rules.view(windows, rehandled, rehandle_limit)
