"""A county's working day changed: kept, and the notice days of the open cases it may move set afresh."""

from contracts.routing import CalendarDaySet
from services.supervision.deadline_watch import store as queries
from services.supervision.deadline_watch.handlers import county_plans, current_plan, rearm_case
from services.supervision.store import SupervisionStore


def apply_calendar_day(store: SupervisionStore, event: CalendarDaySet) -> int:
    """Keeps the decision, then re-arms the open cases below its division that it may concern
    (an indexed query on division and due date, never a scan of all cases). The re-arming runs on
    every delivery, so a redelivery after a crash finishes the cases a first one left; a case whose
    days do not move is not written. Returns how many cases changed."""
    store.county_calendar.keep(event)
    plans = county_plans(store, current_plan())
    return sum(
        rearm_case(store, case_id, plans) for case_id in queries.affected_by_day(store.cases, event.division, event.day)
    )
