"""notify's template and webhook subscription RPCs on a real store, with real local receivers for the
challenge: what is saved, inherited, refused (nothing saved), verified."""

import json

import pytest
from nameko.testing.services import worker_factory

from contracts.errors import ServiceError
from infra.pii import PiiCipher
from infra.settings import get_settings
from services.notify.service import NotifyService
from services.notify.store import InboxStore
from services.notify.webhooks import handlers as webhooks
from tests.factories import Publications, actor
from tests.service.notify_receivers import Answer, Receiver

ADMIN = actor(role="admin", scope="330481").model_dump(mode="json")
COUNTY = actor(key_id="01COUNTY", role="county_system", scope="330481").model_dump(mode="json")
SECRET = "whsec_county_system_0001"


@pytest.fixture
def notify(mongo_db):
    store = InboxStore(mongo_db, Publications())
    store.ensure_indexes()
    return worker_factory(NotifyService, store=store, cipher=PiiCipher(get_settings().pii_keys))


def echo(received):
    body = json.loads(received.body)
    return Answer(200, json.dumps({"challenge": body["challenge"]}).encode())


def template(**overrides) -> dict:
    return {
        "subject": "交办通知",
        "text": "【海宁】事项 {case_number} 请 {lead_unit_name} 于 {due_date} 前答复。",
    } | overrides


def test_a_county_template_applies_to_its_townships_until_it_is_dropped(notify):
    default = notify.notify_template("330481001", "case.assigned", "in_app")
    assert default["source"] == "default"

    saved = notify.save_notify_template("330481", "case.assigned", "in_app", template(), ADMIN)
    township = notify.notify_template("330481001", "case.assigned", "in_app")
    other = notify.notify_template("330482", "case.assigned", "in_app")
    reset = notify.reset_notify_template("330481", "case.assigned", "in_app")

    assert saved["source"] == "330481" and saved["text"] == template()["text"]
    assert township["source"] == "330481" and township["text"] == template()["text"]
    assert other["source"] == "default"
    assert reset == default | {"division": "330481"}
    assert {"name": "lead_unit_name", "description": "主办单位", "personal": False} in saved["variables"]


@pytest.mark.parametrize(
    ("channel", "body", "field"),
    [
        ("in_app", template(text="事项 {case_no}"), "text"),
        ("dingtalk", template(text="查询码 {case_id}"), "text"),
        ("sms", template(), "template_code"),
        ("in_app", {"text": ""}, "text"),
        ("fax", template(), "channel"),
    ],
)
def test_a_refused_template_names_the_field_and_saves_nothing(notify, channel, body, field):
    with pytest.raises(ServiceError) as refused:
        notify.save_notify_template("330481", "case.assigned", channel, body, ADMIN)

    assert refused.value.field == field
    assert notify.store.templates.collection.count_documents({}) == 0


def test_an_unknown_event_type_is_refused_everywhere(notify):
    with pytest.raises(ServiceError) as saving:
        notify.save_notify_template("330481", "case.vanished", "in_app", template(), ADMIN)
    with pytest.raises(ServiceError) as previewing:
        notify.preview_notify_template({"division": "330481", "event_type": "case.vanished", "channel": "in_app"})

    assert saving.value.field == previewing.value.field == "event_type"


def test_a_preview_renders_the_template_in_effect_or_the_one_given_with_example_or_given_values(notify):
    notify.save_notify_template("330481", "case.assigned", "sms", template(template_code="2001234"), ADMIN)

    in_effect = notify.preview_notify_template(
        {"division": "330481001", "event_type": "case.assigned", "channel": "sms"}
    )
    unsaved = notify.preview_notify_template(
        {
            "division": "330481",
            "event_type": "case.assigned",
            "channel": "dingtalk",
            "template": {"text": "{lead_unit_name} 收到新交办事项"},
            "variables": {"lead_unit_name": "海宁市水利局"},
        }
    )

    assert in_effect["text"] == "【海宁】事项 330481-2026-000123 请 海宁市交通运输局 于 2026-12-14 前答复。"
    assert in_effect["template_code"] == "2001234"
    assert in_effect["parameters"] == ["330481-2026-000123", "海宁市交通运输局", "2026-12-14"]
    assert unsaved == {"subject": "", "text": "海宁市水利局 收到新交办事项", "template_code": None, "parameters": []}
    assert notify.store.templates.collection.count_documents({}) == 1


