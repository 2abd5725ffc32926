"""What flows back along a chain of forwards: the points a task's comments count for."""

from services.legislation.store import LegislationStore


def task_chain(store: LegislationStore, task_id: str) -> list[str]:
    """The points from the one the office asked to the task's holder: a comment recorded under the
    task counts for each of them (what a partner collects flows back to whoever forwarded to it).
    Empty for an unknown task."""
    task = store.tasks.get(task_id)
    return list(task.chain) if task is not None else []
