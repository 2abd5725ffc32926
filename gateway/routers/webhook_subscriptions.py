"""Webhook 订阅: county systems subscribe a URL to event types; notify posts each such event there, signed
(README "Webhooks"). A new subscription is active only once its receiver has echoed the challenge."""

from typing import Annotated

from fastapi import APIRouter, Path

from contracts.notify.webhooks import WebhookSubscriptionIn, WebhookSubscriptionView
from contracts.vocabulary import Role
from gateway.auth import require_scope
from gateway.deps import Notify, ScopedDivision, allowed
from gateway.problems import problem_responses

router = APIRouter(prefix="/v1/webhook-subscriptions", tags=["notify"])

CountySystem = allowed(Role.COUNTY_SYSTEM)
SubscriptionId = Annotated[str, Path(pattern=r"^[0-9A-HJKMNP-TV-Z]{26}$", examples=["01JDQ8M5V6X4T2R9K7W3B1N0PZ"])]


@router.post("", status_code=201, response_model=WebhookSubscriptionView, responses=problem_responses(401, 403, 422))
async def subscribe(body: WebhookSubscriptionIn, principal: CountySystem, notify: Notify):
    """Saves the subscription and sends the receiver a challenge at once; `status` says whether it echoed it.
    Refused: a URL that is not http(s), or (in production) that resolves to a loopback, link-local or
    private address; an unknown event type."""
    require_scope(principal, body.division, "division")
    return await notify.create_webhook_subscription(body, principal)


@router.get("", response_model=list[WebhookSubscriptionView], responses=problem_responses(401, 403, 422))
async def subscriptions(principal: CountySystem, division: ScopedDivision, notify: Notify):
    """The subscriptions of the division and those below it (never their secrets)."""
    return await notify.webhook_subscriptions(division)


@router.post(
    "/{subscription_id}/verify", response_model=WebhookSubscriptionView, responses=problem_responses(401, 403, 404)
)
async def verify(subscription_id: SubscriptionId, principal: CountySystem, notify: Notify):
    """Sends a new challenge; the subscription is active if the receiver echoes it, unverified otherwise."""
    return await notify.verify_webhook_subscription(subscription_id, principal)


@router.delete("/{subscription_id}", status_code=204, responses=problem_responses(401, 403, 404))
async def unsubscribe(subscription_id: SubscriptionId, principal: CountySystem, notify: Notify) -> None:
    await notify.delete_webhook_subscription(subscription_id, principal)
