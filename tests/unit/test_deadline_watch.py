"""The deadline watch's pure rules: which day each notice falls due on the working calendar
(国庆, 春节, 调休 weekends), when it is disarmed, and the notices notify stores for it."""

from datetime import UTC, date, datetime

from contracts.routing import CaseMeetingRecorded, CasePaused, CaseProgressRecorded, CaseReplied, CaseResumed
from contracts.supervision.watch import CaseDueSoon, CaseHalfTime, CaseOverdue
from infra.working_days import WorkingCalendar
from services.notify.watch_notices import for_due_soon, for_half_time, for_overdue
from services.supervision import watch
from services.supervision.deadline_watch import schedule
from services.supervision.deadline_watch.schedule import WatchPlan
from tests.factories import NOW, case_assigned, case_event

PLAN = WatchPlan(WorkingCalendar(), reminder_working_days=3)


def armed(assigned_on: date, due: date, **changes) -> watch.WatchedCase:
    at = datetime(assigned_on.year, assigned_on.month, assigned_on.day, 2, tzinfo=UTC)
    case = watch.watch(case_assigned(assigned_at=at, due_date=due)).model_copy(update=changes)
    return schedule.arm(case, PLAN)


def test_around_national_day_the_reminder_skips_the_mid_autumn_holiday_and_overdue_waits_for_work():
    # 2026: 9月25日 中秋; 10月1日至7日 国庆; 10月10日 (Saturday) 调休上班
    case = armed(date(2026, 9, 14), date(2026, 9, 30))
    assert case.due_soon_on == date(2026, 9, 24)  # 29, 28, then 24 (25-27 off)
    assert case.overdue_on == date(2026, 10, 8)  # the first working day after the holiday
    before_holiday = armed(date(2026, 9, 14), date(2026, 10, 9))
    assert before_holiday.due_soon_on == date(2026, 9, 29)
    assert before_holiday.overdue_on == date(2026, 10, 10)  # the adjusted working Saturday


def test_around_spring_festival_the_adjusted_saturday_counts():
    case = armed(date(2026, 1, 26), date(2026, 2, 24))
    assert case.due_soon_on == date(2026, 2, 12)  # 14 (Saturday worked), 13, 12
    assert armed(date(2026, 1, 26), date(2026, 2, 13)).overdue_on == date(2026, 2, 14)


def test_the_midpoint_is_half_the_periods_working_days_after_assignment():
    case = armed(date(2026, 9, 14), date(2026, 10, 9))  # 14 working days, 9-20 (Sunday) worked
    assert case.midpoint == case.half_time_on == date(2026, 9, 22)
    assert armed(date(2026, 11, 23), date(2026, 11, 24)).midpoint is None  # one working day: no middle


def test_progress_or_a_meeting_disarms_the_half_time_check():
    case = armed(date(2026, 11, 23), date(2026, 12, 14))
    assert case.half_time_on == date(2026, 12, 3)
    progressed = schedule.arm(watch.progress_recorded(case, case_event(CaseProgressRecorded)), PLAN)
    met = schedule.arm(watch.meeting_recorded(case, case_event(CaseMeetingRecorded)), PLAN)
    assert progressed.half_time_on is None and met.half_time_on is None
    assert progressed.due_soon_on == case.due_soon_on  # the reminders stay


def test_a_replied_or_paused_case_has_nothing_pending_and_resuming_rearms_on_the_new_date():
    case = armed(date(2026, 11, 23), date(2026, 12, 14))
    replied = schedule.arm(watch.replied(case, case_event(CaseReplied)), PLAN)
    paused = schedule.arm(watch.paused(case, case_event(CasePaused)), PLAN)
    for quiet in (replied, paused):
        assert (quiet.due_soon_on, quiet.overdue_on, quiet.half_time_on) == (None, None, None)
    resumed = schedule.arm(watch.resumed(paused, case_event(CaseResumed)), PLAN)  # due 2026-12-17
    assert (resumed.due_soon_on, resumed.overdue_on) == (date(2026, 12, 14), date(2026, 12, 18))


def test_a_notice_sent_for_a_due_date_is_not_armed_again_until_the_date_moves():
    case = armed(date(2026, 11, 23), date(2026, 12, 14))
    fired = schedule.fire_due_soon(case, PLAN, date(2026, 12, 9), NOW)
    assert [type(e) for e in fired.events] == [CaseDueSoon] and fired.events[0].working_days_left == 3
    again = schedule.arm(fired.case, PLAN)
    assert again.due_soon_on is None and again.due_soon_sent_for == date(2026, 12, 14)
    moved = schedule.arm(again.model_copy(update={"due_date": date(2026, 12, 21)}), PLAN)
    assert moved.due_soon_on == date(2026, 12, 16)


def test_a_reminder_missed_until_past_the_due_date_gives_way_to_the_overdue_notice():
    case = armed(date(2026, 11, 23), date(2026, 12, 14))
    late = schedule.fire_due_soon(case, PLAN, date(2026, 12, 16), NOW)
    assert late.events == [] and late.case.due_soon_on is None and late.case.due_soon_sent_at is None
    overdue = schedule.fire_overdue(late.case, PLAN, date(2026, 12, 16), NOW)
    assert [type(e) for e in overdue.events] == [CaseOverdue] and overdue.case.overdue_sent_at == NOW


def test_units_hear_of_reminders_and_units_and_the_countys_supervisors_of_overdue():
    case = armed(date(2026, 11, 23), date(2026, 12, 14))
    (due_soon,) = schedule.fire_due_soon(case, PLAN, date(2026, 12, 9), NOW).events
    (overdue,) = schedule.fire_overdue(case, PLAN, date(2026, 12, 15), NOW).events
    (half,) = schedule.fire_half_time(case, PLAN, date(2026, 12, 3), NOW).events
    assert isinstance(half, CaseHalfTime) and half.midpoint == date(2026, 12, 3)
    units = ["unit:hn-transport", "unit:hn-enforcement"]
    assert [n.recipient for n in for_due_soon("01E", due_soon, NOW)] == units
    overdue_notes = for_overdue("01E", overdue, NOW)
    assert [n.recipient for n in overdue_notes] == [*units, "supervisor:330481"]
    assert [n.id for n in overdue_notes][-1] == "01E:supervisor:330481"
    assert all("7K3P-9XTA-2MQD" in n.body and "2026-12-14" in n.body for n in overdue_notes)
    assert [n.recipient for n in for_half_time("01E", half, NOW)] == [*units, "supervisor:330481"]
