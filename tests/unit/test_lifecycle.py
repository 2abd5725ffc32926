from datetime import UTC, date, datetime

import pytest

from contracts.errors import ErrorCode, ServiceError
from contracts.routing import (
    AssignIn,
    CaseAssigned,
    CaseClosed,
    CaseCoOpinionSent,
    CaseEscalated,
    CaseExtensionDecided,
    CaseExtensionRequested,
    CaseMeetingRecorded,
    CasePaused,
    CaseProgressRecorded,
    CaseReopened,
    CaseReplied,
    CaseResumed,
    CaseReturned,
    CloseIn,
    CoOpinionIn,
    EscalateIn,
    ExtensionDecisionIn,
    ExtensionRequestIn,
    MeetingIn,
    PauseIn,
    ProgressIn,
    PromisedWork,
    ReplyIn,
    ResumeIn,
    ReturnIn,
    SpotAnswerIn,
    UnitIn,
    UnitRef,
)
from contracts.vocabulary import CaseStatus as S
from services.routing.calendar import WorkingCalendar
from services.routing.case import (
    ACTIONS,
    Case,
    Context,
    answer_on_the_spot,
    assign_by_hand,
    close,
    co_opinion,
    decide_extension,
    escalate,
    pause,
    record_meeting,
    record_progress,
    reopen,
    reply,
    request_extension,
    resume,
    return_case,
)
from services.routing.lifecycle import ALLOWED, move
from services.routing.schemes import scheme_for
from tests.factories import actor

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.RECEIVED, S.TRIAGED),
        (S.TRIAGED, S.ASSIGNED),
        (S.TRIAGED, S.CLOSED),
        (S.ASSIGNED, S.ACCEPTED),
        (S.ASSIGNED, S.RETURNED),
        (S.RETURNED, S.TRIAGED),
        (S.ACCEPTED, S.REPLIED),
        (S.REPLIED, S.EVALUATED),
        (S.EVALUATED, S.REOPENED),
        (S.REOPENED, S.REPLIED),
        (S.EVALUATED, S.CLOSED),
    ],
)
def test_allowed_moves_are_recorded_with_who_when_why(current, target):
    step = move(current, target, "station:xiashi", "现场答复", NOW)
    assert (step.status, step.actor, step.reason, step.at) == (target, "station:xiashi", "现场答复", NOW)


@pytest.mark.parametrize(
    ("current", "target"),
    [(S.RECEIVED, S.ASSIGNED), (S.ASSIGNED, S.REPLIED), (S.CLOSED, S.REOPENED), (S.MERGED, S.TRIAGED)],
)
def test_other_moves_are_refused_with_a_clear_error(current, target):
    with pytest.raises(ServiceError) as raised:
        move(current, target, "routing", "", NOW)
    assert raised.value.code is ErrorCode.INVALID_TRANSITION
    assert current.value in raised.value.detail and target.value in raised.value.detail


def test_every_state_has_a_rule_and_closed_and_merged_are_final():
    assert set(ALLOWED) == set(S)
    assert ALLOWED[S.CLOSED] == ALLOWED[S.MERGED] == frozenset()


ALL_MOVES = [(current, target) for current in S for target in ALLOWED[current]]
FORBIDDEN = [(current, target) for current in S for target in S if target not in ALLOWED[current]]


@pytest.mark.parametrize(("current", "target"), ALL_MOVES)
def test_every_allowed_move_is_kept_with_its_actor_and_reason(current, target):
    step = move(current, target, "unit:hn-transport", "因为", NOW)
    assert (step.status, step.actor, step.reason, step.action) == (target, "unit:hn-transport", "因为", None)


@pytest.mark.parametrize(("current", "target"), FORBIDDEN)
def test_every_other_move_of_each_state_is_an_invalid_transition(current, target):
    with pytest.raises(ServiceError) as raised:
        move(current, target, "routing", "", NOW)
    assert raised.value.code is ErrorCode.INVALID_TRANSITION and raised.value.field == "status"


def test_a_unit_may_return_before_or_after_signing_and_a_replied_case_may_be_closed():
    assert S.RETURNED in ALLOWED[S.ASSIGNED] & ALLOWED[S.ACCEPTED]
    assert S.CLOSED in ALLOWED[S.REPLIED]


# ---- the actions' rules (services/routing/case.py) ----

