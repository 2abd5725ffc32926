from datetime import date, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from contracts.routing import DeadlinePolicy, DivisionDeadlinesIn
from services.routing import policies
from services.routing.calendar import WorkingCalendar


def test_national_day_week_is_skipped_and_the_adjusted_saturday_counts():
    calendar = WorkingCalendar()
    # 2026: 10月1日至7日放假, 10月8日 (Thursday) back to work, 10月10日 (Saturday) 调休上班
    assert calendar.add_working_days(date(2026, 9, 30), 1).due_date == date(2026, 10, 8)
    assert calendar.add_working_days(date(2026, 9, 30), 3).due_date == date(2026, 10, 10)
    assert calendar.add_working_days(date(2026, 9, 30), 4).due_date == date(2026, 10, 12)


def test_spring_festival_adjusted_sunday_before_the_holiday_is_a_working_day():
    calendar = WorkingCalendar()
    # 2026-02-14 is a Saturday worked in exchange for the Spring Festival
    assert calendar.add_working_days(date(2026, 2, 13), 1).due_date == date(2026, 2, 14)


def test_fifteen_working_days_over_ordinary_weeks():
    deadline = WorkingCalendar().add_working_days(date(2026, 11, 23), 15)
    assert deadline.due_date == date(2026, 12, 14)
    assert deadline.working_days == 15 and deadline.calendar_fallback is False


def test_a_year_the_calendar_does_not_know_falls_back_visibly():
    deadline = WorkingCalendar().add_working_days(date(2026, 12, 28), 5)
    # 12-29, 12-30, 12-31 are known; 2027-01-01 (Fri) and 01-04 (Mon) come from the weekday fallback
    assert deadline.due_date == date(2027, 1, 4)
    assert deadline.calendar_fallback is True


def test_county_overrides_win_over_the_national_schedule():
    calendar = WorkingCalendar({date(2026, 11, 24): False, date(2026, 11, 28): True})
    assert calendar.add_working_days(date(2026, 11, 23), 1).due_date == date(2026, 11, 25)
    assert calendar.add_working_days(date(2026, 11, 26), 2).due_date == date(2026, 11, 28)


def test_zero_working_days_is_refused():
    with pytest.raises(ValueError):
        WorkingCalendar().add_working_days(date(2026, 11, 23), 0)


# ---- deadline policies (services/routing/policies.py) across the official calendar ----

CITIZEN = DeadlinePolicy(kind="working_days", amount=15)


def test_fifteen_working_days_across_national_day_count_the_adjusted_saturday():
    # 2026-09-25 (Fri): 9-28..30 count, 10-1..7 are off, 10-10 (Saturday, 调休上班) counts
    deadline = policies.due(CITIZEN, WorkingCalendar(), date(2026, 9, 25))
    assert deadline.due_date == date(2026, 10, 22) and deadline.calendar_fallback is False
    without_the_saturday = WorkingCalendar({date(2026, 10, 10): False})
    assert policies.due(CITIZEN, without_the_saturday, date(2026, 9, 25)).due_date == date(2026, 10, 23)


def test_fifteen_working_days_across_the_spring_festival():
    # 2026-02-14 and 02-28 are Saturdays worked (调休); 02-15..23 are the holiday
    deadline = policies.due(CITIZEN, WorkingCalendar(), date(2026, 2, 13))
    assert deadline.due_date == date(2026, 3, 12)


def test_a_deadline_reaching_an_unknown_year_is_flagged():
    deadline = policies.due(CITIZEN, WorkingCalendar(), date(2026, 12, 21))
    assert deadline.calendar_fallback is True and deadline.due_date.year == 2027
    known = policies.due(CITIZEN, WorkingCalendar(), date(2026, 11, 2))
    assert known.calendar_fallback is False


def test_calendar_months_ignore_holidays_and_clip_to_the_months_end():
    three_months = DeadlinePolicy(kind="calendar_months", amount=3)
    assert policies.due(three_months, WorkingCalendar(), date(2026, 11, 30)).due_date == date(2027, 2, 28)
    assert policies.due(three_months, WorkingCalendar(), date(2026, 7, 1)).due_date == date(2026, 10, 1)


def test_a_rules_policy_wins_over_the_divisions_and_a_suggestion_stays_in_calendar_months():
    division = policies.division_policies("330481001", {"330481": DivisionDeadlinesIn(division="330481")})
    ten_days = DeadlinePolicy(kind="working_days", amount=10)
    assert policies.policy_for(ten_days, division) == ten_days
    assert policies.policy_for(None, division) == CITIZEN
    assert policies.policy_for(ten_days, division, statutory=True) == policies.SUGGESTION
    two_months = DeadlinePolicy(kind="calendar_months", amount=2)
    assert policies.policy_for(two_months, division, statutory=True) == two_months


def test_the_most_local_divisions_policy_applies():
    county = DivisionDeadlinesIn(division="330481", citizen=DeadlinePolicy(kind="working_days", amount=10))
    township = DivisionDeadlinesIn(division="330481102", citizen=DeadlinePolicy(kind="working_days", amount=5))
    configured = {"330481": county, "330481102": township}
    assert policies.division_policies("330481102201", configured).citizen.amount == 5
    assert policies.division_policies("330481001", configured).citizen.amount == 10
    assert policies.division_policies("330482", configured).citizen == CITIZEN


def test_more_than_six_months_is_refused():
    with pytest.raises(ValidationError) as refused:
        DeadlinePolicy(kind="calendar_months", amount=7)
    assert refused.value.errors()[0]["loc"] == ("amount",)


def test_time_to_assignment_counts_working_days_in_beijing():
    beijing = timezone(timedelta(hours=8))
    received = datetime(2026, 9, 30, 17, 0, tzinfo=beijing)
    same_day = datetime(2026, 9, 30, 18, 0, tzinfo=beijing)
    after_the_holiday = datetime(2026, 10, 8, 9, 0, tzinfo=beijing)
    two_days_on = datetime(2026, 10, 9, 9, 0, tzinfo=beijing)
    calendar = WorkingCalendar()
    assert policies.working_days_to_assignment(calendar, received, same_day) == 0
    assert policies.working_days_to_assignment(calendar, received, after_the_holiday) == 1
    assert not policies.late(1)
    assert policies.working_days_to_assignment(calendar, received, two_days_on) == 2 and policies.late(2)
