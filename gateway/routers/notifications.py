"""The in-app inbox of a unit, deputy, station or supervisor, within the key's scope."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel, Field

from contracts.notify import NotificationView
from contracts.notify.delivery import principal_recipient
from contracts.vocabulary import Role
from gateway.deps import CaseReader, Cursor, Limit, Notify, Principal, ScopedDivision
from gateway.paging import PAGED, items_with_next_link
from gateway.problems import Problem, problem_responses

router = APIRouter(prefix="/v1/notifications", tags=["notifications"])

Recipient = Annotated[
    str, Query(pattern=r"^(unit|deputy|station|supervisor):[a-z0-9_-]{1,64}$", examples=["unit:hn-transport"])
]


@router.get("", response_model=list[NotificationView], responses={**PAGED, **problem_responses(401, 403, 422)})
async def notifications(
    request: Request,
    response: Response,
    principal: CaseReader,
    division: ScopedDivision,
    notify: Notify,
    recipient: Recipient,
    limit: Limit = 50,
    after: Cursor = None,
):
    """Newest first. A deputy's inbox (`deputy:<id>`) is that deputy's alone: its own key (or an admin) reads it."""
    if recipient.startswith("deputy:") and principal.role is not Role.ADMIN:
        if recipient != principal_recipient(principal):
            raise Problem(403, "只能查看本人的站内信", "A deputy's inbox is read by that deputy only", "recipient")
    page = await notify.inbox(recipient, division, limit, after)
    return items_with_next_link(request, response, page)


class UnreadCount(BaseModel):
    recipient: str = Field(examples=["unit:hn-transport"])
    unread: int = Field(examples=[3])


NotificationId = Annotated[
    str, Path(max_length=200, pattern=r"^[A-Za-z0-9_:.-]+$", examples=["01JEVENT:unit:hn-transport"])
]


@router.get("/inbox", response_model=list[NotificationView], responses={**PAGED, **problem_responses(401, 422)})
async def my_inbox(
    request: Request, response: Response, principal: Principal, notify: Notify, limit: Limit = 50, after: Cursor = None
):
    """站内信：本密钥所代表主体的收件箱，最新在前 / the inbox of the key's principal, newest first
    (a handler's unit, a station or supervisor of the key's division, a deputy or contact point its key names)."""
    page = await notify.inbox(principal_recipient(principal), principal.scope, limit, after)
    return items_with_next_link(request, response, page)


@router.get("/unread-count", response_model=UnreadCount, responses=problem_responses(401))
async def unread_count(principal: Principal, notify: Notify) -> UnreadCount:
    """未读条数 / how many of the key's principal's notices are unread."""
    recipient = principal_recipient(principal)
    return UnreadCount(recipient=recipient, unread=await notify.unread_count(recipient))


@router.post("/{notification_id}/read", response_model=NotificationView, responses=problem_responses(401, 404, 422))
async def mark_read(notification_id: NotificationId, principal: Principal, notify: Notify) -> NotificationView:
    """标为已读 / marks one of the principal's own notices read (again: no change); anyone else's is 404."""
    return await notify.mark_read(notification_id, principal_recipient(principal))
