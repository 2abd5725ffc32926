"""The deadline watch's timer and RPCs, mixed into SupervisionService."""

from prometheus_client import Counter

from contracts.actor import Actor
from contracts.errors import parse
from contracts.supervision.watch import ReminderIn
from infra.clock import local_today, utc_now
from infra.logs import correlation_id
from infra.nameko_entrypoints import rpc, settings_timer
from services.supervision.deadline_watch import arming, handlers
from services.supervision.deadline_watch.views import half_time_view, overdue_view

WATCH_NOTICES = Counter("watch_notices_total", "Deadline-watch notices sent", ["notice"])


class WatchEntrypoints:
    @settings_timer("watch_seconds")
    def watch_deadlines(self):
        arming.arm_unarmed(self.store)
        sent = handlers.run_watch(self.store, handlers.current_plan(), local_today(), utc_now(), correlation_id.get())
        for notice, count in sent.items():
            WATCH_NOTICES.labels(notice).inc(count)

    @rpc
    def overdue_cases(self, division_prefix: str, limit: int = 100, after: str | None = None) -> dict:
        today = local_today()
        page = handlers.overdue(self.store, division_prefix, today, limit, after)
        return page.map(lambda case: overdue_view(case, today)).model_dump(mode="json")

    @rpc
    def half_time_cases(self, division_prefix: str, limit: int = 100, after: str | None = None) -> dict:
        page = handlers.half_time(self.store, division_prefix, local_today(), limit, after)
        return page.map(half_time_view).model_dump(mode="json")

    @rpc
    def record_reminder(self, case_id: str, reminder: dict, actor: dict) -> dict:
        command, who = parse(ReminderIn, reminder), parse(Actor, actor)
        return handlers.record_reminder(self.store, case_id, command, who, utc_now()).model_dump(mode="json")