LEAD = UnitRef(id="hn-transport", name="海宁市交通运输局")
CO = UnitRef(id="hn-enforcement", name="海宁市综合行政执法局")
DIRECTORY = {
    "hn-transport": UnitIn(id="hn-transport", name="海宁市交通运输局", division="330481"),
    "hn-housing": UnitIn(id="hn-housing", name="海宁市住房和城乡建设局", division="330481"),
    "tx-transport": UnitIn(id="tx-transport", name="桐乡市交通运输局", division="330483"),
}
LEAD_KEY = actor(role="handler", unit="hn-transport")
CO_KEY = actor(role="handler", unit="hn-enforcement")
STATION = actor(role="station", scope="330481001", label="许村镇联络站")
SUPERVISOR = actor(role="supervisor")


def case_in(status: S, **overrides) -> Case:
    fields = dict(
        case_id="7K3P-9XTA-2MQD",
        division="330481001",
        channel="web",
        content="文苑路公交站台的顶棚坏了",
        status=status,
        received_at=NOW,
        lead_unit=LEAD,
        co_units=[CO],
        assigned_at=NOW,
        due_date=date(2026, 12, 14),
        co_due_date=date(2026, 12, 7),
        history=[],
        version=3,
    )
    return Case(**{**fields, **overrides})


def ctx(now: datetime = NOW) -> Context:
    return Context(calendar=WorkingCalendar(), unit=DIRECTORY.get, now=now)


def refused(action, case, command, key, now=NOW) -> ServiceError:
    with pytest.raises(ServiceError) as raised:
        action(case, command, key, ctx(now))
    return raised.value


def test_the_lead_unit_replies_with_a_class_of_the_national_scheme():
    decision = reply(case_in(S.ACCEPTED), ReplyIn(text="已延长末班车", result_class="a"), LEAD_KEY, ctx())
    case, (event,) = decision.case, decision.events
    assert case.status is S.REPLIED and case.history[-1].actor == "unit:hn-transport"
    assert (case.reply.result_class, case.reply.completed, case.reply.resolved) == ("A", True, True)
    assert isinstance(event, CaseReplied) and event.reply == case.reply and event.transitions == case.history[-1:]


@pytest.mark.parametrize(
    ("key", "command", "code", "field"),
    [
        (CO_KEY, ReplyIn(text="答复", result_class="A"), ErrorCode.FORBIDDEN, "unit"),
        (STATION, ReplyIn(text="答复", result_class="A"), ErrorCode.FORBIDDEN, "unit"),
        (LEAD_KEY, ReplyIn(text="答复", result_class="E"), ErrorCode.INVALID, "result_class"),
        (LEAD_KEY, ReplyIn(text="答复", result_class="B"), ErrorCode.INVALID, "promised"),
    ],
)
def test_a_reply_by_another_unit_or_outside_the_scheme_is_refused(key, command, code, field):
    error = refused(reply, case_in(S.ACCEPTED), command, key)
    assert (error.code, error.field) == (code, field)


def test_planned_work_carries_its_promised_dates_and_counts_as_completed_not_resolved():
    promised = [PromisedWork(item="站台改造", by=date(2027, 3, 31))]
    answer = reply(case_in(S.ACCEPTED), ReplyIn(text="列入计划", result_class="B", promised=promised), LEAD_KEY, ctx())
    assert answer.case.reply.promised == promised
    assert (answer.case.reply.completed, answer.case.reply.resolved) == (True, False)


def test_a_two_class_county_refuses_the_national_c():
    malong = case_in(S.ACCEPTED, division="530304001")
    assert refused(reply, malong, ReplyIn(text="以后解决", result_class="C"), LEAD_KEY).field == "result_class"
    assert [c.code for c in scheme_for("530304001")] == ["A", "B"] and scheme_for("330481")[3].code == "D"


@pytest.mark.parametrize("status", [S.ASSIGNED, S.REPLIED, S.CLOSED, S.RETURNED])
def test_only_a_signed_or_reopened_case_is_replied_to(status):
    assert refused(reply, case_in(status), ReplyIn(text="答复", result_class="A"), LEAD_KEY).code is (
        ErrorCode.INVALID_TRANSITION
    )


def test_a_paused_case_is_resumed_before_its_reply():
    paused = pause(case_in(S.ACCEPTED), PauseIn(reason="waiting_for_citizen"), LEAD_KEY, ctx()).case
    assert refused(reply, paused, ReplyIn(text="答复", result_class="A"), LEAD_KEY).field == "paused"


