"""notify's delivery use cases behind its RPCs: preferences, divisions' policies, listing and replay."""

from datetime import datetime

from contracts.errors import ErrorCode, ServiceError
from contracts.notify.delivery import (
    AddressView,
    DeliveryStatus,
    DeliveryView,
    DivisionPolicyIn,
    DivisionPolicyView,
    NotifyChannel,
    PreferencesIn,
    PreferencesView,
)
from contracts.paging import Page
from contracts.vocabulary import within
from infra.pii import PiiCipher
from services.notify.delivery import record
from services.notify.delivery.record import Delivery
from services.notify.delivery.store import DeliveryStore
from services.notify.recipients import known_event_type


def masked(address: str) -> str:
    """Enough to recognise an address by, not to use it: `ab***@x.cn`, `138****5678`, a URL without its token."""
    if "://" in address:
        return address.split("?", 1)[0] + ("?***" if "?" in address else "")
    if "@" in address:
        name, _, domain = address.partition("@")
        return f"{name[:2]}***@{domain}"
    return address[:3] + "****" + address[-4:] if len(address) >= 8 else "****"


def preferences(store: DeliveryStore, cipher: PiiCipher, recipient: str, division: str) -> PreferencesView:
    channels, addresses = store.preferences_of(recipient, cipher)
    return PreferencesView(
        recipient=recipient,
        division=division,
        channels=channels,
        addresses={
            channel: AddressView(address=masked(entry["address"]), signed=bool(entry.get("secret")))
            for channel, entry in addresses.items()
        },
        allowed=store.policy_for(division).allowed_channels,
    )


def set_preferences(
    store: DeliveryStore, cipher: PiiCipher, recipient: str, division: str, wanted: PreferencesIn
) -> PreferencesView:
    """Refuses, naming the field, an event type nobody is told of or a channel the division does not
    allow; otherwise replaces the principal's preferences."""
    allowed = set(store.policy_for(division).allowed_channels)
    for event_type, channels in wanted.channels.items():
        if not known_event_type(event_type):
            raise ServiceError(
                ErrorCode.INVALID, f"未知的事件类型 (unknown event type {event_type})", f"channels.{event_type}"
            )
        refused = [c.value for c in channels if c not in allowed]
        if refused:
            raise ServiceError(
                ErrorCode.INVALID,
                f"本区划不允许的渠道 (channels the division does not allow): {', '.join(refused)}",
                f"channels.{event_type}",
            )
    channels = {event_type: [c.value for c in chosen] for event_type, chosen in wanted.channels.items()}
    addresses = {channel.value: entry.model_dump() for channel, entry in wanted.addresses.items()}
    store.set_preferences(recipient, division, channels, addresses, cipher)
    return preferences(store, cipher, recipient, division)


def division_policy(store: DeliveryStore, division: str) -> DivisionPolicyView:
    return DivisionPolicyView(division=division, **store.policy_for(division).model_dump())


def set_division_policy(store: DeliveryStore, division: str, policy: DivisionPolicyIn) -> DivisionPolicyView:
    if NotifyChannel.IN_APP not in policy.allowed_channels:
        raise ServiceError(ErrorCode.INVALID, "站内信不可关闭 (the in-app inbox is always on)", "allowed_channels")
    store.set_policy(division, policy)
    return division_policy(store, division)


def delivery_view(delivery: Delivery) -> DeliveryView:
    return DeliveryView.model_validate(delivery.model_dump(include=set(DeliveryView.model_fields)))


def deliveries(
    store: DeliveryStore, division: str, event_id: str | None, recipient: str | None, limit: int, after: str | None
) -> Page:
    return store.find(division, event_id, recipient, limit, after).map(delivery_view)


def replay(store: DeliveryStore, delivery_id: str, scope: str, now: datetime) -> DeliveryView:
    """An admin sends a dead delivery again; refused (CONFLICT, with its state) unless it is dead."""
    delivery = store.get(delivery_id)
    if delivery is None or not within(delivery.division, scope):
        raise ServiceError(ErrorCode.NOT_FOUND, "没有这条投递记录 (no such delivery)", "delivery_id")
    if delivery.status is not DeliveryStatus.DEAD:
        raise ServiceError(
            ErrorCode.CONFLICT,
            f"只有失败终止的投递可以重发 (only a dead delivery can be replayed; this one is {delivery.status.value})",
            "delivery_id",
            state=delivery_view(delivery).model_dump(mode="json"),
        )
    saved = store.save(record.replayed(delivery, now))
    if saved is None:
        raise ServiceError(ErrorCode.CONFLICT, "投递记录刚被更新，请重试 (changed meanwhile, try again)", "delivery_id")
    return delivery_view(saved)
