"""The lifecycle's actions on the real store: who may act, the state machine, the version guard,
the race of two replies, and the citizen's and supervision's read models fed by the events."""

from datetime import UTC, date, datetime, timedelta

import pytest
from nameko.testing.services import worker_factory

from contracts.errors import ErrorCode, ServiceError
from contracts.routing import Transition, UnitRef
from contracts.vocabulary import CaseStatus
from infra.clock import local_today
from services.intake.service import IntakeService
from services.intake.store import IntakeStore
from services.routing.calendar import WorkingCalendar
from services.routing.case import Case
from services.routing.service import RoutingService
from services.routing.store import RoutingStore
from services.supervision.service import SupervisionService
from services.supervision.store import SupervisionStore
from tests.factories import Publications, actor, case_assigned, submit_opinion

EVERYWHERE = actor(role="admin", scope="").model_dump()  # sees every case

CASE_ID = "7K3P-9XTA-2MQD"
LEAD = actor(role="handler", unit="hn-transport").model_dump()
CO = actor(role="handler", unit="hn-enforcement").model_dump()
STATION = actor(role="station", scope="330481001", label="许村镇联络站").model_dump()
SUPERVISOR = actor(role="supervisor").model_dump()
UNITS = [
    {"id": "hn-transport", "name": "海宁市交通运输局", "division": "330481"},
    {"id": "hn-enforcement", "name": "海宁市综合行政执法局", "division": "330481"},
    {"id": "hn-housing", "name": "海宁市住房和城乡建设局", "division": "330481"},
    {"id": "tx-transport", "name": "桐乡市交通运输局", "division": "330483"},
]


@pytest.fixture
def published():
    return Publications()


@pytest.fixture
def store(mongo_db, published):
    store = RoutingStore(mongo_db, published)
    store.ensure_indexes()
    return store


def worker(store):
    service = worker_factory(RoutingService, store=store)
    return service


@pytest.fixture
def routing(store):
    service = worker(store)
    for unit in UNITS:
        service.register_unit(unit)
    now = datetime.now(UTC)
    store.cases.add(
        Case(
            case_id=CASE_ID,
            case_number="330481-2026-000123",
            division="330481001",
            channel="web",
            content="文苑路公交站台的顶棚坏了",
            status=CaseStatus.ASSIGNED,
            received_at=now,
            lead_unit=UnitRef(id="hn-transport", name="海宁市交通运输局"),
            co_units=[UnitRef(id="hn-enforcement", name="海宁市综合行政执法局")],
            assigned_at=now,
            due_date=WorkingCalendar().add_working_days(local_today(), 15).due_date,
            history=[Transition(status=CaseStatus.ASSIGNED, at=now, actor="routing", reason="交办")],
        ),
        [],
        "corr-setup",
    )
    return service


def act(routing, action: str, command: dict, key: dict) -> dict:
    return routing.act_on_case(CASE_ID, action, command, key)


def refused(routing, action: str, command: dict, key: dict) -> ServiceError:
    with pytest.raises(ServiceError) as raised:
        act(routing, action, command, key)
    return raised.value


def test_accept_co_opinion_then_the_leads_reply_each_announced_once(routing, published):
    routing.accept_case(CASE_ID, {}, LEAD)
    act(routing, "co-opinion", {"text": "同意主办单位方案"}, CO)
    view = act(routing, "reply", {"text": "已修复顶棚", "result_class": "A", "expected_version": 3}, LEAD)

    assert view["status"] == "replied" and view["version"] == 4
    assert view["reply"]["result_class"] == "A" and view["reply"]["label"] == "已经解决或基本解决"
    assert view["co_opinions"][0]["unit"]["id"] == "hn-enforcement"
    assert [t["action"] for t in view["history"][-2:]] == ["co-opinion", None]
    assert published.types() == ["case.accepted", "case.co_opinion_sent", "case.replied"]
    assert published.wires[-1]["correlation_id"] and published.wires[-1]["payload"]["reply"]["text"] == "已修复顶棚"


def test_a_move_the_state_machine_refuses_changes_nothing(routing, store, published):
    error = refused(routing, "reply", {"text": "答复", "result_class": "A"}, LEAD)  # not signed yet
    assert error.code is ErrorCode.INVALID_TRANSITION and error.field == "status"
    assert store.cases.get(CASE_ID).version == 1 and published.wires == []


