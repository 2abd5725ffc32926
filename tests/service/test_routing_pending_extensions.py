"""`extension=pending` on routing's `find_cases`, on the real store: a unit's request puts its case on
the supervisor's list of 延期审批, the decision takes it off, and the list keeps to the caller's scope."""

from datetime import UTC, datetime, timedelta

import pytest
from nameko.testing.services import worker_factory

from contracts.errors import ErrorCode, ServiceError
from contracts.routing import UnitRef
from contracts.vocabulary import CaseStatus
from infra.clock import local_today
from services.routing.case import Case
from services.routing.service import RoutingService
from services.routing.store import RoutingStore
from tests.factories import Publications, actor

TRANSPORT = UnitRef(id="hn-transport", name="海宁市交通运输局")
PINGHU = UnitRef(id="ph-transport", name="平湖市交通运输局")
LEAD = actor(role="handler", unit="hn-transport").model_dump()
PINGHU_LEAD = actor(role="handler", unit="ph-transport", scope="330482").model_dump()
SUPERVISOR = actor(role="supervisor").model_dump()
EVERYWHERE = actor(role="admin", scope="").model_dump()


def assigned(case_id: str, division: str, unit: UnitRef, age_minutes: int) -> Case:
    now = datetime.now(UTC)
    return Case(
        case_id=case_id,
        division=division,
        channel="web",
        content="公交站台的顶棚坏了",
        status=CaseStatus.ACCEPTED,
        received_at=now - timedelta(minutes=age_minutes),
        lead_unit=unit,
        assigned_at=now,
        due_date=local_today() + timedelta(days=20),
        history=[],
    )


@pytest.fixture
def routing(mongo_db):
    store = RoutingStore(mongo_db, Publications())
    store.ensure_indexes()
    for case in (
        assigned("HN-1", "330481001", TRANSPORT, 1),
        assigned("HN-2", "330481002", TRANSPORT, 2),
        assigned("PH-1", "330482001", PINGHU, 3),
    ):
        store.cases.add(case)
    return worker_factory(RoutingService, store=store)


def pending(routing, caller) -> list[str]:
    return [case["case_id"] for case in routing.find_cases({"extension": "pending"}, caller)["items"]]


def request_extension(routing, case_id: str, unit_key: dict) -> None:
    command = {"reason": "需等待规划调整批复", "working_days": 10}
    routing.act_on_case(case_id, "request-extension", command, unit_key)


def test_a_request_lists_its_case_until_a_supervisor_decides(routing):
    assert pending(routing, SUPERVISOR) == []
    request_extension(routing, "HN-2", LEAD)
    request_extension(routing, "HN-1", LEAD)
    found = routing.find_cases({"extension": "pending"}, SUPERVISOR)["items"]
    assert [case["case_id"] for case in found] == ["HN-1", "HN-2"]  # newest first
    assert found[0]["extensions"][-1]["status"] == "pending" and found[0]["extensions"][-1]["working_days"] == 10

    routing.act_on_case("HN-1", "decide-extension", {"approve": True, "note": "同意"}, SUPERVISOR)
    assert pending(routing, SUPERVISOR) == ["HN-2"]  # an approved request is no longer pending
    routing.act_on_case("HN-2", "decide-extension", {"approve": False}, SUPERVISOR)
    assert pending(routing, SUPERVISOR) == []
    request_extension(routing, "HN-2", LEAD)  # asked again after a refusal: pending again
    assert pending(routing, SUPERVISOR) == ["HN-2"]


def test_the_list_keeps_to_the_callers_scope_and_other_filters(routing):
    request_extension(routing, "HN-1", LEAD)
    request_extension(routing, "PH-1", PINGHU_LEAD)
    assert pending(routing, SUPERVISOR) == ["HN-1"]  # 平湖's request is not the 海宁 supervisor's
    assert pending(routing, actor(role="supervisor", scope="330482").model_dump()) == ["PH-1"]
    assert pending(routing, EVERYWHERE) == ["HN-1", "PH-1"]
    query = {"extension": "pending", "division": "330481002"}
    assert routing.find_cases(query, SUPERVISOR)["items"] == []
    with pytest.raises(ServiceError) as refused:
        routing.find_cases({"extension": "pending", "division": "330482"}, SUPERVISOR)
    assert refused.value.code is ErrorCode.FORBIDDEN and refused.value.field == "division"


def test_an_unknown_extension_state_is_refused_naming_the_field(routing):
    with pytest.raises(ServiceError) as refused:
        routing.find_cases({"extension": "approved"}, SUPERVISOR)
    assert refused.value.code is ErrorCode.INVALID and refused.value.field == "extension"


def test_the_pending_cases_have_their_own_index(routing, mongo_db):
    keys = {tuple(index["key"].items()) for index in mongo_db["cases"].list_indexes()}
    assert (("extensions.status", 1), ("received_at", -1), ("_id", -1)) in keys
