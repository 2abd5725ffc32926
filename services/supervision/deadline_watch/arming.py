"""Arming the cases stored before the watch existed.

A watched case gets its notice days when an event changes it. Cases written before the watch
have none, so the timer would never find them due until their next event. The timer's first run
on a database arms them in batches and then records that it is done; replicas running it at once
only repeat a guarded, idempotent write.
"""

from services.supervision.deadline_watch import store as queries
from services.supervision.deadline_watch.handlers import BATCH, county_plans, current_plan, rearm_case
from services.supervision.store import SupervisionStore

DONE = "cases_before_the_watch_armed"


def arm_unarmed(store: SupervisionStore) -> int:
    """Arms every open case without notice days, once per database; returns how many it wrote.
    A batch that wrote nothing (every case changed meanwhile) leaves the rest to the next run."""
    if store.watch_upkeep.find_one({"_id": DONE}) is not None:
        return 0
    plans, armed = county_plans(store, current_plan()), 0
    while case_ids := queries.unarmed(store.cases, BATCH):
        written = sum(rearm_case(store, case_id, plans, rewrite=True) for case_id in case_ids)
        if not written:
            return armed
        armed += written
    store.watch_upkeep.update_one({"_id": DONE}, {"$set": {"armed": armed}}, upsert=True)
    return armed