@pytest.mark.parametrize(
    ("action", "command", "key", "code", "field"),
    [
        ("reply", {"result_class": "A"}, LEAD, ErrorCode.INVALID, "text"),
        ("reply", {"text": "", "result_class": "A"}, LEAD, ErrorCode.INVALID, "text"),
        ("pause", {"note": "等待"}, LEAD, ErrorCode.INVALID, "reason"),
        ("pause", {"reason": "tea_break"}, LEAD, ErrorCode.INVALID, "reason"),
        ("return", {"reason": ""}, LEAD, ErrorCode.INVALID, "reason"),
        ("return", {"reason": "不属于本单位"}, CO, ErrorCode.FORBIDDEN, "unit"),
        ("co-opinion", {"text": "意见"}, LEAD, ErrorCode.FORBIDDEN, "unit"),
        ("decide-extension", {"approve": True}, LEAD, ErrorCode.FORBIDDEN, "role"),
        ("assign", {"lead_unit": "tx-transport"}, STATION, ErrorCode.INVALID_TRANSITION, "status"),
        ("fly", {}, LEAD, ErrorCode.NOT_FOUND, "action"),
    ],
)
def test_bad_input_and_actors_who_may_not_act_are_refused_with_nothing_changed(
    routing, store, published, action, command, key, code, field
):
    error = refused(routing, action, command, key)
    assert (error.code, error.field) == (code, field)
    assert store.cases.get(CASE_ID).version == 1 and published.wires == []


def test_a_case_outside_the_keys_scope_is_not_found(routing):
    error = refused(
        routing, "return", {"reason": "x"}, actor(role="handler", unit="hn-transport", scope="330482").model_dump()
    )
    assert error.code is ErrorCode.NOT_FOUND and error.field == "case_id"


def test_a_stale_expected_version_is_a_conflict_with_the_current_state(routing, published):
    routing.accept_case(CASE_ID, {}, LEAD)
    error = refused(routing, "reply", {"text": "答复", "result_class": "A", "expected_version": 1}, LEAD)
    assert error.code is ErrorCode.CONFLICT and error.state["status"] == "accepted" and error.state["version"] == 2
    assert published.types() == ["case.accepted"]


def test_of_two_replies_racing_on_one_case_exactly_one_wins(routing, store, published, monkeypatch):
    """Two workers on one store: the first loads the case, the second replies meanwhile; the first's
    save then loses and answers 409 with the winner's reply."""
    routing.accept_case(CASE_ID, {}, LEAD)
    first, second = worker(store), worker(store)
    get, raced = store.cases.get, []

    def loaded_then_overtaken(key):
        case = get(key)
        if not raced:
            raced.append(key)  # the second worker's own load is not overtaken
            planned = {"text": "第二位的答复", "result_class": "B", "promised": [{"item": "改造", "by": "2027-03-31"}]}
            second.act_on_case(CASE_ID, "reply", planned, LEAD)
        return case

    monkeypatch.setattr(store.cases, "get", loaded_then_overtaken)
    with pytest.raises(ServiceError) as lost:
        first.act_on_case(CASE_ID, "reply", {"text": "第一位的答复", "result_class": "A"}, LEAD)
    monkeypatch.undo()

    assert lost.value.code is ErrorCode.CONFLICT and lost.value.state["status"] == "replied"
    assert lost.value.state["reply"]["text"] == "第二位的答复"
    stored = store.cases.get(CASE_ID)
    assert (stored.status, stored.reply.text, stored.version) == ("replied", "第二位的答复", 3)
    assert published.types() == ["case.accepted", "case.replied"]


