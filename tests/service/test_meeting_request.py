"""约见请求 end to end on the real stores: the lead unit asks through routing (and only it, only on a
signed or reopened case, only for a date not yet past), the event carries the meeting, and notify puts
"约见请求" in the deputy's inbox once, whatever the redeliveries."""

from datetime import UTC, datetime, timedelta

import pytest
from nameko.testing.services import worker_factory

from contracts.errors import ErrorCode, ServiceError
from contracts.intake.opinions import Receiver, ReceiverKind
from contracts.routing import Transition, UnitRef
from contracts.vocabulary import CaseStatus
from infra.clock import local_today
from services.notify.service import NotifyService
from services.notify.store import InboxStore
from services.routing.case import Case
from services.routing.service import RoutingService
from services.routing.store import RoutingStore
from tests.factories import Publications, actor, opinion_received

CASE_ID = "7K3P-9XTA-2MQD"
LEAD = actor(role="handler", unit="hn-transport").model_dump()
TRANSPORT = UnitRef(id="hn-transport", name="海宁市交通运输局")
UNITS = [
    {"id": "hn-transport", "name": "海宁市交通运输局", "division": "330481"},
    {"id": "hn-enforcement", "name": "海宁市综合行政执法局", "division": "330481"},
    {"id": "tx-transport", "name": "桐乡市交通运输局", "division": "330483"},
]
REFUSED_KEYS = [
    ("co-unit", actor(role="handler", unit="hn-enforcement"), ErrorCode.FORBIDDEN),
    ("other unit", actor(role="handler", unit="hn-housing"), ErrorCode.FORBIDDEN),
    ("station", actor(role="station", scope="330481001"), ErrorCode.FORBIDDEN),
    ("supervisor", actor(role="supervisor"), ErrorCode.FORBIDDEN),
    ("deputy", actor(role="deputy", scope="330481001", deputy="deputy-zhang-wei"), ErrorCode.FORBIDDEN),
    ("out of scope", actor(role="handler", scope="330483", unit="tx-transport"), ErrorCode.NOT_FOUND),
]


def request(days_ahead: int = 3, **overrides) -> dict:
    on = (local_today() + timedelta(days=days_ahead)).isoformat()
    return {
        "stage": "during",
        "on": on,
        "place": "交通运输局 302 会议室",
        "note": "听取代表对维修方案的意见",
        **overrides,
    }


@pytest.fixture
def published():
    return Publications()


@pytest.fixture
def store(mongo_db, published):
    store = RoutingStore(mongo_db, published)
    store.ensure_indexes()
    return store


def routing_with(store, status: CaseStatus, deputy: str | None = None):
    service = worker_factory(RoutingService, store=store)
    for unit in UNITS:
        service.register_unit(unit)
    now = datetime.now(UTC)
    case = Case(
        case_id=CASE_ID,
        division="330481001",
        channel="web",
        content="文苑路公交站台的顶棚坏了",
        status=status,
        received_at=now,
        lead_unit=TRANSPORT,
        co_units=[UnitRef(id="hn-enforcement", name="海宁市综合行政执法局")],
        assigned_at=now,
        history=[Transition(status=status, at=now, actor="routing")],
        deputy=deputy,
    )
    store.cases.add(case, [], "corr-setup")
    return service


@pytest.fixture
def notify(mongo_db):
    store = InboxStore(mongo_db, Publications())
    store.ensure_indexes()
    return worker_factory(NotifyService, store=store)


def refused(routing, command: dict, key: dict) -> ServiceError:
    with pytest.raises(ServiceError) as raised:
        routing.act_on_case(CASE_ID, "request-meeting", command, key)
    return raised.value


@pytest.mark.parametrize("status", [CaseStatus.ACCEPTED, CaseStatus.REOPENED])
def test_the_lead_unit_asks_and_the_case_keeps_it_with_one_event(store, published, status):
    routing = routing_with(store, status, deputy="deputy-li-na")
    view = routing.act_on_case(CASE_ID, "request-meeting", request(expected_version=1), LEAD)

    assert view["status"] == status and view["version"] == 2
    (asked,) = view["meeting_requests"]
    assert (asked["stage"], asked["place"], asked["unit"]["id"]) == ("during", "交通运输局 302 会议室", "hn-transport")
    step = view["history"][-1]
    assert step["action"] == "request-meeting" and step["actor"] == "unit:hn-transport" and "办中约见" in step["reason"]
    (wire,) = published.wires
    assert wire["type"] == "case.meeting_requested" and wire["version"] == 1
    payload = wire["payload"]
    assert (payload["deputy"], payload["stage_label"], payload["on"]) == ("deputy-li-na", "办中", request()["on"])
    assert "note" not in payload  # the unit's note stays in the case