def test_return_then_re_triage_then_reassign_starts_the_clock_again():
    back = return_case(case_in(S.ASSIGNED), ReturnIn(reason="不属于本单位职责"), LEAD_KEY, ctx())
    assert back.case.status is S.RETURNED and back.case.lead_unit is None and back.case.due_date is None
    (event,) = back.events
    assert isinstance(event, CaseReturned) and event.reason == "不属于本单位职责" and event.unit == LEAD

    later = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # Tuesday 1 December, Beijing
    again = assign_by_hand(back.case, AssignIn(lead_unit="hn-housing"), STATION, ctx(later))
    assert [(t.status, t.actor) for t in again.case.history] == [
        (S.RETURNED, "unit:hn-transport"),
        (S.TRIAGED, "station:01KEY"),
        (S.ASSIGNED, "station:01KEY"),
    ]
    assert again.case.lead_unit.id == "hn-housing" and again.case.assigned_at == later
    assert again.case.due_date == WorkingCalendar().add_working_days(date(2026, 12, 1), 15).due_date
    assert isinstance(again.events[0], CaseAssigned)


@pytest.mark.parametrize(
    ("command", "field"),
    [
        (AssignIn(lead_unit="tx-transport"), "lead_unit"),
        (AssignIn(lead_unit="ghost"), "lead_unit"),
        (AssignIn(lead_unit="hn-housing", co_units=["tx-transport"]), "co_units"),
        (AssignIn(lead_unit="hn-housing", co_units=["hn-housing"]), "co_units"),
    ],
)
def test_a_unit_from_another_division_or_unknown_is_refused(command, field):
    error = refused(assign_by_hand, case_in(S.TRIAGED, lead_unit=None, co_units=[]), command, STATION)
    assert (error.code, error.field) == (ErrorCode.INVALID, field)


def test_only_a_station_assigns_and_only_a_case_waiting_for_triage():
    triaged = case_in(S.TRIAGED, lead_unit=None, co_units=[])
    assert refused(assign_by_hand, triaged, AssignIn(lead_unit="hn-housing"), LEAD_KEY).field == "role"
    assert refused(assign_by_hand, case_in(S.ACCEPTED), AssignIn(lead_unit="hn-housing"), STATION).code is (
        ErrorCode.INVALID_TRANSITION
    )


def test_co_units_answer_the_lead_by_their_own_earlier_deadline():
    assigned = assign_by_hand(
        case_in(S.TRIAGED, lead_unit=None, co_units=[]),
        AssignIn(lead_unit="hn-transport", co_units=["hn-housing"]),
        STATION,
        ctx(),
    ).case
    assert assigned.co_due_date == date(2026, 12, 7) < assigned.due_date == date(2026, 12, 14)

    on_time = co_opinion(case_in(S.ACCEPTED), CoOpinionIn(text="同意"), CO_KEY, ctx())
    late = co_opinion(case_in(S.ACCEPTED), CoOpinionIn(text="同意"), CO_KEY, ctx(datetime(2026, 12, 8, 2, tzinfo=UTC)))
    assert [o.case.co_opinions[0].late for o in (on_time, late)] == [False, True]
    assert on_time.case.status is S.ACCEPTED and on_time.case.history[-1].action == "co-opinion"
    assert isinstance(on_time.events[0], CaseCoOpinionSent) and "text" not in on_time.events[0].model_dump()
    assert refused(co_opinion, case_in(S.ACCEPTED), CoOpinionIn(text="同意"), LEAD_KEY).field == "unit"


def test_progress_and_meetings_are_kept_by_the_handling_units_with_who_and_when():
    meeting = MeetingIn(stage="before", on=date(2026, 11, 24), form="座谈", participants=["王科长"], met="deputy")
    case = record_progress(case_in(S.ACCEPTED), ProgressIn(note="已现场查看"), CO_KEY, ctx()).case
    decision = record_meeting(case, meeting, LEAD_KEY, ctx())
    case = decision.case
    assert [(t.action, t.actor, t.status) for t in case.history] == [
        ("record-progress", "unit:hn-enforcement", S.ACCEPTED),
        ("record-meeting", "unit:hn-transport", S.ACCEPTED),
    ]
    assert case.progress[0].note == "已现场查看" and case.meetings[0].stage == "before"
    assert isinstance(decision.events[0], CaseMeetingRecorded) and decision.events[0].met == "deputy"
    other = actor(role="handler", unit="hn-housing")
    assert refused(record_progress, case_in(S.ACCEPTED), ProgressIn(note="x"), other).code is ErrorCode.FORBIDDEN
    assert refused(record_meeting, case_in(S.CLOSED), meeting, LEAD_KEY).code is ErrorCode.INVALID_TRANSITION
    assert refused(record_progress, case_in(S.REPLIED), ProgressIn(note="x"), LEAD_KEY).code is (
        ErrorCode.INVALID_TRANSITION
    )


