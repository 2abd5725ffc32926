"""征求拟办单位意见 on the real store: two rounds, the answers kept on the case and shown in its
detail, refusals that change nothing, and notify's inboxes fed by the events (once each)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from nameko.testing.services import worker_factory

from contracts.errors import ErrorCode, ServiceError
from contracts.routing import Transition, UnitRef
from contracts.vocabulary import CaseStatus
from infra.clock import local_today
from services.notify.service import NotifyService
from services.notify.store import InboxStore
from services.routing.case import Case
from services.routing.store import RoutingStore
from tests.factories import Publications, actor
from tests.service.test_routing_actions import CASE_ID, LEAD, STATION, UNITS, act, worker

HOUSING = actor(role="handler", unit="hn-housing").model_dump()
REPLY_BY = (local_today() + timedelta(days=3)).isoformat()
ASK = {"units": ["hn-transport", "hn-housing"], "question": "拟交由贵单位办理，是否同意？", "reply_by": REPLY_BY}


@pytest.fixture
def published():
    return Publications()


@pytest.fixture
def store(mongo_db, published):
    store = RoutingStore(mongo_db, published)
    store.ensure_indexes()
    return store


def case_in(status: CaseStatus, **fields) -> Case:
    now = datetime.now(UTC)
    return Case(
        case_id=CASE_ID,
        case_number="330481-2026-000123",
        division="330481001",
        channel="web",
        content="文苑路公交站台的顶棚坏了",
        status=status,
        received_at=now,
        history=[Transition(status=status, at=now, actor="routing", reason="无匹配的分办规则，待人工分办")],
        **fields,
    )


@pytest.fixture
def waiting(store):
    """The case at triage, no rule having matched it."""
    service = worker(store)
    for unit in UNITS:
        service.register_unit(unit)
    store.cases.add(case_in(CaseStatus.TRIAGED), [], "corr-setup")
    return service


@pytest.fixture
def assigned(store):
    service = worker(store)
    lead = UnitRef(id="hn-transport", name="海宁市交通运输局")
    store.cases.add(case_in(CaseStatus.ASSIGNED, lead_unit=lead, due_date=date(2026, 12, 14)), [], "corr-setup")
    return service


def refused(service, action: str, command: dict, key: dict) -> ServiceError:
    with pytest.raises(ServiceError) as raised:
        act(service, action, command, key)
    return raised.value


def test_two_rounds_of_consultation_then_assignment_kept_on_the_case(waiting, store, published):
    first = act(waiting, "consult", ASK, STATION)
    act(waiting, "consultation-answer", {"agree": False, "reason": "非本单位职责"}, HOUSING)
    act(waiting, "consultation-answer", {"agree": True, "reason": "同意主办"}, LEAD)
    second = act(waiting, "consult", {**ASK, "units": ["hn-transport"], "expected_version": 4}, STATION)
    assert first["consultations"][0]["round"] == 1
    assert [r["round"] for r in second["consultations"]] == [1, 2]

    detail = waiting.case_detail(CASE_ID, STATION)
    answers = detail["consultations"][0]["answers"]
    assert [(a["unit"]["id"], a["agree"], a["reason"]) for a in answers] == [
        ("hn-housing", False, "非本单位职责"),
        ("hn-transport", True, "同意主办"),
    ]
    assert detail["consultations"][1]["answers"] == [] and detail["status"] == "triaged"
    actions = ["consult", "consultation-answer", "consultation-answer", "consult"]
    assert [t["action"] for t in detail["history"][-4:]] == actions
    assert published.types() == [
        "case.consultation_requested",
        "case.consultation_answered",
        "case.consultation_answered",
        "case.consultation_requested",
    ]

    act(waiting, "assign", {"lead_unit": "hn-transport"}, STATION)
    late = refused(waiting, "consultation-answer", {"agree": True, "reason": "同意"}, LEAD)
    assert (late.code, late.field) == (ErrorCode.INVALID_TRANSITION, "status")
    assert store.cases.get(CASE_ID).consultations[1].answers == []


@pytest.mark.parametrize(
    ("action", "command", "key", "code", "field"),
    [
        ("consult", {**ASK, "units": []}, STATION, ErrorCode.INVALID, "units"),
        ("consult", {**ASK, "units": ["tx-transport"]}, STATION, ErrorCode.INVALID, "units"),
        ("consult", {**ASK, "units": ["no-such-unit"]}, STATION, ErrorCode.INVALID, "units"),
        ("consult", {**ASK, "reply_by": "2020-01-01"}, STATION, ErrorCode.INVALID, "reply_by"),
        ("consult", {**ASK, "question": ""}, STATION, ErrorCode.INVALID, "question"),
        ("consult", ASK, LEAD, ErrorCode.FORBIDDEN, "role"),
        ("consultation-answer", {"agree": True, "reason": "同意"}, LEAD, ErrorCode.FORBIDDEN, "unit"),
    ],
)
def test_bad_input_and_those_who_may_not_act_change_nothing(
    waiting, store, published, action, command, key, code, field
):
    before = store.cases.get(CASE_ID).version
    error = refused(waiting, action, command, key)
    assert (error.code, error.field) == (code, field)
    assert store.cases.get(CASE_ID).version == before and published.wires == []


def test_an_asked_unit_answers_a_round_once_and_a_unit_not_asked_is_refused(waiting, published):
    act(waiting, "consult", {**ASK, "units": ["hn-housing"]}, STATION)
    not_asked = refused(waiting, "consultation-answer", {"agree": True, "reason": "同意"}, LEAD)
    assert (not_asked.code, not_asked.field) == (ErrorCode.FORBIDDEN, "unit")
    act(waiting, "consultation-answer", {"agree": True, "reason": "同意"}, HOUSING)
    again = refused(waiting, "consultation-answer", {"agree": False, "reason": "改变主意"}, HOUSING)
    assert again.code is ErrorCode.INVALID_TRANSITION and len(published.wires) == 2


def test_consulting_an_assigned_case_is_refused(assigned):
    error = refused(assigned, "consult", ASK, STATION)
    assert (error.code, error.field) == (ErrorCode.INVALID_TRANSITION, "status")


def test_notify_asks_the_units_then_tells_the_station_once_each(waiting, mongo_db, published):
    inbox = InboxStore(mongo_db, Publications())
    inbox.ensure_indexes()
    notify = worker_factory(NotifyService, store=inbox)
    act(waiting, "consult", ASK, STATION)
    act(waiting, "consultation-answer", {"agree": False, "reason": "非本单位职责"}, HOUSING)
    for wire in published.wires:
        for _ in range(2):  # a redelivery
            getattr(notify, "on_" + wire["type"].replace(".", "_"))(wire)

    (asked,) = notify.inbox("unit:hn-housing", "330481")["items"]
    assert asked["title"] == "征求拟办单位意见" and REPLY_BY in asked["body"] and asked["case_id"] == CASE_ID
    assert len(notify.inbox("unit:hn-transport", "330481")["items"]) == 1
    (answered,) = notify.inbox("station:330481001", "330481")["items"]
    assert "不同意" in answered["body"] and "海宁市住房和城乡建设局" in answered["body"]


def test_a_station_outside_the_cases_division_finds_no_case_to_consult(waiting, published):
    elsewhere = actor(role="station", scope="330482").model_dump()
    error = refused(waiting, "consult", ASK, elsewhere)
    assert (error.code, error.field) == (ErrorCode.NOT_FOUND, "case_id") and published.wires == []
