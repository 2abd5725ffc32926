"""征求拟办单位意见: a station asks the intended units before assigning; they answer by a date."""

from datetime import UTC, date, datetime, timedelta

import pytest

from contracts.errors import ErrorCode, ServiceError
from contracts.routing import (
    AssignIn,
    CaseConsultationAnswered,
    CaseConsultationRequested,
    ConsultationAnswerIn,
    ConsultIn,
    UnitRef,
)
from contracts.vocabulary import CaseStatus as S
from services.notify.notification import for_consultation_answered, for_consultation_requested
from services.routing.case import answer_consultation, assign_by_hand, consult
from tests.unit.test_lifecycle import LEAD_KEY, NOW, STATION, case_in, ctx

HOUSING_KEY = LEAD_KEY.model_copy(update={"unit": "hn-housing"})
ASK = ConsultIn(
    units=["hn-transport", "hn-housing"], question="拟交由贵单位办理，是否同意？", reply_by=date(2026, 11, 27)
)


def triaged(**overrides):
    return case_in(S.TRIAGED, lead_unit=None, co_units=[], due_date=None, **overrides)


def refused(rule, case, command, key, now=NOW) -> ServiceError:
    with pytest.raises(ServiceError) as raised:
        rule(case, command, key, ctx(now))
    return raised.value


def test_a_station_asks_the_intended_units_and_each_round_is_numbered():
    decision = consult(triaged(), ASK, STATION, ctx())
    (first,) = decision.case.consultations
    assert (first.round, [u.id for u in first.units], first.reply_by) == (
        1,
        ["hn-transport", "hn-housing"],
        ASK.reply_by,
    )
    assert first.asked_by == STATION.ref and first.answers == []
    assert decision.case.status is S.TRIAGED and decision.case.history[-1].action == "consult"
    assert "第 1 轮征求拟办单位意见" in decision.case.history[-1].reason
    (event,) = decision.events
    assert isinstance(event, CaseConsultationRequested) and event.round == 1 and len(event.units) == 2

    again = consult(decision.case, ASK.model_copy(update={"units": ["hn-housing"]}), STATION, ctx())
    assert [r.round for r in again.case.consultations] == [1, 2]


def test_asked_units_answer_agree_or_not_with_a_reason_late_after_the_date():
    asked = consult(triaged(), ASK, STATION, ctx()).case
    agreed = answer_consultation(asked, ConsultationAnswerIn(agree=True, reason="同意主办"), LEAD_KEY, ctx())
    late_at = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
    both = answer_consultation(
        agreed.case, ConsultationAnswerIn(agree=False, reason="非本单位职责"), HOUSING_KEY, ctx(late_at)
    )
    answers = both.case.consultations[0].answers
    assert [(a.unit.id, a.agree, a.late) for a in answers] == [
        ("hn-transport", True, False),
        ("hn-housing", False, True),
    ]
    assert answers[1].reason == "非本单位职责"
    (event,) = both.events
    assert isinstance(event, CaseConsultationAnswered) and (event.round, event.agree, event.late) == (1, False, True)


def test_a_unit_not_asked_a_second_answer_and_an_answer_after_assignment_are_refused():
    asked = consult(triaged(), ASK, STATION, ctx()).case
    answer = ConsultationAnswerIn(agree=True, reason="同意")
    stranger = LEAD_KEY.model_copy(update={"unit": "hn-enforcement"})
    not_asked = refused(answer_consultation, asked, answer, stranger)
    assert (not_asked.code, not_asked.field) == (ErrorCode.FORBIDDEN, "unit")
    assert refused(answer_consultation, triaged(), answer, LEAD_KEY).field == "unit"  # nobody asked yet

    once = answer_consultation(asked, answer, LEAD_KEY, ctx()).case
    twice = refused(answer_consultation, once, answer, LEAD_KEY)
    assert (twice.code, twice.field) == (ErrorCode.INVALID_TRANSITION, "unit")

    later = NOW + timedelta(hours=1)
    assigned = assign_by_hand(asked, AssignIn(lead_unit="hn-transport"), STATION, ctx(later)).case
    too_late = refused(answer_consultation, assigned, answer, HOUSING_KEY, later + timedelta(hours=1))
    assert (too_late.code, too_late.field) == (ErrorCode.INVALID_TRANSITION, "status")


def test_only_a_station_consults_a_waiting_case_about_units_of_its_division():
    assert refused(consult, triaged(), ASK, LEAD_KEY).field == "role"
    assert refused(consult, case_in(S.ASSIGNED), ASK, STATION).code is ErrorCode.INVALID_TRANSITION
    other = refused(consult, triaged(), ASK.model_copy(update={"units": ["tx-transport"]}), STATION)
    assert (other.code, other.field) == (ErrorCode.INVALID, "units")
    past = refused(consult, triaged(), ASK.model_copy(update={"reply_by": date(2026, 11, 1)}), STATION)
    assert (past.code, past.field) == (ErrorCode.INVALID, "reply_by")
    returned = consult(case_in(S.RETURNED, lead_unit=None, co_units=[]), ASK, STATION, ctx())
    assert returned.case.consultations[0].round == 1


def test_notify_asks_each_unit_and_tells_the_station_of_each_answer_once_per_recipient():
    requested = consult(triaged(), ASK, STATION, ctx()).events[0]
    notes = for_consultation_requested("ev1", requested, NOW)
    assert [n.recipient for n in notes] == ["unit:hn-transport", "unit:hn-housing"]
    assert all(n.id == f"ev1:{n.recipient}" and "2026-11-27" in n.body for n in notes)
    answered = CaseConsultationAnswered(
        case_id="7K3P-9XTA-2MQD", division="330481001", at=NOW, round=1,
        unit=UnitRef(id="hn-housing", name="海宁市住房和城乡建设局"), agree=False,
    )  # fmt: skip
    (note,) = for_consultation_answered("ev2", answered, NOW)
    assert note.recipient == "station:330481001" and "不同意" in note.body and note.kind == answered.TYPE
