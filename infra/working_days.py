"""Working days on the State Council's holiday schedule, 调休 included, with per-county overrides.

chinese-calendar knows the years the State Council has published. For a year it does not know,
weekdays count as working days and the result says so (`calendar_fallback`), never silently.
Pure date arithmetic, shared by routing (deadlines) and supervision (reminders before them).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar


@lru_cache(maxsize=8192)
def national_workday(day: date) -> tuple[bool, bool]:
    """The State Council's schedule for one day, remembered: chinese-calendar checks every date
    against its whole table's range (about 60 µs), and a deadline walks dozens of days."""
    try:
        return chinese_calendar.is_workday(day), False
    except NotImplementedError:
        return day.weekday() < 5, True


@dataclass(frozen=True)
class Deadline:
    due_date: date
    working_days: int
    calendar_fallback: bool


class WorkingCalendar:
    def __init__(self, overrides: Mapping[date, bool] | None = None):
        """`overrides` maps a date to True (a working day) or False (a day off) for one county."""
        self.overrides = dict(overrides or {})

    def is_workday(self, day: date) -> tuple[bool, bool]:
        """Returns (is a working day, decided by the fallback rule)."""
        if day in self.overrides:
            return self.overrides[day], False
        return national_workday(day)

    def add_working_days(self, start: date, working_days: int) -> Deadline:
        """The `working_days`-th working day after `start` (the start day itself is not counted)."""
        if working_days < 1:
            raise ValueError("working_days must be at least 1")
        day, counted, fallback = start, 0, False
        while counted < working_days:
            day += timedelta(days=1)
            workday, guessed = self.is_workday(day)
            fallback = fallback or guessed
            counted += workday
        return Deadline(due_date=day, working_days=working_days, calendar_fallback=fallback)

    def working_days_before(self, day: date, working_days: int) -> date:
        """The `working_days`-th working day before `day` (the day itself is not counted)."""
        if working_days < 1:
            raise ValueError("working_days must be at least 1")
        counted = 0
        while counted < working_days:
            day -= timedelta(days=1)
            counted += self.is_workday(day)[0]
        return day

    def next_working_day(self, day: date) -> date:
        """The first working day after `day`."""
        return self.add_working_days(day, 1).due_date

    def working_days_between(self, after: date, through: date) -> int:
        """Working days in (after, through]."""
        count, day = 0, after
        while day < through:
            day += timedelta(days=1)
            count += self.is_workday(day)[0]
        return count
