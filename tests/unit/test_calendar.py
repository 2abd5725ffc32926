from datetime import date

import pytest

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