@pytest.mark.parametrize(("who", "key", "code"), REFUSED_KEYS, ids=[who for who, _, _ in REFUSED_KEYS])
def test_anyone_but_the_lead_unit_is_refused_and_nothing_changes(store, published, who, key, code):
    routing = routing_with(store, CaseStatus.ACCEPTED)
    error = refused(routing, request(), key.model_dump())
    assert error.code is code
    assert store.cases.get(CASE_ID).version == 1 and published.wires == []


@pytest.mark.parametrize(
    ("status", "command", "code", "field"),
    [
        (CaseStatus.ACCEPTED, request(days_ahead=-1), ErrorCode.INVALID, "on"),
        (CaseStatus.ACCEPTED, request(stage="someday"), ErrorCode.INVALID, "stage"),
        (CaseStatus.ACCEPTED, request(place=""), ErrorCode.INVALID, "place"),
        (CaseStatus.ASSIGNED, request(), ErrorCode.INVALID_TRANSITION, "status"),  # not signed yet
        (CaseStatus.REPLIED, request(), ErrorCode.INVALID_TRANSITION, "status"),
    ],
)
def test_a_refused_request_names_the_field_and_changes_nothing(store, published, status, command, code, field):
    routing = routing_with(store, status)
    error = refused(routing, command, LEAD)
    assert error.code is code and field in error.field
    assert store.cases.get(CASE_ID).version == 1 and published.wires == []


def test_today_is_a_proposed_date_allowed(store):
    routing = routing_with(store, CaseStatus.ACCEPTED)
    view = routing.act_on_case(CASE_ID, "request-meeting", request(days_ahead=0), LEAD)
    assert view["meeting_requests"][0]["on"] == local_today().isoformat()


def inbox(notify, recipient: str) -> list[dict]:
    return notify.inbox(recipient, "330481")["items"]


def test_the_deputy_who_received_the_item_hears_once_however_often_it_is_delivered(store, published, notify):
    received = opinion_received(receiver=Receiver(kind=ReceiverKind.DEPUTY, id="deputy-zhang-wei", name="张伟"))
    notify.on_opinion_received(received.envelope("330481001", "corr-received").wire())
    routing = routing_with(store, CaseStatus.ACCEPTED)
    routing.act_on_case(CASE_ID, "request-meeting", request(), LEAD)
    (wire,) = published.wires

    notify.on_case_meeting_requested(wire)
    notify.on_case_meeting_requested(wire)  # a redelivery

    (note,) = [n for n in inbox(notify, "deputy:deputy-zhang-wei") if n["kind"] == "case.meeting_requested"]
    assert note["title"] == "约见请求" and note["case_id"] == CASE_ID
    assert "海宁市交通运输局" in note["body"] and "办中约见" in note["body"]
    assert request()["on"] in note["body"] and "交通运输局 302 会议室" in note["body"]
    assert inbox(notify, "unit:hn-transport") == []


def test_a_suggestions_lead_deputy_hears_from_the_event_itself(store, published, notify):
    routing = routing_with(store, CaseStatus.ACCEPTED, deputy="deputy-li-na")
    routing.act_on_case(CASE_ID, "request-meeting", request(stage="before"), LEAD)
    notify.on_case_meeting_requested(published.wires[0])

    (note,) = inbox(notify, "deputy:deputy-li-na")
    assert note["title"] == "约见请求" and "办前约见" in note["body"]


def test_a_case_without_a_deputy_tells_nobody(store, published, notify, mongo_db):
    routing = routing_with(store, CaseStatus.ACCEPTED)
    routing.act_on_case(CASE_ID, "request-meeting", request(), LEAD)
    notify.on_case_meeting_requested(published.wires[0])
    assert mongo_db["inbox"].count_documents({"kind": "case.meeting_requested"}) == 0
