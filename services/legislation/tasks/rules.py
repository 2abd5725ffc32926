"""Consultation tasks' rules: an office asks a point; a point forwards to a partner. Plain functions.

A point holds at most one task per draft: a task's id is the draft's and the point's, so asking a
point twice, or forwarding to a partner that already has the draft's task, is a conflict, and a
chain of forwards can never come back on itself.
"""

from datetime import date, datetime

from contracts.actor import Actor
from contracts.errors import ErrorCode, ServiceError
from contracts.legislation.tasks import AssignTaskIn, ForwardTaskIn, TaskAssigned, TaskForwarded
from infra.clock import local_date
from services.legislation.directory.entries import ContactPoint
from services.legislation.drafts.draft import Draft
from services.legislation.tasks.task import Task


def task_id(draft_id: str, point_id: str) -> str:
    return f"{draft_id}-{point_id}"


def invalid(field: str, message: str) -> ServiceError:
    return ServiceError(ErrorCode.INVALID, message, field)


def usable_point(point: ContactPoint | None, point_id: str, field: str) -> ContactPoint:
    if point is None or not point.active:
        raise invalid(field, f"联系点 {point_id} 不存在或已停用 (unknown or deactivated contact point)")
    return point


def check_draft_takes_tasks(draft: Draft, now: datetime) -> None:
    if draft.closes_at <= now:
        raise ServiceError(
            ErrorCode.INVALID_TRANSITION, "草案征求意见已结束 (the draft's consultation is closed)", "draft_id"
        )


def check_due_date(due: date, draft: Draft, now: datetime, latest: date | None = None) -> None:
    """A due date from today (Beijing) to the draft's last day, and no later than `latest` (a
    forwarded task's comments must reach the forwarding point before its own due date)."""
    if due < local_date(now):
        raise invalid("due_date", "完成期限不能早于今天 (the due date is in the past)")
    last_day = local_date(draft.closes_at)
    if due > last_day:
        raise invalid("due_date", f"完成期限不能晚于征求意见截止日 {last_day} (after the consultation closes)")
    if latest is not None and due > latest:
        raise invalid("due_date", f"完成期限不能晚于原任务的期限 {latest} (after the forwarding task's own)")


def assign(
    draft: Draft, point: ContactPoint | None, command: AssignTaskIn, actor: Actor, now: datetime
) -> tuple[Task, TaskAssigned]:
    point = usable_point(point, command.point_id, "point_id")
    check_draft_takes_tasks(draft, now)
    check_due_date(command.due_date, draft, now)
    new_id = task_id(draft.draft_id, point.point_id)
    task = Task(
        task_id=new_id,
        draft_id=draft.draft_id,
        draft_title=draft.title,
        division=point.division,
        office_id=draft.office_id,
        draft_division=draft.division,
        point_id=point.point_id,
        due_date=command.due_date,
        focus_questions=command.focus_questions,
        note=command.note,
        root_task_id=new_id,
        chain=[point.point_id],
        assigned_at=now,
        assigned_by=actor.ref,
    )
    event = TaskAssigned(
        task_id=task.task_id,
        draft_id=task.draft_id,
        draft_title=task.draft_title,
        division=task.division,
        office_id=task.office_id,
        point_id=task.point_id,
        due_date=task.due_date,
        focus_questions=task.focus_questions,
    )
    return task, event


def forward(
    task: Task,
    holder: ContactPoint,
    partner: ContactPoint | None,
    draft: Draft,
    command: ForwardTaskIn,
    actor: Actor,
    now: datetime,
) -> tuple[Task, TaskForwarded]:
    """The partner's new task, carrying the chain and the questions (the forwarder's added to the task's)."""
    partner_id = command.partner_point_id
    if partner is None:
        raise invalid("partner_point_id", f"联系点 {partner_id} 不存在 (unknown contact point)")
    if partner_id not in holder.partners:
        raise invalid(
            "partner_point_id",
            f"{partner.name} 不是 {holder.name} 的协作联系点 (not a partner of the forwarding point)",
        )
    usable_point(partner, partner_id, "partner_point_id")
    check_draft_takes_tasks(draft, now)
    due = command.due_date or task.due_date
    check_due_date(due, draft, now, latest=task.due_date)
    questions = [*task.focus_questions, *(q for q in command.focus_questions if q not in task.focus_questions)]
    forwarded = task.model_copy(
        update={
            "task_id": task_id(task.draft_id, partner_id),
            "division": partner.division,
            "point_id": partner_id,
            "due_date": due,
            "focus_questions": questions,
            "note": command.note,
            "forwarded_from": task.task_id,
            "depth": task.depth + 1,
            "chain": [*task.chain, partner_id],
            "assigned_at": now,
            "assigned_by": actor.ref,
            "version": 0,
        }
    )
    event = TaskForwarded(
        task_id=forwarded.task_id,
        forwarded_from=task.task_id,
        draft_id=forwarded.draft_id,
        draft_title=forwarded.draft_title,
        division=forwarded.division,
        from_point_id=task.point_id,
        point_id=partner_id,
        chain=forwarded.chain,
        due_date=due,
        focus_questions=questions,
    )
    return forwarded, event
