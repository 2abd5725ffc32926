"""满意度测评 on the real store: supervision records once, routing reopens on unsatisfied, intake
proves the submitter and shows the rating."""

from datetime import timedelta

import pytest
from nameko.testing.services import worker_factory

from contracts.envelope import Envelope
from contracts.errors import ErrorCode, ServiceError
from contracts.routing import CaseReopened, CaseReplied
from contracts.supervision import EvaluationRecorded
from infra.clock import utc_now
from infra.pii import PiiCipher
from infra.settings import DEV_PII_KEY
from services.intake.service import IntakeService
from services.intake.store import IntakeStore
from services.routing import handlers
from services.routing.service import RoutingService
from services.routing.store import RoutingStore
from services.supervision.service import SupervisionService
from services.supervision.store import SupervisionStore
from tests.factories import (
    Publications,
    actor,
    case_assigned,
    case_event,
    evaluation_recorded,
    opinion_received,
    submit_opinion,
)

CASE = "7K3P-9XTA-2MQD"
SUGGESTION = "JY-2026-0001"
LEAD_DEPUTY = "deputy-zhang-wei"  # the suggestion's lead deputy, named by its key
DEPUTY = actor(role="deputy", scope="330481", deputy=LEAD_DEPUTY).model_dump()
ADDRESS = "203.0.113.7"
UNIT = {"key_id": "k-unit", "role": "handler", "scope": "330481", "unit": "hn-transport"}


def wire(message) -> dict:
    return message.envelope("330481001", "corr-eval").wire()


@pytest.fixture
def published():
    return Publications()


@pytest.fixture
def supervision(mongo_db, published):
    store = SupervisionStore(mongo_db, published)
    store.ensure_indexes()
    return worker_factory(SupervisionService, store=store)


def replied(supervision, case_id: str) -> None:
    deputy = LEAD_DEPUTY if case_id == SUGGESTION else None
    supervision.on_case_assigned(wire(case_assigned(case_id=case_id, deputy=deputy)))
    supervision.on_case_replied(wire(case_event(CaseReplied, case_id=case_id)))


def test_the_deputy_evaluates_a_replied_suggestion_once(supervision, published):
    replied(supervision, SUGGESTION)
    view = supervision.evaluate_case(SUGGESTION, {"rating": "unsatisfied", "comment": "路灯仍未修复"}, DEPUTY)
    assert (view["rating"], view["round"], view["evaluator_kind"]) == ("unsatisfied", 1, "deputy")
    events = [Envelope.model_validate(w) for w in published.wires]
    assert [(e.type, e.payload["rating"], e.payload["case_id"]) for e in events] == [
        ("evaluation.recorded", "unsatisfied", SUGGESTION)
    ]
    with pytest.raises(ServiceError) as again:
        supervision.evaluate_case(SUGGESTION, {"rating": "satisfied"}, DEPUTY)
    assert (again.value.code, again.value.field) == (ErrorCode.CONFLICT, "evaluation")
    assert len(published.wires) == 1


def test_a_case_not_yet_replied_cannot_be_evaluated(supervision, published):
    supervision.on_case_assigned(wire(case_assigned(case_id=SUGGESTION, deputy=LEAD_DEPUTY)))
    with pytest.raises(ServiceError) as refused:
        supervision.evaluate_case(SUGGESTION, {"rating": "satisfied"}, DEPUTY)
    assert refused.value.code is ErrorCode.INVALID_TRANSITION
    assert published.wires == []


def test_outside_the_deputys_scope_the_case_does_not_exist(supervision):
    replied(supervision, SUGGESTION)
    with pytest.raises(ServiceError) as refused:
        supervision.evaluate_case(SUGGESTION, {"rating": "satisfied"}, {**DEPUTY, "scope": "330482"})
    assert refused.value.code is ErrorCode.NOT_FOUND


def test_an_unknown_rating_names_the_field(supervision):
    replied(supervision, SUGGESTION)
    with pytest.raises(ServiceError) as refused:
        supervision.evaluate_case(SUGGESTION, {"rating": "great"}, DEPUTY)
    assert (refused.value.code, refused.value.field) == (ErrorCode.INVALID, "rating")


def test_the_citizen_evaluates_their_opinion_and_a_new_reply_can_be_evaluated_again(supervision):
    replied(supervision, CASE)
    assert supervision.evaluate_as_citizen(CASE, {"rating": "unsatisfied"})["round"] == 1
    supervision.on_case_reopened(wire(case_event(CaseReopened, case_id=CASE)))
    with pytest.raises(ServiceError):
        supervision.evaluate_as_citizen(CASE, {"rating": "satisfied"})  # reopened: not replied
    supervision.on_case_replied(wire(case_event(CaseReplied, case_id=CASE)))
    assert supervision.evaluate_as_citizen(CASE, {"rating": "satisfied"})["round"] == 2


