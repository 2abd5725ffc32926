"""notify's delivery rules: backoff, quiet hours, the channels a notice goes out on, a key's inbox."""

import random
from datetime import UTC, datetime, timedelta

from contracts.notify.delivery import DeliveryStatus, QuietHours, principal_recipient
from contracts.subscriptions import SUBSCRIPTIONS
from contracts.vocabulary import Role
from services.notify.delivery import record
from services.notify.delivery.policy import outgoing_channels, quiet_until
from services.notify.recipients import DEFAULT_CHANNELS, WHO_HEARS
from tests.factories import NOW, actor

EVERY = ("in_app", "email", "sms", "dingtalk", "wecom", "webhook")


def delivery(**overrides):
    fields = dict(
        id="01E:unit:hn-transport:dingtalk",
        notification_id="01E:unit:hn-transport",
        event_id="01E",
        event_type="case.assigned",
        recipient="unit:hn-transport",
        division="330481001",
        channel="dingtalk",
        created_at=NOW,
        attempts=1,
        status="sending",
    )
    return record.Delivery(**{**fields, **overrides})


def test_backoff_doubles_within_a_jittered_band_up_to_the_cap():
    rng = random.Random(1)
    for attempts, ceiling in [(1, 10), (2, 20), (3, 40), (8, 300)]:
        waits = {record.backoff(attempts, 10, 300, rng) for _ in range(20)}
        assert all(timedelta(seconds=ceiling / 2) <= w <= timedelta(seconds=ceiling) for w in waits)
        assert len(waits) > 1  # jitter: receivers that failed together do not retry together


def test_a_failure_is_retried_until_the_last_attempt_then_dead():
    wait = timedelta(seconds=30)
    retried = record.failed(delivery(attempts=2), "HTTP 503", True, NOW, 3, wait)
    assert (retried.status, retried.next_attempt_at) == (DeliveryStatus.PENDING, NOW + wait)
    dead = record.failed(delivery(attempts=3), "HTTP 503", True, NOW, 3, wait)
    assert (dead.status, dead.next_attempt_at, dead.last_error) == (DeliveryStatus.DEAD, None, "HTTP 503")
    refused = record.failed(delivery(attempts=1), "HTTP 400", False, NOW, 3, wait)
    assert refused.status is DeliveryStatus.DEAD
    again = record.replayed(dead, NOW)
    assert (again.status, again.attempts, again.next_attempt_at) == (DeliveryStatus.PENDING, 0, NOW)


def shanghai(hour, minute=0):
    return datetime(2026, 11, 23, hour, minute, tzinfo=UTC) - timedelta(hours=8)


def test_quiet_hours_span_midnight_in_shanghai():
    quiet = QuietHours()
    eight = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)  # 08:00 on the 23rd in Shanghai
    assert quiet_until(shanghai(23, 30) - timedelta(days=1), quiet) == eight
    assert quiet_until(shanghai(2), quiet) == eight
    assert quiet_until(shanghai(8), quiet) is None and quiet_until(shanghai(21, 59), quiet) is None
    assert quiet_until(shanghai(22), quiet) == eight + timedelta(days=1)
    assert quiet_until(shanghai(23), None) is None
    lunch = QuietHours(start="12:00", end="14:00")
    assert quiet_until(shanghai(13), lunch) == shanghai(14) and quiet_until(shanghai(14), lunch) is None


def test_channels_are_the_choice_else_the_defaults_within_the_allowed_and_never_the_inbox():
    assert outgoing_channels("unit:hn-transport", "case.assigned", None, EVERY) == ["dingtalk"]
    chosen = {"case.assigned": ["in_app", "email", "sms"]}
    assert outgoing_channels("unit:hn-transport", "case.assigned", chosen, EVERY) == ["email", "sms"]
    assert outgoing_channels("unit:hn-transport", "case.assigned", chosen, ("in_app", "sms")) == ["sms"]
    assert outgoing_channels("unit:hn-transport", "case.reopened", chosen, EVERY) == ["dingtalk"]
    assert outgoing_channels("citizen:7K3P-9XTA-2MQD", "case.replied", None, EVERY) == ["sms"]


def test_every_audience_in_the_table_has_default_channels():
    audiences = {audience.kind for audiences in WHO_HEARS.values() for audience in audiences}
    assert audiences <= set(DEFAULT_CHANNELS)


def test_a_keys_inbox_is_its_unit_or_its_role_in_its_scope():
    assert principal_recipient(actor(role=Role.HANDLER, unit="hn-transport")) == "unit:hn-transport"
    assert principal_recipient(actor(role=Role.STATION, scope="330481001")) == "station:330481001"
    assert principal_recipient(actor(role=Role.SUPERVISOR)) == "supervisor:330481"
    assert principal_recipient(actor(role=Role.DEPUTY, unit="deputy-zhang-wei")) == "deputy:deputy-zhang-wei"
    assert principal_recipient(actor(role=Role.DEPUTY)) == "deputy:01KEY"


def test_the_table_names_only_event_types_the_platform_has():
    assert set(WHO_HEARS) <= {message.TYPE for message in SUBSCRIPTIONS}