def test_a_receiver_that_echoes_the_challenge_makes_the_subscription_active(notify):
    with Receiver(echo) as receiver:
        body = {
            "url": f"{receiver.url}/hooks",
            "event_types": ["case.assigned"],
            "secret": SECRET,
            "division": "330481",
        }
        created = notify.create_webhook_subscription(body, COUNTY)

    [challenge] = receiver.received
    sent = json.loads(challenge.body)
    assert sent["type"] == "webhook.challenge" and sent["subscription_id"] == created["id"]
    assert created["status"] == "active" and created["verified_at"]
    assert created["owner"] == "county_system:01COUNTY"
    assert "secret" not in created and SECRET not in json.dumps(notify.webhook_subscriptions("330481"))
    stored = notify.store.webhooks.collection.find_one({"_id": created["id"]})
    assert SECRET not in json.dumps(stored, default=str)  # sealed at rest
    [receiver_of] = webhooks.receivers(notify.store.webhooks, notify.cipher, "case.assigned", "330481001")
    assert (receiver_of.url, receiver_of.secret) == (f"{receiver.url}/hooks", SECRET)
    assert webhooks.receivers(notify.store.webhooks, notify.cipher, "case.replied", "330481001") == []
    assert webhooks.receivers(notify.store.webhooks, notify.cipher, "case.assigned", "330482") == []


def test_a_receiver_that_does_not_echo_leaves_it_unverified_until_it_does(notify):
    with Receiver(lambda received: Answer(200, b'{"challenge": "something else"}')) as receiver:
        body = {"url": receiver.url, "event_types": ["case.overdue"], "secret": SECRET, "division": "330481"}
        created = notify.create_webhook_subscription(body, COUNTY)
        assert webhooks.receivers(notify.store.webhooks, notify.cipher, "case.overdue", "330481") == []
        receiver.answer = echo
        verified = notify.verify_webhook_subscription(created["id"], COUNTY)

    assert created["status"] == "unverified" and created["verified_at"] is None
    assert verified["status"] == "active"
    assert len(webhooks.receivers(notify.store.webhooks, notify.cipher, "case.overdue", "330481")) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "ftp://county.example/hooks"}, "url"),
        ({"url": "http://127.0.0.1:9/hooks"}, "url"),  # production settings: loopback refused
        ({"url": "http://10.20.30.40/hooks"}, "url"),
        ({"event_types": ["case.assigned", "case.vanished"]}, "event_types.1"),
        ({"event_types": []}, "event_types"),
        ({"secret": "short"}, "secret"),
        ({"division": "330482"}, "division"),
    ],
)
def test_a_refused_subscription_names_the_field_and_saves_nothing(notify, monkeypatch, body, field):
    monkeypatch.setattr("services.notify.channels.destinations.internal_destinations_allowed", lambda: False)
    wanted = {"url": "https://county.example/hooks", "event_types": ["case.assigned"], "secret": SECRET}
    with pytest.raises(ServiceError) as refused:
        notify.create_webhook_subscription(wanted | {"division": "330481"} | body, COUNTY)

    assert refused.value.field == field
    assert notify.store.webhooks.collection.count_documents({}) == 0


def test_subscriptions_outside_the_scope_are_neither_listed_verified_nor_deleted(notify):
    with Receiver(echo) as receiver:
        body = {"url": receiver.url, "event_types": ["case.assigned"], "secret": SECRET, "division": "330481001"}
        created = notify.create_webhook_subscription(body, COUNTY)
        other = actor(role="county_system", scope="330482").model_dump(mode="json")
        for attempt in (notify.verify_webhook_subscription, notify.delete_webhook_subscription):
            with pytest.raises(ServiceError) as refused:
                attempt(created["id"], other)
            assert refused.value.code == "not_found"

    assert [s["id"] for s in notify.webhook_subscriptions("330481")] == [created["id"]]
    assert notify.webhook_subscriptions("330482") == []
    notify.delete_webhook_subscription(created["id"], COUNTY)
    assert notify.webhook_subscriptions("330481") == []
