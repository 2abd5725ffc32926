"""Templates and webhook subscriptions through the running gateway and notify service: the challenge
leaves the real (eventlet) notify process, signed, and only a receiver that echoes it is subscribed."""

import hashlib
import hmac
import json

import pytest

from tests.service.notify_receivers import Answer, Receiver

SECRET = "whsec_e2e_county_system_0001"


@pytest.fixture(scope="module")
def running(platform_factory):
    platform = platform_factory("notify-channels", services=["notify"])
    with platform.admin() as admin:
        admin.put("/v1/admin/divisions/330481", json={"name": "海宁市"}).raise_for_status()
        created = admin.post(
            "/v1/admin/api-keys", json={"role": "county_system", "scope": "330481", "label": "海宁市 12345 平台"}
        )
        created.raise_for_status()
    return platform, created.json()["key"]


def echo(received):
    return Answer(200, json.dumps({"challenge": json.loads(received.body)["challenge"]}).encode())


def test_a_subscription_is_active_only_once_its_receiver_echoed_a_signed_challenge(running):
    platform, county_key = running
    with platform.client(county_key) as county, Receiver(echo) as echoing, Receiver() as silent:
        subscribe = {"event_types": ["case.assigned"], "secret": SECRET, "division": "330481"}
        active = county.post("/v1/webhook-subscriptions", json=subscribe | {"url": f"{echoing.url}/hooks"})
        unverified = county.post("/v1/webhook-subscriptions", json=subscribe | {"url": silent.url})
        listed = county.get("/v1/webhook-subscriptions").json()
        refused = county.post("/v1/webhook-subscriptions", json=subscribe | {"url": "file:///etc/passwd"})

    assert active.status_code == 201 and active.json()["status"] == "active"
    assert unverified.status_code == 201 and unverified.json()["status"] == "unverified"
    [challenge] = echoing.received
    timestamp = challenge.headers["x-minqing-timestamp"].encode()
    expected = "sha256=" + hmac.new(SECRET.encode(), timestamp + b"." + challenge.body, hashlib.sha256).hexdigest()
    assert challenge.headers["x-minqing-signature"] == expected
    assert {s["id"]: s["status"] for s in listed} == {
        active.json()["id"]: "active",
        unverified.json()["id"]: "unverified",
    }
    assert SECRET not in json.dumps(listed)
    assert refused.status_code == 422 and refused.json()["field"] == "url"


def test_an_administrator_words_a_template_and_previews_it(running):
    platform, _ = running
    wording = {"text": "【海宁人大】事项 {case_number} 已交 {lead_unit_name} 办理。", "template_code": "2001234"}
    with platform.admin() as admin:
        saved = admin.put("/v1/notify/templates/case.assigned/sms?division=330481", json=wording)
        preview = admin.post(
            "/v1/notify/templates/preview",
            json={"division": "330481001", "event_type": "case.assigned", "channel": "sms"},
        )
        refused = admin.put("/v1/notify/templates/case.assigned/in_app?division=330481", json={"text": "{case_no}"})

    assert saved.status_code == 200 and saved.json()["source"] == "330481"
    assert preview.json()["text"] == "【海宁人大】事项 330481-2026-000123 已交 海宁市交通运输局 办理。"
    assert preview.json()["parameters"] == ["330481-2026-000123", "海宁市交通运输局"]
    assert refused.status_code == 422 and refused.json()["field"] == "text" and "case_no" in refused.json()["detail"]
