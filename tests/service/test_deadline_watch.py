"""The deadline watch on the real store: each notice once per case and due date across timer runs,
a restart, holidays and two replicas; a moved deadline re-arms; notify stores each notice once;
the overdue and half-time lists with their 催办 records; refusals change nothing."""

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from nameko.testing.services import worker_factory

from contracts.envelope import Envelope
from contracts.errors import ErrorCode, ServiceError
from contracts.routing import CaseExtensionDecided, CaseProgressRecorded, CaseReopened, CaseReplied
from infra.embedded.client import EmbeddedDatabase
from services.notify.service import NotifyService
from services.notify.store import InboxStore
from services.supervision.deadline_watch import entrypoints, handlers, schedule
from services.supervision.service import SupervisionService
from services.supervision.store import SupervisionStore
from tests.factories import Publications, actor, case_assigned, case_event

SUPERVISOR = actor(role="supervisor", scope="330481", label="海宁市人大督查室").model_dump()
ELSEWHERE = actor(role="supervisor", scope="330482").model_dump()


def at(day: date, hour: int = 2) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def wire(message) -> dict:
    return message.envelope("330481001", "corr-watch").wire()


def service_on(db, published) -> SupervisionService:
    store = SupervisionStore(db, published)
    store.ensure_indexes()
    return worker_factory(SupervisionService, store=store)


@pytest.fixture
def published():
    return Publications()


@pytest.fixture
def supervision(mongo_db, published):
    return service_on(mongo_db, published)


def assign(service, case_id: str, assigned_on: date, due: date) -> None:
    service.on_case_assigned(wire(case_assigned(case_id=case_id, assigned_at=at(assigned_on), due_date=due)))


def run_on(service, day: date, monkeypatch) -> None:
    """The timer entrypoint as it runs on `day` (Asia/Shanghai)."""
    monkeypatch.setattr(entrypoints, "local_today", lambda: day)
    monkeypatch.setattr(entrypoints, "utc_now", lambda: at(day))
    service.watch_deadlines()


def sent(published) -> list[tuple[str, str, str]]:
    events = [Envelope.model_validate(w) for w in published.wires]
    return [(e.type, e.payload["case_id"], e.occurred_at.date().isoformat()) for e in events]


def restarted(db, reopen):
    """The embedded store loaded again from its files, as after a restart; a real MongoDB as it is."""
    return reopen(db) if isinstance(db, EmbeddedDatabase) else db


def days(first: date, last: date):
    while first <= last:
        yield first
        first += timedelta(days=1)


def test_each_notice_goes_once_across_runs_and_a_restart_over_national_day_and_spring_festival(
    mongo_db, published, reopen, monkeypatch
):
    supervision = service_on(mongo_db, published)
    assign(supervision, "GQ01-GQ01-GQ01", date(2026, 9, 14), date(2026, 10, 9))  # 国庆 inside the period
    assign(supervision, "GQ02-GQ02-GQ02", date(2026, 9, 14), date(2026, 9, 30))  # due the day before it
    assign(supervision, "CJ01-CJ01-CJ01", date(2026, 1, 26), date(2026, 2, 24))  # 春节 inside the period
    assign(supervision, "CJ02-CJ02-CJ02", date(2026, 1, 26), date(2026, 2, 13))  # 2-14 (Saturday) worked
    when: dict[tuple[str, str], list[date]] = {}
    for day in days(date(2026, 1, 26), date(2026, 10, 20)):
        if day in (date(2026, 2, 12), date(2026, 9, 29)):  # a restart, on the day of a notice
            mongo_db = restarted(mongo_db, reopen)
            supervision = service_on(mongo_db, published)
        before = len(published.wires)
        run_on(supervision, day, monkeypatch)
        run_on(supervision, day, monkeypatch)  # a second run the same day sends nothing
        for sent_wire in published.wires[before:]:
            when.setdefault((sent_wire["type"], sent_wire["payload"]["case_id"]), []).append(day)
    assert when == {
        ("case.half_time", "CJ01-CJ01-CJ01"): [date(2026, 2, 5)],
        ("case.due_soon", "CJ01-CJ01-CJ01"): [date(2026, 2, 12)],  # 3 working days before, 14th worked
        ("case.overdue", "CJ01-CJ01-CJ01"): [date(2026, 2, 25)],
        ("case.half_time", "CJ02-CJ02-CJ02"): [date(2026, 2, 4)],
        ("case.due_soon", "CJ02-CJ02-CJ02"): [date(2026, 2, 10)],
        ("case.overdue", "CJ02-CJ02-CJ02"): [date(2026, 2, 14)],  # the adjusted working Saturday
        ("case.half_time", "GQ01-GQ01-GQ01"): [date(2026, 9, 22)],
        ("case.due_soon", "GQ01-GQ01-GQ01"): [date(2026, 9, 29)],
        ("case.overdue", "GQ01-GQ01-GQ01"): [date(2026, 10, 10)],  # 10-10 (Saturday) 调休上班
        ("case.half_time", "GQ02-GQ02-GQ02"): [date(2026, 9, 21)],
        ("case.due_soon", "GQ02-GQ02-GQ02"): [date(2026, 9, 24)],  # 中秋 9-25..27 skipped
        ("case.overdue", "GQ02-GQ02-GQ02"): [date(2026, 10, 8)],  # the first working day after 国庆
    }
    assert len(published.wires) == 12


