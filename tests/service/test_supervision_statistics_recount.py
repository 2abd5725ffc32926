"""A mixed data set's statistics against a plain recount.

Two hundred cases with random histories (returns and reassignment, meetings, on-time and late
replies in three classes, evaluations, re-handling, escalation, merges, open cases past their due
date), intake's event arriving before or after the assignment, and some events delivered twice. The
test keeps each case's truth as it writes the history and recounts every figure from it directly.
"""

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest

from contracts.routing import (
    CaseEscalated,
    CaseMeetingRecorded,
    CaseMerged,
    CaseReopened,
    CaseReplied,
    CaseReturned,
    ReplyRecord,
    UnitRef,
)
from infra.clock import local_today
from tests.factories import case_assigned, case_event, evaluation_recorded, opinion_received
from tests.service.test_supervision_statistics import deliver, figures, service, stats  # noqa: F401 (fixtures)

UNITS = [UnitRef(id=f"unit-{n}", name=f"承办单位{n}") for n in range(4)]
TOWNSHIPS = ["330481001", "330481002", "330481003"]
CHANNELS = ["web", "hotline", "mailbox", "qr"]
CATEGORIES = ["道路交通", "城乡建设", None]
CLASSES = {"A": (True, True), "B": (False, True), "C": (False, False)}
RATINGS = ["satisfied", "basically_satisfied", "unsatisfied"]


@dataclass
class Truth:
    division: str
    month: str
    unit: str
    channel: str
    category: str | None
    counted: bool = True
    open: bool = True
    due: date = date(2026, 1, 1)
    replied: bool = False
    result: str | None = None
    on_time: bool = False
    met: bool = False
    rating: str | None = None
    returns: Counter = field(default_factory=Counter)
    reopened: int = 0

    def overdue(self, today: date) -> bool:
        return self.open and today > self.due


def history(rng: random.Random, index: int) -> tuple[list, Truth]:
    """One case's events in order, and what a person counting by hand would say of it."""
    case_id = f"MIX-{index:04d}"
    township, unit = rng.choice(TOWNSHIPS), rng.choice(UNITS)
    assigned_at = datetime(2026, rng.randint(1, 4), rng.randint(1, 28), 3, tzinfo=UTC)
    due = assigned_at.date() + timedelta(days=20)
    truth = Truth(township, assigned_at.strftime("%Y-%m"), unit.id, rng.choice(CHANNELS), rng.choice(CATEGORIES))
    truth.due = due
    base = {"case_id": case_id, "division": township}
    intake = opinion_received(tracking_code=case_id, division=township, channel=truth.channel, category=truth.category)
    events = [case_assigned(**base, lead_unit=unit, assigned_at=assigned_at, due_date=due)]
    if rng.random() < 0.2:
        other = rng.choice([u for u in UNITS if u != unit])
        events += [
            case_event(CaseReturned, **base, unit=unit),
            case_assigned(**base, lead_unit=other, assigned_at=assigned_at, due_date=due),
        ]
        truth.returns[unit.id] += 1
        truth.unit, unit = other.id, other
    if rng.random() < 0.1:
        events.append(case_event(CaseMerged, **base))
        truth.counted = False
        return place_intake(rng, events, intake), truth
    if rng.random() < 0.5:
        events.append(case_event(CaseMeetingRecorded, **base, met=rng.choice(["deputy", "deputy", "citizen"])))
        truth.met = events[-1].met == "deputy"
    rounds = 0
    while rng.random() < (0.75 if rounds == 0 else 0.5):
        rounds += 1
        replied_on = truth.due + timedelta(days=rng.choice([-3, -1, 0, 2, 6]))
        code = rng.choice(list(CLASSES))
        completed, resolved = CLASSES[code]
        record = ReplyRecord(
            unit=unit, text="答复", result_class=code, label=code, completed=completed, resolved=resolved,
            replied_at=datetime.combine(replied_on, datetime.min.time(), UTC) + timedelta(hours=2),
        )  # fmt: skip
        events.append(case_event(CaseReplied, **base, reply=record))
        truth.replied, truth.open, truth.result, truth.on_time = True, False, code, replied_on <= truth.due
        if rng.random() < 0.3:
            break
        rating = rng.choice(RATINGS)
        events.append(evaluation_recorded(**base, round=rounds, rating=rating))
        truth.rating = rating
        if rating != "unsatisfied" or rng.random() < 0.3:
            break
        truth.due = replied_on + timedelta(days=15)
        events.append(case_event(CaseReopened, **base, due_date=truth.due))
        truth.open, truth.reopened = True, truth.reopened + 1
    if truth.open and rng.random() < 0.1:
        events.append(case_event(CaseEscalated, case_id=case_id, division="330481", from_division=township))
        truth.division, truth.open = "330481", False
    return place_intake(rng, events, intake), truth