def test_return_then_re_triage_and_reassignment_by_a_station_on_a_new_clock(routing, store, published):
    act(routing, "return", {"reason": "不属于本单位职责"}, LEAD)
    assert refused(routing, "assign", {"lead_unit": "tx-transport"}, STATION).field == "lead_unit"
    assert refused(routing, "assign", {"lead_unit": "ghost"}, STATION).field == "lead_unit"

    view = act(routing, "assign", {"lead_unit": "hn-housing", "co_units": ["hn-enforcement"]}, STATION)
    assert view["status"] == "assigned" and view["lead_unit"]["id"] == "hn-housing"
    assert [t["status"] for t in view["history"][-3:]] == ["returned", "triaged", "assigned"]
    assert view["history"][-1]["actor"] == "station:01KEY"
    assert view["due_date"] == WorkingCalendar().add_working_days(local_today(), 15).due_date.isoformat()
    assert view["co_due_date"] == WorkingCalendar().add_working_days(local_today(), 10).due_date.isoformat()
    assert published.types() == ["case.returned", "case.assigned"]
    assert published.wires[-1]["payload"]["lead_unit"]["id"] == "hn-housing"


def test_extension_pause_resume_progress_and_meetings_on_the_real_store(routing, store, published):
    routing.accept_case(CASE_ID, {}, LEAD)
    due = store.cases.get(CASE_ID).due_date
    act(routing, "record-progress", {"note": "已现场查看"}, LEAD)
    meeting = {"stage": "before", "on": "2026-11-24", "form": "座谈", "participants": ["王科长"], "met": "citizen",
               "met_name": "张三"}  # fmt: skip
    act(routing, "record-meeting", meeting, CO)
    act(routing, "request-extension", {"reason": "等待规划批复", "working_days": 5}, LEAD)
    view = act(routing, "decide-extension", {"approve": True}, SUPERVISOR)
    extended = WorkingCalendar().add_working_days(due, 5).due_date
    assert view["due_date"] == extended.isoformat() and view["extensions"][0]["status"] == "approved"

    act(routing, "pause", {"reason": "waiting_for_citizen"}, STATION)
    view = act(routing, "resume", {}, LEAD)  # same day: no working day stood still
    assert view["due_date"] == extended.isoformat() and view["paused"] is None
    assert published.types() == [
        "case.accepted",
        "case.progress_recorded",
        "case.meeting_recorded",
        "case.extension_requested",
        "case.extension_decided",
        "case.paused",
        "case.resumed",
    ]
    meeting_event = published.wires[2]["payload"]
    assert "张三" not in str(meeting_event) and "participants" not in meeting_event


def test_a_county_day_off_is_not_counted_as_paused(routing, store):
    routing.accept_case(CASE_ID, {}, LEAD)
    act(routing, "pause", {"reason": "statutory_suspension"}, LEAD)
    case = store.cases.get(CASE_ID)
    since = datetime.now(UTC) - timedelta(days=14)
    # paused two weeks ago, so received before that: a county's days off count from the receipt on
    paused = case.paused.model_copy(update={"since": since})
    store.cases.save(case.model_copy(update={"paused": paused, "received_at": since - timedelta(days=1)}))
    start = since.astimezone().date()
    off = WorkingCalendar().add_working_days(start, 1).due_date
    routing.set_calendar_day({"division": "330481", "day": off.isoformat(), "workday": False, "reason": "防汛"})

    view = act(routing, "resume", {}, LEAD)
    stopped = view["history"][-1]["reason"]
    calendar = WorkingCalendar({off: False})
    expected = sum(
        calendar.is_workday(start + timedelta(days=d))[0] for d in range(1, (local_today() - start).days + 1)
    )
    assert f"暂停 {expected} 个工作日" in stopped
    assert view["due_date"] == calendar.add_working_days(case.due_date, expected).due_date.isoformat()


# ---- the read models: intake's citizen view and supervision's deadline watch ----


@pytest.fixture
def intake(mongo_db):
    store = IntakeStore(mongo_db, Publications())
    store.ensure_indexes()
    service = worker_factory(IntakeService, store=store)
    service.submit_opinion(submit_opinion().envelope("330481001", "c").wire())
    service.on_case_assigned(case_assigned().envelope("330481001", "c").wire())
    return service


@pytest.fixture
def supervision(mongo_db):
    store = SupervisionStore(mongo_db, Publications())
    store.ensure_indexes()
    service = worker_factory(SupervisionService, store=store)
    service.on_case_assigned(case_assigned(due_date=date(2026, 1, 5)).envelope("330481001", "c").wire())
    return service


def deliver(service, published: Publications, start: int = 0) -> None:
    """Hands routing's events to the service's consumers of them, twice each (a redelivery)."""
    for wire in published.wires[start:]:
        method = getattr(service, "on_" + wire["type"].replace(".", "_"), None)
        for _ in range(2):
            if method is not None:
                method(wire)


