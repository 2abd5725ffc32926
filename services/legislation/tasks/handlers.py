"""Tasks' use cases: assign, forward, and read a task with its chain."""

from datetime import datetime

from contracts.actor import Actor
from contracts.errors import ErrorCode, ServiceError
from contracts.legislation.tasks import AssignTaskIn, ChainLink, ForwardTaskIn, ForwardView, TaskView
from contracts.paging import Page
from infra.mongo import division_prefix_filter
from services.legislation.drafts.handlers import not_found as draft_not_found
from services.legislation.store import LegislationStore
from services.legislation.tasks import rules
from services.legislation.tasks.task import Task

FORWARDS_SHOWN = 50


def task_not_found(task_id: str) -> ServiceError:
    return ServiceError(ErrorCode.NOT_FOUND, f"任务 {task_id} 不存在 (no such task)", "task_id")


def readable(task: Task, actor: Actor) -> bool:
    """The holder's keys, the office's, and those of every point the task came through."""
    return actor.can_see(task.division) or actor.can_see(task.draft_division)


def already_held(store: LegislationStore, task: Task) -> ServiceError:
    current = store.tasks.get(task.task_id)
    return ServiceError(
        ErrorCode.CONFLICT,
        f"联系点 {task.point_id} 已有该草案的征询任务 (the point already has a task for this draft)",
        "point_id",
        state=view(store, current).model_dump(mode="json"),
    )


def assign_task(store: LegislationStore, draft_id: str, command: AssignTaskIn, actor: Actor, now: datetime) -> Task:
    draft = store.drafts.get(draft_id)
    if draft is None or not actor.can_see(draft.division):
        raise draft_not_found(draft_id)
    task, event = rules.assign(draft, store.points.get(command.point_id), command, actor, now)
    if not store.tasks.add(task, [event]):
        raise already_held(store, task)
    return task


def forward_task(store: LegislationStore, task_id: str, command: ForwardTaskIn, actor: Actor, now: datetime) -> Task:
    """Only the holder's keys (and administrators) forward: the office asked the point, not itself."""
    task = store.tasks.get(task_id)
    if task is None or not actor.can_see(task.division):
        raise task_not_found(task_id)
    holder, partner = store.points.get(task.point_id), store.points.get(command.partner_point_id)
    forwarded, event = rules.forward(task, holder, partner, store.drafts.get(task.draft_id), command, actor, now)
    if not store.tasks.add(forwarded, [event]):
        raise already_held(store, forwarded)
    return forwarded


def task_for(store: LegislationStore, task_id: str, actor: Actor) -> Task:
    task = store.tasks.get(task_id)
    if task is None or not (readable(task, actor) or forwarded_by_them(store, task, actor)):
        raise task_not_found(task_id)
    return task


def forwarded_by_them(store: LegislationStore, task: Task, actor: Actor) -> bool:
    """A point sees the tasks it forwarded, and what they were forwarded on as (the chain is shown)."""
    for point_id in task.chain[:-1]:
        point = store.points.get(point_id)
        if point is not None and actor.can_see(point.division):
            return True
    return False


def view(store: LegislationStore, task: Task) -> TaskView:
    def link(point_id: str) -> ChainLink:
        point = store.points.get(point_id)
        name, division = (point.name, point.division) if point else (point_id, "")
        return ChainLink(
            task_id=rules.task_id(task.draft_id, point_id), point_id=point_id, name=name, division=division
        )

    forwards = store.tasks.collection.find({"forwarded_from": task.task_id}).limit(FORWARDS_SHOWN)
    return TaskView(
        **task.model_dump(include=set(TaskView.model_fields) - {"chain", "forwards"}),
        chain=[link(point_id) for point_id in task.chain],
        forwards=[ForwardView(**link(doc["point_id"]).model_dump(), due_date=doc["due_date"]) for doc in forwards],
    )


def tasks_of(
    store: LegislationStore, draft_id: str | None, point_id: str | None, actor: Actor, limit: int, after: str | None
) -> Page:
    """Tasks of a draft or of a point (or both), newest first, among those the key may read."""
    scope = division_prefix_filter(actor.scope)
    query: dict = {"$or": [{"division": scope}, {"draft_division": scope}]}
    if draft_id:
        query["draft_id"] = draft_id
    if point_id:
        query["point_id"] = point_id
    return store.tasks.page(query, "assigned_at", True, limit, after)
