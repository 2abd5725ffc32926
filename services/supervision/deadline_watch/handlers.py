"""The deadline watch's use cases: the timer's run, 催办 records, the overdue and half-time lists."""

from collections.abc import Callable
from datetime import date, datetime
from functools import cache

from ulid_transform import ulid_now

from contracts.actor import Actor
from contracts.errors import ErrorCode, ServiceError
from contracts.paging import Page
from contracts.supervision.watch import ReminderIn, ReminderRecord
from infra.aggregates import VersionConflict
from infra.settings import get_settings
from infra.working_days import WorkingCalendar
from services.supervision.deadline_watch import schedule
from services.supervision.deadline_watch import store as queries
from services.supervision.deadline_watch.schedule import WatchPlan
from services.supervision.store import SupervisionStore
from services.supervision.watch import NOTICES, OPEN_STATUSES, WatchedCase

BATCH = 500
SAVE_ATTEMPTS = 5


@cache
def current_plan() -> WatchPlan:
    """The national calendar (chinese-calendar, 调休 included) and the reminder setting."""
    return WatchPlan(WorkingCalendar(), get_settings().watch_reminder_working_days)


def county_plans(store: SupervisionStore, base: WatchPlan) -> Callable[[str], WatchPlan]:
    """`base` on each division's own calendar: the days its county, township or village set
    (routing's `calendar.day_set`) over the national schedule, each division's read once."""
    plans: dict[str, WatchPlan] = {}

    def plan(division: str) -> WatchPlan:
        if division not in plans:
            overrides = {**base.calendar.overrides, **store.county_calendar.overrides(division)}
            plans[division] = WatchPlan(WorkingCalendar(overrides), base.reminder_working_days)
        return plans[division]

    return plan


def rearmed(
    store: SupervisionStore, change: Callable[[WatchedCase], WatchedCase]
) -> Callable[[WatchedCase], WatchedCase]:
    """`change` followed by setting the notices' days afresh (schedule.arm) on the case's calendar."""

    def apply(case: WatchedCase) -> WatchedCase:
        changed = change(case)
        return schedule.arm(changed, county_plans(store, current_plan())(changed.division))

    return apply


def rearm_case(store: SupervisionStore, case_id: str, plans: Callable[[str], WatchPlan], rewrite: bool = False) -> bool:
    """Sets the case's notice days afresh, guarded on the version read; a case whose days stay
    is not written unless `rewrite`. True if it was written."""
    for _ in range(SAVE_ATTEMPTS):
        case = store.cases.get(case_id)
        if case is None:
            return False
        armed = schedule.arm(case, plans(case.division))
        if armed == case and not rewrite:
            return False
        try:
            store.cases.save(armed)
        except VersionConflict:
            continue
        return True
    return False


def run_watch(store: SupervisionStore, plan: WatchPlan, today: date, now: datetime, correlation_id: str) -> dict:
    """Sends every notice whose day has come, each claimed in the same guarded write as its event.

    Of two replicas that read the same case, the second's write finds the version moved and sends
    nothing; a case a concurrent event changed is looked at again on the next run.
    """
    sent = dict.fromkeys(NOTICES, 0)
    plans = county_plans(store, plan)
    while True:
        due = queries.due(store.cases, today, BATCH)
        progressed = False
        for case_id in due:
            case = store.cases.get(case_id)
            if case is None:
                continue
            fired = schedule.fire(case, plans(case.division), today, now)
            if fired.case == case:
                continue  # another replica claimed it since the query
            try:
                store.cases.save(fired.case, fired.events, correlation_id)
            except VersionConflict:
                continue
            progressed = True
            for event in fired.events:
                sent[event.TYPE.removeprefix("case.")] += 1
        if len(due) < BATCH or not progressed:
            return sent


def record_reminder(
    store: SupervisionStore, case_id: str, command: ReminderIn, actor: Actor, now: datetime
) -> ReminderRecord:
    """催办: kept on the watched case, who (the key's label) and when; only while the case is open."""
    record = ReminderRecord(
        reminder_id=ulid_now(), method=command.method, note=command.note, by=actor.label or actor.ref, at=now
    )
    for _ in range(SAVE_ATTEMPTS):
        case = store.cases.get(case_id)
        if case is None or not actor.can_see(case.division):
            raise ServiceError(ErrorCode.NOT_FOUND, f"没有编号为 {case_id} 的已交办案件 (no such case)", "case_id")
        if case.status not in OPEN_STATUSES:
            raise ServiceError(
                ErrorCode.INVALID_TRANSITION,
                f"案件状态为 {case.status.value}，无需催办 (only an open case is reminded)",
                "status",
            )
        try:
            store.cases.save(case.model_copy(update={"reminders": [*case.reminders, record]}))
        except VersionConflict:
            continue
        return record
    raise ServiceError(ErrorCode.CONFLICT, "案件正被同时更新，请重试 (the case changed meanwhile)", "case_id")


def overdue(store: SupervisionStore, division_prefix: str, today: date, limit: int, after: str | None) -> Page:
    return store.in_division(division_prefix, limit, after, overdue_on=today)


def half_time(store: SupervisionStore, division_prefix: str, today: date, limit: int, after: str | None) -> Page:
    return queries.half_time(store.cases, division_prefix, today, limit, after)
