"""满意度测评's plain rules: who evaluates what, when, and once."""

import pytest
from pydantic import ValidationError

from contracts.errors import ErrorCode, ServiceError
from contracts.routing import CaseReplied
from contracts.supervision import EvaluationIn, EvaluatorKind, PublicEvaluationIn, Rating
from contracts.vocabulary import CaseStatus
from services.intake import opinion as intake_rules
from services.supervision import evaluation as rules
from services.supervision import watch
from tests.factories import NOW, case_assigned, case_event, evaluation_recorded


def replied_case(case_id: str = "JY-2026-0001", times: int = 1):
    case = watch.watch(case_assigned(case_id=case_id))
    for _ in range(times):
        case = watch.replied(case, case_event(CaseReplied, case_id=case_id))
    return case


def test_an_evaluation_is_keyed_by_reply_and_evaluator():
    evaluation, event = rules.evaluate(
        replied_case(times=2), EvaluatorKind.DEPUTY, "key:01", EvaluationIn(rating="basically_satisfied"), NOW
    )
    assert evaluation.evaluation_id == "JY-2026-0001:2:key:01"
    assert (event.round, event.rating, event.evaluator_kind) == (2, Rating.BASICALLY_SATISFIED, EvaluatorKind.DEPUTY)
    assert event.TYPE == "evaluation.recorded"


def test_only_a_replied_case_is_evaluated():
    case = watch.watch(case_assigned(case_id="JY-2026-0001"))
    with pytest.raises(ServiceError) as refused:
        rules.evaluate(case, EvaluatorKind.DEPUTY, "key:01", EvaluationIn(rating="satisfied"), NOW)
    assert refused.value.code is ErrorCode.INVALID_TRANSITION


@pytest.mark.parametrize(
    ("case_id", "kind"), [("7K3P-9XTA-2MQD", EvaluatorKind.DEPUTY), ("JY-2026-0001", EvaluatorKind.CITIZEN)]
)
def test_deputies_evaluate_suggestions_and_citizens_opinions(case_id, kind):
    with pytest.raises(ServiceError) as refused:
        rules.evaluate(replied_case(case_id), kind, "x", EvaluationIn(rating="satisfied"), NOW)
    assert refused.value.code is ErrorCode.FORBIDDEN


@pytest.mark.parametrize(
    "data",
    [{"rating": "great"}, {"rating": "satisfied", "comment": "x" * 1001}, {"rating": "satisfied", "extra": 1}],
)
def test_bad_evaluations_are_refused(data):
    with pytest.raises(ValidationError):
        EvaluationIn.model_validate(data)


def test_the_citizen_gives_four_digits():
    with pytest.raises(ValidationError):
        PublicEvaluationIn.model_validate({"rating": "satisfied", "phone_last_four": "567"})


def test_the_citizens_view_becomes_evaluated_only_when_satisfied():
    from tests.factories import submit_opinion

    opinion = intake_rules.Opinion.model_validate(
        {**submit_opinion().model_dump(), "status": CaseStatus.REPLIED, "history": []}
    )
    satisfied = intake_rules.evaluation_recorded(opinion, evaluation_recorded(rating="satisfied"))
    assert (satisfied.status, satisfied.evaluation) == (CaseStatus.EVALUATED, "satisfied")
    unsatisfied = intake_rules.evaluation_recorded(opinion, evaluation_recorded())
    assert (unsatisfied.status, unsatisfied.evaluation) == (CaseStatus.REPLIED, "unsatisfied")


def test_routing_evaluates_a_replied_case_and_reopens_it_when_unsatisfied():
    from datetime import date

    from services.routing.calendar import WorkingCalendar
    from services.routing.case import evaluated
    from tests.unit.test_lifecycle import NOW as ROUTING_NOW
    from tests.unit.test_lifecycle import case_in

    satisfied = evaluated(case_in(CaseStatus.REPLIED), False, WorkingCalendar(), ROUTING_NOW)
    assert (satisfied.case.status, satisfied.events) == (CaseStatus.EVALUATED, [])
    unsatisfied = evaluated(
        case_in(CaseStatus.REPLIED, due_date=date(2026, 11, 1)), True, WorkingCalendar(), ROUTING_NOW
    )
    assert unsatisfied.case.status is CaseStatus.REOPENED
    assert [t.status for t in unsatisfied.case.history][-2:] == [CaseStatus.EVALUATED, CaseStatus.REOPENED]
    assert [e.TYPE for e in unsatisfied.events] == ["case.reopened"]
    assert unsatisfied.case.due_date > date(2026, 11, 1)
    closed = evaluated(case_in(CaseStatus.CLOSED), True, WorkingCalendar(), ROUTING_NOW)
    assert (closed.case.status, closed.events) == (CaseStatus.CLOSED, [])
