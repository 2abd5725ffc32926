"""A consultation task held by one point. An office's task has no `forwarded_from`; a forward is a
new task for the partner whose `forwarded_from` is the task it came from, so the chain is the walk
along `forwarded_from` back to the office's task (`root_task_id`)."""

from datetime import date

from pydantic import BaseModel

from contracts.vocabulary import Instant


class Task(BaseModel):
    task_id: str
    draft_id: str
    division: str
    """The holding point's division (the events about the task carry it)."""
    office_id: str
    draft_division: str
    """The office's division: the office's keys see every task of its drafts."""
    point_id: str
    due_date: date
    focus_questions: list[str] = []
    note: str = ""
    forwarded_from: str | None = None
    root_task_id: str
    depth: int = 0
    assigned_at: Instant
    assigned_by: str
    chain: list[str]
    """The points from the one the office asked to this task's holder (see `task_chain`)."""
    draft_title: str
    version: int = 0
