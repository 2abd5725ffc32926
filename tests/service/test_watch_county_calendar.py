"""The deadline watch on the county's calendar, and the cases stored before the watch existed.

Routing announces a county's changed working day (`calendar.day_set`); supervision keeps it once
and re-arms the open cases of the division it may concern, so the due-soon reminder and the
half-time midpoint count the county's days off. Old cases without notice days are armed once by
the timer, in batches."""

from datetime import UTC, date, datetime

import pytest
from nameko.testing.services import worker_factory

from contracts.envelope import Envelope
from contracts.routing import CalendarDaySet
from contracts.vocabulary import CaseStatus
from services.routing.service import RoutingService
from services.routing.store import RoutingStore
from services.supervision.deadline_watch import arming, entrypoints, handlers
from services.supervision.deadline_watch import store as queries
from services.supervision.service import SupervisionService
from services.supervision.store import SupervisionStore
from services.supervision.watch import NOTICES, watch
from tests.factories import Publications, case_assigned

DAY_OFF = date(2026, 12, 10)  # a Thursday the county gives off (防汛)
WATCH_FIELDS = {"midpoint", *(f"{n}_{what}" for n in NOTICES for what in ("on", "sent_for", "sent_at"))}


def at(day: date, hour: int = 2) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


@pytest.fixture
def published():
    return Publications()


@pytest.fixture
def supervision(mongo_db, published):
    store = SupervisionStore(mongo_db, published)
    store.ensure_indexes()
    return worker_factory(SupervisionService, store=store)


@pytest.fixture
def routing(mongo_db):
    store = RoutingStore(mongo_db, Publications())
    store.ensure_indexes()
    service = worker_factory(RoutingService, store=store)
    service.published = store.calendar_outbox.publish
    return service


def assign(service, case_id: str, division: str, due: date) -> None:
    event = case_assigned(case_id=case_id, division=division, assigned_at=at(date(2026, 11, 23)), due_date=due)
    service.on_case_assigned(event.envelope(division, "corr-county").wire())


def day_set(routing, division: str, workday: bool) -> dict:
    """The county's decision through routing's RPC, and the event it published."""
    routing.set_calendar_day({"division": division, "day": DAY_OFF.isoformat(), "workday": workday, "reason": "防汛"})
    return routing.published.wires[-1]


def versions(supervision) -> dict[str, int]:
    return {doc["_id"]: doc["version"] for doc in supervision.store.cases.collection.find()}


def test_routing_announces_a_set_day_from_its_outbox(routing):
    wire = day_set(routing, "330481", workday=False)
    envelope, event = CalendarDaySet.from_wire(wire)
    assert (envelope.type, envelope.division, len(routing.published.wires)) == ("calendar.day_set", "330481", 1)
    assert (event.day, event.workday, event.reason) == (DAY_OFF, False, "防汛")
    assert routing.store.calendar.find_one({"_id": f"330481:{DAY_OFF}"})["outbox"] == []  # relayed and pulled
    assert routing.store.calendar_overrides("330481001", date(2026, 12, 1)) == {DAY_OFF: False}


def test_a_county_day_off_moves_the_reminder_and_the_midpoint_of_its_open_cases_only(routing, supervision, published):
    assign(supervision, "HERE-HERE-HERE", "330481001", date(2026, 12, 14))
    assign(supervision, "NEXT-NEXT-NEXT", "330482001", date(2026, 12, 14))  # another county
    assign(supervision, "PAST-PAST-PAST", "330481001", date(2026, 12, 1))  # due before the day
    national = supervision.store.cases.get("HERE-HERE-HERE")
    assert (national.due_soon_on, national.midpoint) == (date(2026, 12, 9), date(2026, 12, 3))
    before = versions(supervision)

    wire = day_set(routing, "330481", workday=False)
    supervision.watch_on_calendar_day_set(wire)

    here = supervision.store.cases.get("HERE-HERE-HERE")
    assert (here.due_soon_on, here.midpoint, here.overdue_on) == (
        date(2026, 12, 8),
        date(2026, 12, 2),
        date(2026, 12, 15),
    )
    changed = {case for case, version in versions(supervision).items() if version != before[case]}
    assert changed == {"HERE-HERE-HERE"}
    assign(supervision, "LATE-LATE-LATE", "330481002", date(2026, 12, 14))  # assigned after the change
    assert supervision.store.cases.get("LATE-LATE-LATE").due_soon_on == date(2026, 12, 8)

    handlers.run_watch(supervision.store, handlers.current_plan(), date(2026, 12, 8), at(date(2026, 12, 8)), "c")
    sent = [Envelope.model_validate(w) for w in published.wires if w["type"] == "case.due_soon"]
    assert sorted(e.payload["case_id"] for e in sent) == ["HERE-HERE-HERE", "LATE-LATE-LATE"]
    assert {e.payload["working_days_left"] for e in sent} == {3}  # 12-9, 12-11, 12-14: the 10th is off


