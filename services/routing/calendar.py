"""routing's working calendar: the shared arithmetic of `infra.working_days` (moved there so that
supervision counts reminders on the same calendar)."""

from infra.working_days import Deadline, WorkingCalendar

__all__ = ["Deadline", "WorkingCalendar"]
