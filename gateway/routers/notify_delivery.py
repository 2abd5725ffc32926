"""Notification delivery: a principal's channel preferences, a division's channel policy (admin),
delivery status, and the admin's replay of a dead delivery."""

from typing import Annotated

from fastapi import APIRouter, Body, Path, Query, Request, Response

from contracts.notify.delivery import (
    DeliveryView,
    DivisionPolicyIn,
    DivisionPolicyView,
    PreferencesIn,
    PreferencesView,
    principal_recipient,
)
from contracts.vocabulary import Role
from gateway.deps import (
    Admin,
    Cursor,
    Divisions,
    Limit,
    Notify,
    Principal,
    ScopedDivision,
    administered,
    allowed,
)
from gateway.paging import PAGED, items_with_next_link
from gateway.problems import problem_responses

router = APIRouter(tags=["notify"])

DeliveryReader = allowed(Role.SUPERVISOR, Role.STATION)
DivisionCodePath = Annotated[str, Path(pattern=r"^\d{6}(\d{3}(\d{3})?)?$", examples=["330481"])]
DeliveryId = Annotated[
    str, Path(max_length=300, pattern=r"^[A-Za-z0-9_:.-]+$", examples=["01JEVENT:unit:hn-transport:dingtalk"])
]
PREFERENCES_EXAMPLE = {
    "channels": {"case.assigned": ["in_app", "dingtalk"], "supervision.overdue": ["in_app", "sms"]},
    "addresses": {
        "dingtalk": {"address": "https://oapi.dingtalk.com/robot/send?access_token=abc123", "secret": "SEC0a1b2c"},
        "sms": {"address": "13800138000"},
    },
}


@router.get("/v1/notify/preferences", response_model=PreferencesView, responses=problem_responses(401))
async def preferences(principal: Principal, notify: Notify) -> PreferencesView:
    """本密钥主体的渠道偏好（地址已脱敏）/ the key's principal's channels per event type, addresses masked."""
    return await notify.preferences(principal_recipient(principal), principal.scope)


@router.put("/v1/notify/preferences", response_model=PreferencesView, responses=problem_responses(401, 422))
async def set_preferences(
    principal: Principal,
    notify: Notify,
    body: Annotated[PreferencesIn, Body(openapi_examples={"钉钉群与短信": {"value": PREFERENCES_EXAMPLE}})],
) -> PreferencesView:
    """按事件类型选择渠道，须在本区划允许的渠道之内；未知事件类型或不允许的渠道答 422
    (per event type, within what the division allows; an unknown event type or a refused channel is 422)."""
    return await notify.set_preferences(principal_recipient(principal), principal.scope, body)


@router.get(
    "/v1/admin/notify/divisions/{code}", response_model=DivisionPolicyView, responses=problem_responses(401, 403, 422)
)
async def division_policy(code: DivisionCodePath, principal: Admin, divisions: Divisions, notify: Notify):
    """本区划允许的渠道与短信免打扰时段 / the channels a division allows and its SMS quiet hours."""
    await administered(principal, divisions, code, "code")
    return await notify.division_policy(code)


@router.put(
    "/v1/admin/notify/divisions/{code}", response_model=DivisionPolicyView, responses=problem_responses(401, 403, 422)
)
async def set_division_policy(
    code: DivisionCodePath, body: DivisionPolicyIn, principal: Admin, divisions: Divisions, notify: Notify
):
    """设置本区划及下级区划允许的渠道和短信免打扰时段（默认 22:00–08:00，一次性验证码不受限）
    (the division's allowed channels and SMS quiet hours, 22:00–08:00 by default; one-time codes are exempt)."""
    await administered(principal, divisions, code, "code")
    return await notify.set_division_policy(code, body)


@router.get(
    "/v1/deliveries", response_model=list[DeliveryView], responses={**PAGED, **problem_responses(401, 403, 422)}
)
async def deliveries(
    request: Request,
    response: Response,
    principal: DeliveryReader,
    division: ScopedDivision,
    notify: Notify,
    event_id: Annotated[str | None, Query(max_length=40, pattern=r"^[0-9A-Za-z]+$")] = None,
    recipient: Annotated[str | None, Query(max_length=100, pattern=r"^[a-z_]+:[A-Za-z0-9_.-]+$")] = None,
    limit: Limit = 50,
    after: Cursor = None,
):
    """投递状态：按事件和/或接收方，最新在前 / delivery status by event and/or recipient, newest first."""
    page = await notify.deliveries(division, event_id, recipient, limit, after)
    return items_with_next_link(request, response, page)


@router.post(
    "/v1/admin/deliveries/{delivery_id}/replay",
    response_model=DeliveryView,
    responses=problem_responses(401, 403, 404, 409),
)
async def replay(delivery_id: DeliveryId, principal: Admin, notify: Notify) -> DeliveryView:
    """重发一条失败终止（dead）的投递；其他状态答 409，`state` 为其当前记录
    (replays a dead delivery; any other status is 409 with the record in `state`)."""
    return await notify.replay_delivery(delivery_id, principal.scope)