def test_a_moved_deadline_rearms_and_an_answered_case_is_let_be(supervision, published):
    plan = handlers.current_plan()
    assign(supervision, "MOVE-MOVE-MOVE", date(2026, 11, 23), date(2026, 12, 14))
    assign(supervision, "DONE-DONE-DONE", date(2026, 11, 23), date(2026, 12, 14))
    supervision.on_case_replied(wire(case_event(CaseReplied, case_id="DONE-DONE-DONE")))
    handlers.run_watch(supervision.store, plan, date(2026, 12, 9), at(date(2026, 12, 9)), "c")
    assert [(t, c) for t, c, _ in sent(published)] == [
        ("case.due_soon", "MOVE-MOVE-MOVE"),
        ("case.half_time", "MOVE-MOVE-MOVE"),
    ]
    extended = case_event(CaseExtensionDecided, case_id="MOVE-MOVE-MOVE")  # approved: due 2026-12-21
    supervision.on_case_extension_decided(wire(extended))
    supervision.on_case_extension_decided(wire(extended))  # redelivered: applied once
    handlers.run_watch(supervision.store, plan, date(2026, 12, 16), at(date(2026, 12, 16)), "c")
    handlers.run_watch(supervision.store, plan, date(2026, 12, 22), at(date(2026, 12, 22)), "c")
    handlers.run_watch(supervision.store, plan, date(2026, 12, 23), at(date(2026, 12, 23)), "c")
    assert [(t, e.payload["due_date"]) for t, e in ((w["type"], Envelope.model_validate(w)) for w in published.wires)][
        2:
    ] == [("case.due_soon", "2026-12-21"), ("case.half_time", "2026-12-21"), ("case.overdue", "2026-12-21")]
    supervision.on_case_replied(wire(case_event(CaseReplied, case_id="MOVE-MOVE-MOVE")))
    supervision.on_case_reopened(wire(case_event(CaseReopened, case_id="MOVE-MOVE-MOVE")))  # due 2026-12-28
    handlers.run_watch(supervision.store, plan, date(2026, 12, 29), at(date(2026, 12, 29)), "c")
    assert sent(published)[-1][:2] == ("case.overdue", "MOVE-MOVE-MOVE")
    assert Envelope.model_validate(published.wires[-1]).payload["due_date"] == "2026-12-28"
    assert "DONE-DONE-DONE" not in {case for _, case, _ in sent(published)}


def test_progress_before_the_midpoint_means_no_half_time_notice_nor_listing(supervision, published):
    assign(supervision, "BUSY-BUSY-BUSY", date(2026, 11, 23), date(2026, 12, 14))
    assign(supervision, "IDLE-IDLE-IDLE", date(2026, 11, 23), date(2026, 12, 14))
    supervision.on_case_progress_recorded(wire(case_event(CaseProgressRecorded, case_id="BUSY-BUSY-BUSY")))
    handlers.run_watch(supervision.store, handlers.current_plan(), date(2026, 12, 3), at(date(2026, 12, 3)), "c")
    assert [(t, c) for t, c, _ in sent(published)] == [("case.half_time", "IDLE-IDLE-IDLE")]
    page = handlers.half_time(supervision.store, "330481", date(2026, 12, 3), 10, None)
    assert [case.case_id for case in page.items] == ["IDLE-IDLE-IDLE"]
    assert handlers.half_time(supervision.store, "330481", date(2026, 12, 2), 10, None).items == []
    assert handlers.half_time(supervision.store, "330481", date(2026, 12, 15), 10, None).items == []  # overdue


def test_two_replicas_running_the_watch_timer_emit_each_event_once(mongo_db, monkeypatch):
    """Issue 15's two-replica timers test: two supervision services, each with its own store object
    on the same database, run the timer at the same moment. A barrier holds them in lock step so
    that both have loaded each due case and decided its notices before either writes: only the
    claim guarded on the version read keeps each notice single."""
    published = Publications()
    replicas = [service_on(mongo_db, published) for _ in range(2)]
    for n in range(20):
        assign(replicas[0], f"TWIN-{n:04d}-CASE", date(2026, 11, 23), date(2026, 12, 14))
    barrier = threading.Barrier(2, timeout=10)
    decided = {replica.store: 0 for replica in replicas}
    fire = schedule.fire

    def fire_in_step(case, plan, today, now):
        fired = fire(case, plan, today, now)
        decided[threading.current_thread().store] += bool(fired.events)
        barrier.wait()
        return fired

    monkeypatch.setattr(schedule, "fire", fire_in_step)
    day, errors = date(2026, 12, 9), []

    def run(replica):
        threading.current_thread().store = replica.store
        try:
            handlers.run_watch(replica.store, handlers.current_plan(), day, at(day), "c")
        except BaseException as error:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(replica,)) for replica in replicas]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and list(decided.values()) == [20, 20]  # both decided to send every notice
    keys = [(w["type"], w["payload"]["case_id"]) for w in published.wires]
    assert len(keys) == len(set(keys)) == 40  # but each due-soon and half-time notice went once
    monkeypatch.setattr(schedule, "fire", fire)
    for replica in replicas:  # and later runs on either replica find nothing more to send
        handlers.run_watch(replica.store, handlers.current_plan(), day, at(day), "c")
    assert len(published.wires) == 40


