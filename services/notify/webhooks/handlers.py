"""Webhook subscription use cases. Everything is checked before anything is saved; a new subscription is
saved unverified and becomes active only when its receiver echoes the challenge."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from ulid_transform import ulid_now

from contracts.actor import Actor
from contracts.errors import ErrorCode, ServiceError
from contracts.notify.webhooks import SubscriptionStatus, WebhookSubscriptionIn, WebhookSubscriptionView
from infra.pii import PiiCipher
from services.notify.channels.base import DeliveryFailed
from services.notify.channels.destinations import check_destination
from services.notify.templates import catalog
from services.notify.webhooks.store import Subscription, WebhookStore

# (url, secret, subscription id) → whether the receiver echoed a fresh challenge (WebhookChannel.challenge)
Challenge = Callable[[str, str, str], bool]


@dataclass(frozen=True)
class Receiver:
    """Where and how an event goes to one subscriber, for the delivery engine (secret in the clear: keep it
    only for the send)."""

    subscription_id: str
    url: str
    secret: str


def view(subscription: Subscription) -> WebhookSubscriptionView:
    return WebhookSubscriptionView.model_validate(subscription.model_dump(exclude={"sealed_secret"}))


def _acceptable_url(url: str, allow_internal: bool | None) -> None:
    try:
        check_destination(url, allow_internal)
    except DeliveryFailed as refused:
        raise ServiceError(ErrorCode.INVALID, refused.reason, "url") from None


def _own(store: WebhookStore, subscription_id: str, actor: Actor) -> Subscription:
    """The subscription if the actor's scope covers it; NOT_FOUND otherwise, so ids reveal nothing."""
    subscription = store.get(subscription_id)
    if subscription is None or not actor.can_see(subscription.division):
        raise ServiceError(ErrorCode.NOT_FOUND, "没有这个订阅（no such subscription）", "subscription_id")
    return subscription


def _verify(store: WebhookStore, cipher: PiiCipher, subscription: Subscription, challenge: Challenge, now) -> None:
    echoed = challenge(subscription.url, cipher.open_text(subscription.sealed_secret), subscription.id)
    status = SubscriptionStatus.ACTIVE if echoed else SubscriptionStatus.UNVERIFIED
    store.mark(subscription.id, status, now if echoed else None)


def create(
    store: WebhookStore,
    cipher: PiiCipher,
    wanted: WebhookSubscriptionIn,
    actor: Actor,
    now: datetime,
    challenge: Challenge,
    allow_internal: bool | None = None,
) -> WebhookSubscriptionView:
    if not actor.can_see(wanted.division):
        raise ServiceError(ErrorCode.FORBIDDEN, "超出管辖范围（outside the key's scope）", "division")
    for index, event_type in enumerate(wanted.event_types):
        if not catalog.known(event_type):
            raise ServiceError(
                ErrorCode.INVALID, f"未知的事件类型（unknown event type {event_type}）", f"event_types.{index}"
            )
    _acceptable_url(wanted.url, allow_internal)
    subscription = Subscription(
        id=ulid_now(),
        url=wanted.url,
        event_types=list(dict.fromkeys(wanted.event_types)),
        division=wanted.division,
        status=SubscriptionStatus.UNVERIFIED,
        owner=actor.ref,
        created_at=now,
        sealed_secret=cipher.seal_text(wanted.secret),
    )
    store.add(subscription)
    _verify(store, cipher, subscription, challenge, now)
    return view(store.get(subscription.id))


def verify(
    store: WebhookStore,
    cipher: PiiCipher,
    subscription_id: str,
    actor: Actor,
    now: datetime,
    challenge: Challenge,
    allow_internal: bool | None = None,
) -> WebhookSubscriptionView:
    subscription = _own(store, subscription_id, actor)
    _acceptable_url(subscription.url, allow_internal)
    _verify(store, cipher, subscription, challenge, now)
    return view(store.get(subscription_id))


def remove(store: WebhookStore, subscription_id: str, actor: Actor) -> None:
    store.remove(_own(store, subscription_id, actor).id)


def listing(store: WebhookStore, division_prefix: str) -> list[WebhookSubscriptionView]:
    return [view(subscription) for subscription in store.in_division(division_prefix)]


def receivers(store: WebhookStore, cipher: PiiCipher, event_type: str, division: str) -> list[Receiver]:
    """The verified subscribers of an event of `event_type` in `division` (the delivery engine's recipients)."""
    return [
        Receiver(subscription.id, subscription.url, cipher.open_text(subscription.sealed_secret))
        for subscription in store.listening(event_type, division)
    ]
