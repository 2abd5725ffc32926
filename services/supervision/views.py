"""What supervisors see of a watched case."""

from datetime import date

from contracts.supervision import DeadlineView
from services.supervision.watch import WatchedCase, is_overdue


def deadline_view(case: WatchedCase, today: date) -> DeadlineView:
    fields = case.model_dump(include=set(DeadlineView.model_fields))
    return DeadlineView.model_validate({**fields, "overdue": is_overdue(case, today)})