@pytest.fixture
def routing(mongo_db, published):
    store = RoutingStore(mongo_db, published)
    store.ensure_indexes()
    service = worker_factory(RoutingService, store=store)
    service.register_unit({"id": "hn-transport", "name": "海宁市交通运输局", "division": "330481"})
    service.add_rule({"division": "330481", "keywords": ["公交"], "lead_unit": "hn-transport"})
    service.on_opinion_received(wire(opinion_received()))
    service.accept_case(CASE, {}, UNIT)
    service.act_on_case(CASE, "reply", {"text": "已修复顶棚", "result_class": "A"}, UNIT)
    return service


def test_routing_reopens_an_unsatisfied_case_on_a_new_deadline_once(routing, published):
    before = routing.case_detail(CASE, actor(role="admin", scope="").model_dump())
    message = wire(evaluation_recorded())
    envelope, event = EvaluationRecorded.from_wire(message)
    later = utc_now() + timedelta(days=30)  # evaluated a month after the reply
    handlers.apply_evaluation(routing.store, event, envelope, later)
    sent = len(published.wires)
    handlers.apply_evaluation(routing.store, event, envelope, later + timedelta(days=1))
    routing.on_evaluation_recorded(message)
    assert len(published.wires) == sent

    case = routing.case_detail(CASE, actor(role="admin", scope="").model_dump())
    assert case["status"] == "reopened"
    assert case["due_date"] > before["due_date"]
    assert case["lead_unit"] == before["lead_unit"]
    reopened = [Envelope.model_validate(w) for w in published.wires if w["type"] == "case.reopened"]
    assert len(reopened) == 1 and reopened[0].payload["due_date"] == case["due_date"]
    assert [t["status"] for t in case["history"]][-2:] == ["evaluated", "reopened"]


def test_a_satisfied_evaluation_leaves_the_case_evaluated(routing, published):
    routing.on_evaluation_recorded(wire(evaluation_recorded(rating="satisfied")))
    case = routing.case_detail(CASE, actor(role="admin", scope="").model_dump())
    assert case["status"] == "evaluated"
    assert "case.reopened" not in [w["type"] for w in published.wires]


@pytest.fixture
def intake(mongo_db, published):
    store = IntakeStore(mongo_db, published)
    store.ensure_indexes()
    return worker_factory(IntakeService, store=store, cipher=PiiCipher(DEV_PII_KEY))


def test_intake_proves_the_submitter_by_the_last_four_digits(intake):
    contact = PiiCipher(DEV_PII_KEY).seal("陈小明", "13812345678")
    intake.submit_opinion(wire(submit_opinion(contact=contact)))
    assert intake.prove_evaluator(CASE, {"phone_last_four": "5678"}, ADDRESS) == {"case_id": CASE}
    with pytest.raises(ServiceError) as wrong:
        intake.prove_evaluator(CASE, {"phone_last_four": "0000"}, ADDRESS)
    assert (wrong.value.code, wrong.value.field) == (ErrorCode.FORBIDDEN, "phone_last_four")
    for _ in range(5):
        with pytest.raises(ServiceError):
            intake.prove_evaluator(CASE, {"phone_last_four": "0000"}, ADDRESS)
    with pytest.raises(ServiceError) as locked:
        intake.prove_evaluator(CASE, {"phone_last_four": "5678"}, ADDRESS)
    assert "次数过多" in locked.value.detail


def test_an_item_without_a_phone_cannot_be_proven(intake):
    intake.submit_opinion(wire(submit_opinion()))
    with pytest.raises(ServiceError) as refused:
        intake.prove_evaluator(CASE, {"phone_last_four": "5678"}, ADDRESS)
    assert (refused.value.code, refused.value.field) == (ErrorCode.INVALID, "phone_last_four")


def test_the_citizens_view_shows_the_rating(intake):
    intake.submit_opinion(wire(submit_opinion()))
    intake.on_case_assigned(wire(case_assigned()))
    intake.on_case_replied(wire(case_event(CaseReplied)))
    intake.on_evaluation_recorded(wire(evaluation_recorded(rating="satisfied")))
    view = intake.public_view(CASE)
    assert (view["status"], view["evaluation"]) == ("evaluated", "satisfied")