def test_the_citizen_sees_each_state_the_due_date_and_the_reply_but_no_internal_note(routing, intake, published):
    act(routing, "pause", {"reason": "waiting_for_citizen", "note": "内部备注：材料不全"}, LEAD)
    deliver(intake, published)
    assert intake.public_view(CASE_ID)["paused"] is True
    act(routing, "resume", {}, LEAD)
    routing.accept_case(CASE_ID, {}, LEAD)
    act(routing, "record-progress", {"note": "内部进展：已约谈"}, LEAD)
    act(routing, "co-opinion", {"text": "协办意见：同意"}, CO)
    act(routing, "reply", {"text": "已修复顶棚", "result_class": "A"}, LEAD)
    deliver(intake, published, 1)

    view = intake.public_view(CASE_ID)
    assert view["status"] == "replied" and view["paused"] is False
    assert (view["reply"]["text"], view["reply"]["result_class"], view["reply"]["label"]) == (
        "已修复顶棚", "A", "已经解决或基本解决",
    )  # fmt: skip
    shown = str(view)
    assert "内部" not in shown and "协办意见" not in shown and "已约谈" not in shown
    assert [t["status"] for t in view["history"]][-1] == "replied"

    act(routing, "close", {"reason": "群众满意"}, SUPERVISOR)
    deliver(intake, published, len(published.wires) - 1)
    assert intake.public_view(CASE_ID)["status"] == "closed"


def test_the_citizen_sees_a_return_and_an_extended_due_date(routing, intake, published):
    routing.accept_case(CASE_ID, {}, LEAD)
    act(routing, "request-extension", {"reason": "等待批复", "working_days": 5}, LEAD)
    view = act(routing, "decide-extension", {"approve": True, "note": "内部：特批"}, SUPERVISOR)
    act(routing, "return", {"reason": "内部：职责不清"}, LEAD)
    deliver(intake, published)
    seen = intake.public_view(CASE_ID)
    assert seen["status"] == "returned" and seen["lead_unit"] is None and seen["due_date"] is None
    assert any(view["due_date"] in t["reason"] for t in seen["history"])
    assert "内部" not in str(seen)


def test_supervision_moves_the_due_date_and_stops_counting_a_replied_case(routing, supervision, published):
    assert supervision.deadlines("330481", overdue_only=True)["items"]  # due 2026-01-05, long past
    act(routing, "pause", {"reason": "waiting_for_citizen"}, LEAD)
    deliver(supervision, published)
    assert supervision.deadlines("330481", overdue_only=True)["items"] == []  # the clock stands still
    act(routing, "resume", {}, LEAD)
    routing.accept_case(CASE_ID, {}, LEAD)
    act(routing, "request-extension", {"reason": "r", "working_days": 5}, LEAD)
    view = act(routing, "decide-extension", {"approve": True}, SUPERVISOR)
    deliver(supervision, published, 1)
    (watched,) = supervision.deadlines("330481")["items"]
    assert watched["due_date"] == view["due_date"]

    act(routing, "record-meeting", {"stage": "during", "on": "2026-11-24", "form": "电话", "participants": ["李"],
                                    "met": "deputy"}, LEAD)  # fmt: skip
    act(routing, "reply", {"text": "已修复", "result_class": "A"}, LEAD)
    deliver(supervision, published, 5)
    stored = supervision.store.cases.get(CASE_ID)
    assert (stored.status, stored.meetings, stored.extension_pending) == ("replied", 1, False)
    assert supervision.deadlines("330481", overdue_only=True)["items"] == []


def triaged(store, division: str = "330481001") -> None:
    """The case waiting at triage (no rule matched)."""
    case = store.cases.get(CASE_ID)
    store.cases.save(
        case.model_copy(
            update={
                "status": CaseStatus.TRIAGED,
                "division": division,
                "lead_unit": None,
                "co_units": [],
                "due_date": None,
            }
        )
    )