def place_intake(rng: random.Random, events: list, intake) -> list:
    """intake's event usually comes first, but its queue may lag behind routing's."""
    at = 0 if rng.random() < 0.6 else rng.randint(1, len(events))
    return [*events[:at], intake, *events[at:]]


def recount(truths: list[Truth], key, today: date) -> dict[str, Counter]:
    rows: dict[str, Counter] = {}
    for truth in truths:
        if not truth.counted or not ("2026-01" <= truth.month <= "2026-04"):
            continue
        for unit, times in truth.returns.items():
            if key == "unit":
                rows.setdefault(unit, Counter())["returned"] += times
        row = rows.setdefault(key_of(truth, key), Counter())
        if key != "unit":
            row["returned"] += sum(truth.returns.values())
        row["assigned"] += 1
        row["reopened"] += truth.reopened
        row["overdue"] += truth.overdue(today)
        if truth.rating:
            row["evaluated"] += 1
            row[truth.rating] += 1
        if truth.replied:
            completed, resolved = CLASSES[truth.result]
            row["replied"] += 1
            row["met"] += truth.met
            row["on_time"] += truth.on_time
            row["completed"] += completed
            row["resolved"] += resolved
            row["class_" + truth.result] += 1
    return rows


def key_of(truth: Truth, key: str) -> str:
    return {
        "unit": truth.unit,
        "division": truth.division,
        "channel": truth.channel,
        "category": truth.category or "unknown",
        "period": truth.month,
    }[key]


MEASURES = [
    "assigned", "replied", "met", "completed", "resolved", "on_time", "evaluated", "satisfied",
    "basically_satisfied", "unsatisfied", "overdue", "returned", "reopened",
]  # fmt: skip


def answered(row) -> Counter:
    found = Counter({name: getattr(row, name) for name in MEASURES})
    found.update({"class_" + code: amount for code, amount in row.classes.items()})
    return +found


@pytest.mark.parametrize("seed", [7, 2026])
def test_a_mixed_data_set_matches_a_plain_recount(service, stats, seed):  # noqa: F811 (fixtures)
    rng = random.Random(seed)
    truths = []
    for index in range(200):
        events, truth = history(rng, index)
        truths.append(truth)
        for message in events:
            deliver(service, message, times=2 if rng.random() < 0.15 else 1)

    today = local_today()
    for key in ("unit", "division", "channel", "category", "period"):
        view = figures(stats, key, first="2026-01", last="2026-04")
        expected = {name: +counts for name, counts in recount(truths, key, today).items() if +counts}
        got = {row.key: answered(row) for row in view.rows if +answered(row)}
        assert got == expected, key
        total = answered(view.total)
        assert total == +sum(recount(truths, "period", today).values(), Counter())
        for row in view.rows:
            assert row.reply_rate.numerator == row.replied and row.reply_rate.denominator == row.assigned
            if row.replied:
                assert row.completion_rate.percent == round(100 * row.completed / row.replied + 1e-9, 2)