def test_an_approved_extension_moves_the_due_date_by_working_days():
    asked = request_extension(
        case_in(S.ACCEPTED), ExtensionRequestIn(reason="等待批复", working_days=5), LEAD_KEY, ctx()
    )
    assert isinstance(asked.events[0], CaseExtensionRequested) and asked.case.due_date == date(2026, 12, 14)
    again = ExtensionRequestIn(reason="再延", working_days=5)
    assert refused(request_extension, asked.case, again, LEAD_KEY).field == "extension"
    assert refused(decide_extension, asked.case, ExtensionDecisionIn(approve=True), LEAD_KEY).field == "role"

    decided = decide_extension(asked.case, ExtensionDecisionIn(approve=True, note="同意"), SUPERVISOR, ctx())
    assert decided.case.due_date == date(2026, 12, 21)
    (record_,) = decided.case.extensions
    assert (record_.status, record_.due_before, record_.due_after) == (
        "approved",
        date(2026, 12, 14),
        date(2026, 12, 21),
    )
    assert isinstance(decided.events[0], CaseExtensionDecided) and decided.events[0].due_date == date(2026, 12, 21)


def test_a_refused_extension_leaves_the_due_date():
    asked = request_extension(case_in(S.ASSIGNED), ExtensionRequestIn(reason="r", working_days=5), LEAD_KEY, ctx())
    decided = decide_extension(asked.case, ExtensionDecisionIn(approve=False), SUPERVISOR, ctx())
    assert decided.case.due_date == date(2026, 12, 14) and decided.case.extensions[0].status == "refused"
    assert refused(decide_extension, decided.case, ExtensionDecisionIn(approve=True), SUPERVISOR).field == "extension"


def test_a_suggestion_is_extended_by_months_to_six_at_most():
    suggestion = case_in(S.ACCEPTED, deadline_policy="statutory", due_date=date(2027, 2, 23))
    days = ExtensionRequestIn(reason="r", working_days=5)
    assert refused(request_extension, suggestion, days, LEAD_KEY).field == "months"
    asked = request_extension(suggestion, ExtensionRequestIn(reason="r", months=2), LEAD_KEY, ctx()).case
    granted = decide_extension(asked, ExtensionDecisionIn(approve=True), SUPERVISOR, ctx()).case
    assert granted.due_date == date(2027, 4, 23)
    past_six = ExtensionRequestIn(reason="r", months=2)
    assert refused(request_extension, granted, past_six, LEAD_KEY).field == "months"
    request_extension(granted, ExtensionRequestIn(reason="r", months=1), LEAD_KEY, ctx())  # to six exactly


def test_a_citizen_item_is_extended_by_working_days_not_months():
    error = refused(request_extension, case_in(S.ACCEPTED), ExtensionRequestIn(reason="r", months=1), LEAD_KEY)
    assert error.field == "working_days"


@pytest.mark.parametrize("status", [S.CLOSED, S.REPLIED, S.TRIAGED])
def test_no_extension_on_a_case_no_longer_with_its_units(status):
    error = refused(request_extension, case_in(status), ExtensionRequestIn(reason="r", working_days=5), LEAD_KEY)
    assert error.code is ErrorCode.INVALID_TRANSITION


def test_a_pause_moves_the_due_date_by_the_paused_working_days():
    paused = pause(case_in(S.ACCEPTED), PauseIn(reason="waiting_for_citizen", note="缺身份证复印件"), LEAD_KEY, ctx())
    assert paused.case.paused.reason == "waiting_for_citizen" and isinstance(paused.events[0], CasePaused)
    assert paused.case.history[-1].reason.startswith("暂停计时") and "身份证" not in paused.case.history[-1].reason
    again = PauseIn(reason="statutory_suspension")
    assert refused(pause, paused.case, again, LEAD_KEY).code is ErrorCode.INVALID_TRANSITION

    thursday = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # Tue, Wed, Thu stood still
    resumed = resume(paused.case, ResumeIn(), STATION, ctx(thursday))
    assert resumed.case.due_date == date(2026, 12, 17) and resumed.case.co_due_date == date(2026, 12, 10)
    assert resumed.case.paused is None and resumed.case.pauses[0].working_days == 3
    (event,) = resumed.events
    assert isinstance(event, CaseResumed) and (event.due_date, event.paused_working_days) == (date(2026, 12, 17), 3)
    assert refused(resume, resumed.case, ResumeIn(), STATION).code is ErrorCode.INVALID_TRANSITION