def test_escalation_puts_the_case_in_the_parent_divisions_queue(routing, store, intake, published):
    triaged(store)
    view = act(routing, "escalate", {"reason": "涉及多个镇街，需市级协调"}, STATION)
    assert (view["status"], view["division"]) == ("escalated", "330481")
    assert "330481001" in view["history"][-1]["reason"] and "330481" in view["history"][-1]["reason"]
    assert [c["case_id"] for c in routing.find_cases({"division": "330481"}, EVERYWHERE)["items"]] == [CASE_ID]
    assert refused(routing, "assign", {"lead_unit": "hn-housing"}, STATION).code is ErrorCode.NOT_FOUND  # not its queue

    county = actor(role="station", scope="330481", label="海宁市人大联络中心").model_dump()
    assigned = act(routing, "assign", {"lead_unit": "hn-housing"}, county)
    assert [t["status"] for t in assigned["history"][-3:]] == ["escalated", "triaged", "assigned"]
    deliver(intake, published)
    seen = intake.public_view(CASE_ID)
    assert [t["status"] for t in seen["history"]][-3:] == ["escalated", "triaged", "assigned"]
    assert "330481" in seen["history"][-3]["reason"] and "多个镇街" not in str(seen)
    assert seen["lead_unit"]["id"] == "hn-housing"


def test_a_station_answers_on_the_spot_and_the_citizen_reads_the_answer(routing, store, intake, published):
    triaged(store)
    view = act(routing, "answer-on-the-spot", {"text": "已当场解释公交线路调整政策"}, STATION)
    assert view["status"] == "closed" and view["reply"]["unit"]["name"] == "许村镇联络站"
    deliver(intake, published)
    seen = intake.public_view(CASE_ID)
    assert seen["status"] == "closed" and seen["reply"]["text"] == "已当场解释公交线路调整政策"
    assert published.types() == ["case.closed"]


def test_a_reassignment_follows_the_divisions_deadline_policy_and_refuses_a_deactivated_unit(routing):
    routing.set_deadline_policies({"division": "330481", "citizen": {"kind": "working_days", "amount": 10}})
    routing.deactivate_unit("hn-enforcement", actor(role="admin", scope="").model_dump())
    act(routing, "return", {"reason": "不属于本单位职责"}, LEAD)

    gone = refused(routing, "assign", {"lead_unit": "hn-housing", "co_units": ["hn-enforcement"]}, STATION)
    assert (gone.code, gone.field) == (ErrorCode.INVALID, "co_units")
    view = act(routing, "assign", {"lead_unit": "hn-housing"}, STATION)
    assert view["due_date"] == WorkingCalendar().add_working_days(local_today(), 10).due_date.isoformat()
    assert "10 个工作日" in view["history"][-1]["reason"]


MALONG = {
    "classes": [
        {"code": "A", "label": "已解决或正在解决", "completed": True, "resolved": True},
        {"code": "b", "label": "计划解决", "completed": False, "resolved": False, "planned": True},
    ]
}


def test_a_divisions_own_result_scheme_governs_its_replies(routing):
    assert [c["code"] for c in routing.result_scheme("330481001")["classes"]] == ["A", "B", "C", "D"]
    assert routing.set_result_scheme("330481", MALONG)["classes"][1]["code"] == "B"
    scheme = routing.result_scheme("330481001")
    assert scheme["division"] == "330481" and [c["code"] for c in scheme["classes"]] == ["A", "B"]
    assert routing.result_scheme("330482")["division"] == ""  # the national default

    routing.accept_case(CASE_ID, {}, LEAD)
    assert refused(routing, "reply", {"text": "以后解决", "result_class": "C"}, LEAD).field == "result_class"
    assert refused(routing, "reply", {"text": "计划解决", "result_class": "B"}, LEAD).field == "promised"
    planned = {"text": "计划明年改造", "result_class": "B", "promised": [{"item": "站台改造", "by": "2027-06-30"}]}
    view = act(routing, "reply", planned, LEAD)
    assert (view["reply"]["label"], view["reply"]["completed"], view["reply"]["resolved"]) == ("计划解决", False, False)


def test_a_scheme_with_a_repeated_class_is_refused(routing):
    twice = {"classes": [MALONG["classes"][0], {**MALONG["classes"][1], "code": "a"}]}
    with pytest.raises(ServiceError) as invalid:
        routing.set_result_scheme("330481", twice)
    assert invalid.value.code is ErrorCode.INVALID and invalid.value.field == "classes"
