"""通知模板: the wording notify sends per event type and channel, a division's own or the default, and a
preview. Administrators only, within their scope."""

from typing import Annotated

from fastapi import APIRouter, Path, Query

from contracts.notify.templates import (
    EVENT_TYPE_PATTERN,
    PreviewIn,
    PreviewView,
    TemplateChannel,
    TemplateIn,
    TemplateView,
)
from gateway.auth import require_scope
from gateway.deps import Admin, Divisions, Notify, ScopedDivision, administered
from gateway.problems import problem_responses

router = APIRouter(prefix="/v1/notify/templates", tags=["notify"])

EventTypePath = Annotated[
    str,
    Path(pattern=EVENT_TYPE_PATTERN, max_length=64, description="事件类型 / event type", examples=["case.assigned"]),
]
EventTypeQuery = Annotated[
    str | None, Query(pattern=EVENT_TYPE_PATTERN, max_length=64, description="事件类型 / event type")
]
ChannelPath = Annotated[TemplateChannel, Path(description="渠道 / channel", examples=["sms"])]


@router.get("", response_model=list[TemplateView], responses=problem_responses(401, 403, 422))
async def templates(principal: Admin, division: ScopedDivision, notify: Notify, event_type: EventTypeQuery = None):
    """The templates in effect for the division, per event type and channel, with the variables each offers."""
    return await notify.notify_templates(division, event_type)


@router.post("/preview", response_model=PreviewView, responses=problem_responses(401, 403, 422))
async def preview(body: PreviewIn, principal: Admin, notify: Notify):
    """A template rendered with an example event (or the variables given): the one in effect, or the one in
    the body before it is saved. For SMS, `parameters` are what the provider's template receives."""
    require_scope(principal, body.division, "division")
    return await notify.preview_notify_template(body)


@router.get("/{event_type}/{channel}", response_model=TemplateView, responses=problem_responses(401, 403, 422))
async def template(
    event_type: EventTypePath, channel: ChannelPath, principal: Admin, division: ScopedDivision, notify: Notify
):
    return await notify.notify_template(division, event_type, channel.value)


@router.put("/{event_type}/{channel}", response_model=TemplateView, responses=problem_responses(401, 403, 422))
async def save_template(
    event_type: EventTypePath,
    channel: ChannelPath,
    body: TemplateIn,
    principal: Admin,
    division: ScopedDivision,
    divisions: Divisions,
    notify: Notify,
):
    """The division's own wording (its townships inherit it). Refused, with the variable named, when it uses a
    variable the event does not offer, or personal data on a group robot; an SMS needs its approved template id."""
    await administered(principal, divisions, division)
    return await notify.save_notify_template(division, event_type, channel.value, body, principal)


@router.delete("/{event_type}/{channel}", response_model=TemplateView, responses=problem_responses(401, 403, 404, 422))
async def reset_template(
    event_type: EventTypePath, channel: ChannelPath, principal: Admin, division: ScopedDivision, notify: Notify
):
    """Drops the division's own wording; the answer is the template now in effect."""
    return await notify.reset_notify_template(division, event_type, channel.value)
