"""The in-app inbox of a unit, deputy, station or supervisor, within the key's scope."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from contracts.notify import NotificationView
from gateway.deps import CaseReader, Cursor, Limit, Notify, ScopedDivision
from gateway.paging import PAGED, items_with_next_link
from gateway.problems import problem_responses

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
    """Newest first."""
    page = await notify.inbox(recipient, division, limit, after)
    return items_with_next_link(request, response, page)