def test_notify_stores_each_watch_notice_once_per_recipient(mongo_db, supervision, published):
    assign(supervision, "LATE-LATE-LATE", date(2026, 11, 23), date(2026, 12, 14))
    for day in (date(2026, 12, 9), date(2026, 12, 15)):
        handlers.run_watch(supervision.store, handlers.current_plan(), day, at(day), "c")
    (overdue,) = [w for w in published.wires if w["type"] == "case.overdue"]
    inbox = InboxStore(mongo_db, Publications())
    inbox.ensure_indexes()
    notify = worker_factory(NotifyService, store=inbox)
    notify.on_case_overdue(overdue)
    notify.on_case_overdue(overdue)  # redelivered: nothing stored twice
    for recipient in ("unit:hn-transport", "unit:hn-enforcement", "supervisor:330481"):
        (note,) = notify.inbox(recipient, "330481")["items"]
        assert note["kind"] == "case.overdue" and "LATE-LATE-LATE" in note["body"]
    (due_soon,) = [w for w in published.wires if w["type"] == "case.due_soon"]
    notify.on_case_due_soon(due_soon)
    assert len(notify.inbox("unit:hn-transport", "330481")["items"]) == 2
    assert len(notify.inbox("supervisor:330481", "330481")["items"]) == 1  # supervisors: overdue only


def test_the_overdue_list_carries_the_reminders_recorded_for_each_case(supervision, published, monkeypatch):
    assign(supervision, "LATE-LATE-LATE", date(2026, 11, 2), date(2026, 11, 20))
    assign(supervision, "SOON-SOON-SOON", date(2026, 11, 23), date(2026, 12, 14))
    run_on(supervision, date(2026, 11, 23), monkeypatch)
    record = supervision.record_reminder("LATE-LATE-LATE", {"method": "phone", "note": "已电话催办"}, SUPERVISOR)
    assert (record["method"], record["by"], record["note"]) == ("phone", "海宁市人大督查室", "已电话催办")
    supervision.record_reminder("LATE-LATE-LATE", {"method": "visit"}, SUPERVISOR)
    monkeypatch.setattr(entrypoints, "local_today", lambda: date(2026, 11, 23))
    (line,) = supervision.overdue_cases("330481")["items"]
    assert line["case_id"] == "LATE-LATE-LATE" and line["days_overdue"] == 3
    assert [r["method"] for r in line["reminders"]] == ["phone", "visit"]
    assert line["notices"]["overdue_at"] is not None and line["notices"]["due_soon_at"] is None
    assert supervision.overdue_cases("330482")["items"] == []


@pytest.mark.parametrize(
    ("case_id", "who", "code", "field"),
    [
        ("LATE-LATE-LATE", ELSEWHERE, ErrorCode.NOT_FOUND, "case_id"),
        ("NONE-NONE-NONE", SUPERVISOR, ErrorCode.NOT_FOUND, "case_id"),
        ("DONE-DONE-DONE", SUPERVISOR, ErrorCode.INVALID_TRANSITION, "status"),
    ],
)
def test_a_reminder_outside_the_scope_for_no_case_or_an_answered_one_is_refused(supervision, case_id, who, code, field):
    assign(supervision, "LATE-LATE-LATE", date(2026, 11, 2), date(2026, 11, 20))
    assign(supervision, "DONE-DONE-DONE", date(2026, 11, 2), date(2026, 11, 20))
    supervision.on_case_replied(wire(case_event(CaseReplied, case_id="DONE-DONE-DONE")))
    before = {doc["_id"]: doc["version"] for doc in supervision.store.cases.collection.find()}
    with pytest.raises(ServiceError) as refused:
        supervision.record_reminder(case_id, {"method": "letter"}, who)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert {doc["_id"]: doc["version"] for doc in supervision.store.cases.collection.find()} == before


def test_the_timers_queries_use_the_notice_indexes(supervision):
    indexes = {tuple(spec["key"]) for spec in supervision.store.cases.collection.index_information().values()}
    for field in ("due_soon_on", "overdue_on", "half_time_on"):
        assert ((field, 1),) in indexes
