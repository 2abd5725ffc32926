"""What supervisors see of a watched case in the overdue and half-time lists."""

from datetime import date

from contracts.supervision.watch import HalfTimeCaseView, OverdueCaseView, WatchNotices
from services.supervision.watch import WatchedCase


def notices(case: WatchedCase) -> WatchNotices:
    """The watch's notices for the current due date only: one sent for an earlier deadline is history."""
    due = case.due_date
    return WatchNotices(
        due_soon_at=case.due_soon_sent_at if case.due_soon_sent_for == due else None,
        overdue_at=case.overdue_sent_at if case.overdue_sent_for == due else None,
        half_time_at=case.half_time_sent_at if case.half_time_sent_for == due else None,
    )


def overdue_view(case: WatchedCase, today: date) -> OverdueCaseView:
    fields = case.model_dump(include=set(OverdueCaseView.model_fields))
    return OverdueCaseView.model_validate(
        {**fields, "days_overdue": (today - case.due_date).days, "notices": notices(case)}
    )


def half_time_view(case: WatchedCase) -> HalfTimeCaseView:
    fields = case.model_dump(include=set(HalfTimeCaseView.model_fields))
    return HalfTimeCaseView.model_validate({**fields, "notices": notices(case)})