def test_a_replayed_or_overtaken_day_changes_nothing_and_a_later_one_moves_the_days_back(routing, supervision):
    assign(supervision, "HERE-HERE-HERE", "330481001", date(2026, 12, 14))
    first = day_set(routing, "330481", workday=False)
    supervision.watch_on_calendar_day_set(first)
    before = versions(supervision), list(supervision.store.county_calendar.days.find())
    supervision.watch_on_calendar_day_set(first)  # redelivered
    overtaken = CalendarDaySet(division="330481", day=DAY_OFF, workday=True, reason="旧", set_at=at(date(2026, 1, 1)))
    supervision.watch_on_calendar_day_set(overtaken.envelope("330481", "c").wire())  # older, arriving late
    assert (versions(supervision), list(supervision.store.county_calendar.days.find())) == before
    assert supervision.store.cases.get("HERE-HERE-HERE").due_soon_on == date(2026, 12, 8)

    supervision.watch_on_calendar_day_set(day_set(routing, "330481", workday=True))  # the county takes it back
    assert supervision.store.cases.get("HERE-HERE-HERE").due_soon_on == date(2026, 12, 9)


def test_a_township_decision_beats_its_county_for_the_township_only(routing, supervision):
    assign(supervision, "TOWN-TOWN-TOWN", "330481001", date(2026, 12, 14))
    assign(supervision, "ELSE-ELSE-ELSE", "330481002", date(2026, 12, 14))
    supervision.watch_on_calendar_day_set(day_set(routing, "330481", workday=False))
    supervision.watch_on_calendar_day_set(day_set(routing, "330481001", workday=True))
    assert supervision.store.cases.get("TOWN-TOWN-TOWN").due_soon_on == date(2026, 12, 9)
    assert supervision.store.cases.get("ELSE-ELSE-ELSE").due_soon_on == date(2026, 12, 8)


def store_as_before_the_watch(supervision, case_id: str, status: CaseStatus = CaseStatus.ACCEPTED) -> None:
    """A watched case as written before the watch existed: no notice days, no midpoint."""
    case = watch(case_assigned(case_id=case_id, assigned_at=at(date(2026, 11, 23)), due_date=date(2026, 12, 14)))
    fields = case.model_copy(update={"status": status}).model_dump(mode="json", exclude={"version", *WATCH_FIELDS})
    doc = {"_id": case_id, **fields, "version": 3, "applied_events": [], "outbox": []}
    supervision.store.cases.collection.insert_one(doc)


def run_on(service, day: date, monkeypatch) -> None:
    monkeypatch.setattr(entrypoints, "local_today", lambda: day)
    monkeypatch.setattr(entrypoints, "utc_now", lambda: at(day))
    service.watch_deadlines()


def test_cases_stored_before_the_watch_are_armed_once_in_batches(supervision, published, monkeypatch):
    monkeypatch.setattr(arming, "BATCH", 2)
    for n in range(5):
        store_as_before_the_watch(supervision, f"OLD{n}-OLD{n}-OLD{n}")
    store_as_before_the_watch(supervision, "SHUT-SHUT-SHUT", CaseStatus.CLOSED)

    run_on(supervision, date(2026, 12, 9), monkeypatch)
    run_on(supervision, date(2026, 12, 9), monkeypatch)  # the same day again: nothing more

    assert sorted((w["type"], w["payload"]["case_id"]) for w in published.wires if w["type"] == "case.due_soon") == [
        ("case.due_soon", f"OLD{n}-OLD{n}-OLD{n}") for n in range(5)
    ]
    armed = supervision.store.cases.get("OLD0-OLD0-OLD0")
    assert (armed.midpoint, armed.overdue_on, armed.version) == (date(2026, 12, 3), date(2026, 12, 15), 5)
    assert "midpoint" not in supervision.store.cases.collection.find_one({"_id": "SHUT-SHUT-SHUT"})

    def asked_again(*_):
        raise AssertionError("the one-off arming asked again")

    monkeypatch.setattr(queries, "unarmed", asked_again)
    run_on(supervision, date(2026, 12, 15), monkeypatch)  # done once per database: not asked again
    assert [w["payload"]["case_id"] for w in published.wires if w["type"] == "case.overdue"] == [
        f"OLD{n}-OLD{n}-OLD{n}" for n in range(5)
    ]
