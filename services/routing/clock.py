"""The case's clock: pauses that move the due date by the paused working days, extensions, and
the co-handling units' earlier deadline."""

from datetime import date

from services.routing.calendar import WorkingCalendar

CO_UNIT_WORKING_DAYS = 10  # co-handling units send their opinion to the lead unit first
SUGGESTION_MONTHS_LIMIT = 6  # 法定: three months, extendable to six at most


def add_months(start: date, months: int) -> date:
    """The same day `months` later, or that month's last day if it has no such day."""
    year, month = divmod(start.month - 1 + months, 12)
    return _clip(start.year + year, month + 1, start.day)


def _clip(year: int, month: int, day: int) -> date:
    while True:
        try:
            return date(year, month, day)
        except ValueError:
            day -= 1


def working_days_in(calendar: WorkingCalendar, after: date, through: date) -> int:
    """Working days d with after < d <= through: the days a pause from `after` to `through` stopped."""
    return calendar.working_days_between(after, through)


def shift(calendar: WorkingCalendar, due: date, working_days: int) -> date:
    """The due date moved on by `working_days` working days."""
    return calendar.add_working_days(due, working_days).due_date if working_days > 0 else due


def co_unit_due(calendar: WorkingCalendar, start: date, due: date) -> date:
    """Co-handling units answer the lead unit within 10 working days, and never after its own due date."""
    return min(calendar.add_working_days(start, CO_UNIT_WORKING_DAYS).due_date, due)