def test_a_pause_over_national_day_counts_only_working_days():
    case = case_in(S.ACCEPTED, due_date=date(2026, 10, 20))
    paused = pause(case, PauseIn(reason="statutory_suspension"), STATION, ctx(datetime(2026, 9, 30, 2, tzinfo=UTC)))
    resumed = resume(paused.case, ResumeIn(), STATION, ctx(datetime(2026, 10, 9, 2, tzinfo=UTC)))
    stopped = resumed.case.pauses[0].working_days
    assert stopped == sum(WorkingCalendar().is_workday(date(2026, 10, d))[0] for d in range(1, 10)) < 9
    assert resumed.case.due_date == WorkingCalendar().add_working_days(date(2026, 10, 20), stopped).due_date


def test_a_pause_needs_the_lead_unit_or_a_station():
    assert refused(pause, case_in(S.ACCEPTED), PauseIn(reason="waiting_for_citizen"), CO_KEY).code is (
        ErrorCode.FORBIDDEN
    )


def test_a_station_answers_a_triaged_item_on_the_spot_and_closes_it():
    triaged = case_in(S.TRIAGED, lead_unit=None, co_units=[])
    decision = answer_on_the_spot(triaged, SpotAnswerIn(text="当场解释政策"), STATION, ctx())
    assert decision.case.status is S.CLOSED and decision.case.reply.unit.name == "许村镇联络站"
    (event,) = decision.events
    assert isinstance(event, CaseClosed) and event.reply.text == "当场解释政策"
    assert refused(answer_on_the_spot, case_in(S.ASSIGNED), SpotAnswerIn(text="x"), STATION).code is (
        ErrorCode.INVALID_TRANSITION
    )
    assert refused(answer_on_the_spot, triaged, SpotAnswerIn(text="x"), LEAD_KEY).field == "role"


def test_escalation_moves_the_case_to_the_parent_divisions_queue_keeping_both_levels():
    triaged = case_in(S.TRIAGED, lead_unit=None, co_units=[])
    decision = escalate(triaged, EscalateIn(reason="涉及多个镇街"), STATION, ctx())
    assert (decision.case.status, decision.case.division) == (S.ESCALATED, "330481")
    assert "330481001" in decision.case.history[-1].reason and "330481" in decision.case.history[-1].reason
    (event,) = decision.events
    assert isinstance(event, CaseEscalated) and (event.division, event.from_division) == ("330481", "330481001")
    county_station = actor(role="station", scope="330481")
    assigned = assign_by_hand(decision.case, AssignIn(lead_unit="hn-housing"), county_station, ctx()).case
    assert [t.status for t in assigned.history] == [S.ESCALATED, S.TRIAGED, S.ASSIGNED]
    county = case_in(S.TRIAGED, division="330481", lead_unit=None, co_units=[])
    assert refused(escalate, county, EscalateIn(reason="x"), STATION).field == "division"


def test_a_replied_case_is_closed_by_a_station_or_supervisor_only():
    replied = reply(case_in(S.ACCEPTED), ReplyIn(text="答复", result_class="A"), LEAD_KEY, ctx()).case
    assert refused(close, replied, CloseIn(), LEAD_KEY).field == "role"
    decision = close(replied, CloseIn(reason="群众满意"), SUPERVISOR, ctx())
    assert decision.case.status is S.CLOSED and decision.events[0].reply == replied.reply
    assert refused(close, case_in(S.ACCEPTED), CloseIn(), SUPERVISOR).code is ErrorCode.INVALID_TRANSITION


def test_every_action_has_an_input_with_expected_version_and_a_rule():
    assert set(ACTIONS) == {
        "reply", "return", "co-opinion", "record-progress", "record-meeting", "request-extension",
        "decide-extension", "pause", "resume", "assign", "answer-on-the-spot", "escalate", "close",
        "consult", "consultation-answer", "merge", "joint-meeting", "request-meeting",
    }  # fmt: skip
    assert all("expected_version" in model.model_fields for model, _ in ACTIONS.values())


