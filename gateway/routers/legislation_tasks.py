"""Consultation tasks (立法征询意见任务): an office asks a contact point for comments on a draft, with a
due date and focus questions; the point may forward the task to its partners (区域协同), and the
chain of forwards is kept and shown to everyone on it."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from contracts.legislation.tasks import AssignTaskIn, ForwardTaskIn, TaskView
from contracts.vocabulary import ENTITY_ID, Role
from gateway.deps import Cursor, Legislation, Limit, allowed
from gateway.paging import PAGED, items_with_next_link
from gateway.problems import problem_responses
from gateway.routers.legislation_drafts import DraftId

router = APIRouter(prefix="/v1/legislation", tags=["legislation: tasks"])

Office = allowed(Role.LEGISLATIVE_OFFICE)
ContactPoint = allowed(Role.CONTACT_POINT)
LegislationStaff = allowed(Role.LEGISLATIVE_OFFICE, Role.CONTACT_POINT, Role.INFO_OFFICER)
TaskId = Annotated[
    str, Path(max_length=100, pattern=r"^[A-Za-z0-9_-]+$", examples=["01KAR2V7Q8M3XN5D4T6B9C0E1F-sanjiang"])
]
CHANGES = problem_responses(401, 403, 404, 409, 422)


@router.post("/drafts/{draft_id}/tasks", status_code=201, response_model=TaskView, responses=CHANGES)
async def assign_task(draft_id: DraftId, body: AssignTaskIn, principal: Office, legislation: Legislation) -> TaskView:
    """Asks a point for comments by a due date (Beijing date, by the draft's close). An unknown point
    is 422 naming `point_id`; a point that already has the draft's task is 409 with it in `state`."""
    return await legislation.assign_task(draft_id, body, principal)


@router.post("/tasks/{task_id}/forward", status_code=201, response_model=TaskView, responses=CHANGES)
async def forward_task(
    task_id: TaskId, body: ForwardTaskIn, principal: ContactPoint, legislation: Legislation
) -> TaskView:
    """The holder forwards its task to one of its partners, which gets its own task on the chain. A
    point that is not a partner, or unknown, is 422 naming `partner_point_id`."""
    return await legislation.forward_task(task_id, body, principal)


@router.get("/tasks/{task_id}", response_model=TaskView, responses=problem_responses(401, 403, 404))
async def task(task_id: TaskId, principal: LegislationStaff, legislation: Legislation) -> TaskView:
    """A task with its chain (from the point the office asked to the holder) and its forwards."""
    return await legislation.task(task_id, principal)


@router.get("/tasks", response_model=list[TaskView], responses={**PAGED, **problem_responses(401, 403, 422)})
async def tasks(
    request: Request,
    response: Response,
    principal: LegislationStaff,
    legislation: Legislation,
    draft_id: Annotated[str | None, Query(max_length=64, pattern=r"^[A-Za-z0-9_-]+$")] = None,
    point_id: Annotated[str | None, Query(max_length=64, pattern=ENTITY_ID.pattern)] = None,
    limit: Limit = 50,
    after: Cursor = None,
):
    """The tasks the key may see (its points', or its office's drafts'), of a draft or a point, newest first."""
    page = await legislation.tasks(draft_id, point_id, principal, limit, after)
    return items_with_next_link(request, response, page)