def test_an_unsatisfied_evaluation_reopens_the_case_for_the_same_units_on_a_new_deadline():
    evaluated = case_in(S.EVALUATED, due_date=date(2026, 11, 1))
    decision = reopen(evaluated, "群众不满意", WorkingCalendar(), NOW)
    assert (decision.case.status, decision.case.lead_unit, decision.case.co_units) == (S.REOPENED, LEAD, [CO])
    assert decision.case.due_date == WorkingCalendar().add_working_days(date(2026, 11, 23), 15).due_date
    (event,) = decision.events
    assert isinstance(event, CaseReopened) and event.due_date == decision.case.due_date
    suggestion = reopen(case_in(S.EVALUATED, deadline_policy="statutory"), "不满意", WorkingCalendar(), NOW)
    assert suggestion.case.due_date == date(2027, 2, 23)
    again = reply(decision.case, ReplyIn(text="再次答复", result_class="A"), LEAD_KEY, ctx())
    assert again.case.status is S.REPLIED
    with pytest.raises(ServiceError) as refused_:
        reopen(case_in(S.REPLIED), "不满意", WorkingCalendar(), NOW)
    assert refused_.value.code is ErrorCode.INVALID_TRANSITION


# ---- the read models' pure changes: intake's citizen view and supervision's watch ----


def test_the_citizens_view_follows_each_lifecycle_event_without_internal_notes():
    from services.intake import opinion as view
    from tests.factories import case_event, submit_opinion

    opinion, _ = view.receive(submit_opinion())
    opinion = view.paused(opinion, case_event(CasePaused))
    assert opinion.paused is True
    opinion = view.resumed(opinion, case_event(CaseResumed))
    assert (opinion.paused, opinion.due_date) == (False, date(2026, 12, 17))
    opinion = view.extension_decided(opinion, case_event(CaseExtensionDecided))
    assert opinion.due_date == date(2026, 12, 21) and "2026-12-21" in opinion.history[-1].reason
    unchanged = view.extension_decided(opinion, case_event(CaseExtensionDecided, approved=False, due_date=None))
    assert unchanged == opinion
    returned = view.returned(opinion, case_event(CaseReturned, reason="内部原因"))
    assert (returned.status, returned.lead_unit, returned.due_date) == (S.RETURNED, None, None)
    assert "内部原因" not in str(returned.history)
    replied = view.replied(opinion, case_event(CaseReplied))
    assert replied.status is S.REPLIED and replied.reply.text == "已修复顶棚"
    reopened = view.reopened(replied, case_event(CaseReopened))
    assert (reopened.status, reopened.due_date) == (S.REOPENED, date(2026, 12, 28))
    closed = view.closed(replied, case_event(CaseClosed, reply=None))
    assert closed.status is S.CLOSED and closed.reply == replied.reply


def test_supervision_moves_the_due_date_and_counts_only_open_running_cases_as_overdue():
    from services.supervision import watch
    from tests.factories import case_assigned, case_event

    watched = watch.watch(case_assigned(due_date=date(2026, 12, 14)))
    late = date(2026, 12, 20)
    assert watch.is_overdue(watched, late)
    paused = watch.paused(watched, case_event(CasePaused))
    assert not watch.is_overdue(paused, late)
    resumed = watch.resumed(paused, case_event(CaseResumed))
    assert resumed.due_date == date(2026, 12, 17) and watch.is_overdue(resumed, late)
    asked = watch.extension_requested(resumed, case_event(CaseExtensionRequested))
    extended = watch.extension_decided(asked, case_event(CaseExtensionDecided))
    assert (asked.extension_pending, extended.extension_pending, extended.due_date) == (True, False, date(2026, 12, 21))
    assert not watch.is_overdue(extended, late)
    for done in (watch.replied(watched, case_event(CaseReplied)), watch.closed(watched, case_event(CaseClosed))):
        assert not watch.is_overdue(done, late)
    assert not watch.is_overdue(watch.returned(watched, case_event(CaseReturned)), late)
    escalated = watch.escalated(watched, case_event(CaseEscalated))
    assert (escalated.division, escalated.status) == ("330481", S.ESCALATED)
    counted = watch.co_opinion_sent(watched, case_event(CaseCoOpinionSent, late=True))
    counted = watch.meeting_recorded(watch.progress_recorded(counted, case_event(CaseProgressRecorded)), None)
    assert (counted.co_opinions, counted.late_co_opinions, counted.meetings, counted.last_progress_at) == (
        1, 1, 1, NOW,
    )  # fmt: skip
    assert watch.is_overdue(
        watch.reopened(watch.replied(watched, case_event(CaseReplied)), case_event(CaseReopened)), date(2026, 12, 29)
    )
