"""DingTalk and WeCom robots and signed webhooks, each against a real local HTTP receiver that checks
what it gets as the receiving side would."""

import base64
import hashlib
import hmac
import json
import socket
import ssl
from urllib.parse import parse_qs, urlsplit

import pytest

from services.notify.channels import destinations
from services.notify.channels.base import DeliveryFailed, OutgoingMessage
from services.notify.channels.robots import DingTalkChannel, WeComChannel
from services.notify.channels.webhook import WebhookChannel
from tests.service.notify_receivers import Answer, Receiver, self_signed_certificate

DINGTALK_SECRET = "SECb6f1c3a0d2e94f5b8a7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4"
OK = json.dumps({"errcode": 0, "errmsg": "ok"}).encode()


def robot_ok(received):
    return Answer(200, OK)


def message(**overrides) -> OutgoingMessage:
    fields = {
        "delivery_id": "01JDELIVERY0000000000000003",
        "channel": "dingtalk",
        "address": "330481",
        "subject": "新交办事项",
        "text": "事项 C-2024-0001 已交由 区交通运输局 主办，答复期限 2024-12-01。",
        "event_type": "case.assigned",
    }
    return OutgoingMessage(**(fields | overrides))


def dingtalk_verifies(received, secret: str, now_ms: int) -> bool:
    """What a DingTalk robot checks: sign == base64(HMAC-SHA256(secret, timestamp + "\\n" + secret)) and a
    timestamp within an hour of its clock."""
    query = parse_qs(urlsplit(received.path).query)
    timestamp, sign = query["timestamp"][0], query["sign"][0]
    expected = base64.b64encode(hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest())
    return hmac.compare_digest(sign.encode(), expected) and abs(now_ms - int(timestamp)) < 3_600_000


def test_a_dingtalk_robot_gets_a_signed_url_and_markdown():
    with Receiver(robot_ok) as receiver:
        robots = {"3304": {"url": f"{receiver.url}/robot/send?access_token=t0k", "secret": DINGTALK_SECRET}}
        DingTalkChannel(robots, clock=lambda: 1_732_406_400.123).send(message())

    [received] = receiver.received
    assert received.path.startswith("/robot/send?access_token=t0k&timestamp=1732406400123&sign=")
    assert dingtalk_verifies(received, DINGTALK_SECRET, 1_732_406_400_123)
    assert not dingtalk_verifies(received, DINGTALK_SECRET + "x", 1_732_406_400_123)
    body = json.loads(received.body)
    assert body["msgtype"] == "markdown"
    assert body["markdown"]["title"] == "新交办事项"
    assert (
        body["markdown"]["text"]
        == "#### 新交办事项\n\n事项 C-2024-0001 已交由 区交通运输局 主办，答复期限 2024-12-01。"
    )


def test_the_most_specific_robot_serves_a_division_and_one_without_a_robot_fails_for_good():
    with Receiver(robot_ok) as province, Receiver(robot_ok) as county:
        robots = {"33": {"url": f"{province.url}/p"}, "330481": {"url": f"{county.url}/c"}}
        channel = DingTalkChannel(robots)
        channel.send(message(address="330481"))
        channel.send(message(address="330102", subject=""))
        with pytest.raises(DeliveryFailed) as failed:
            channel.send(message(address="110101"))

    assert [r.path for r in county.received] == ["/c"]
    assert [r.path for r in province.received] == ["/p"]
    assert json.loads(province.received[0].body) == {"msgtype": "text", "text": {"content": message().text}}
    assert not failed.value.retryable


def test_a_robot_url_a_principal_gave_is_used_with_its_own_secret_and_checked_like_any_destination():
    with Receiver(robot_ok) as receiver:
        url = f"{receiver.url}/robot/send?access_token=mine"
        DingTalkChannel({}, clock=lambda: 1_732_406_400).send(message(address=url, secret=DINGTALK_SECRET))
        with pytest.raises(DeliveryFailed) as refused:
            DingTalkChannel({}, allow_internal=False).send(message(address=url, secret=DINGTALK_SECRET))

    [received] = receiver.received
    assert received.path.startswith("/robot/send?access_token=mine&timestamp=1732406400000&sign=")
    assert dingtalk_verifies(received, DINGTALK_SECRET, 1_732_406_400_000)
    assert not refused.value.retryable


@pytest.mark.parametrize(
    ("answer", "retryable"),
    [
        (Answer(200, json.dumps({"errcode": 130101, "errmsg": "send too fast"}).encode()), True),
        (Answer(200, json.dumps({"errcode": 310000, "errmsg": "sign not match"}).encode()), False),
        (Answer(503, b"busy"), True),
        (Answer(404, b"no such robot"), False),
    ],
)
def test_robot_refusals_say_whether_a_later_try_may_succeed(answer, retryable):
    with Receiver(lambda received: answer) as receiver, pytest.raises(DeliveryFailed) as failed:
        DingTalkChannel({"33": {"url": receiver.url}}).send(message())

    assert failed.value.retryable is retryable


def test_a_wecom_robot_gets_its_markdown_and_text_formats():
    with Receiver(robot_ok) as receiver:
        channel = WeComChannel({"330481": {"url": f"{receiver.url}/cgi-bin/webhook/send?key=k3y"}})
        channel.send(message(channel="wecom"))
        channel.send(message(channel="wecom", subject=""))
        busy = Answer(200, json.dumps({"errcode": 45009, "errmsg": "api freq out of limit"}).encode())
        receiver.answer = lambda received: busy
        with pytest.raises(DeliveryFailed) as failed:
            channel.send(message(channel="wecom"))

    first, second, _ = receiver.received
    assert first.path == "/cgi-bin/webhook/send?key=k3y"
    assert json.loads(first.body) == {
        "msgtype": "markdown",
        "markdown": {"content": f"**新交办事项**\n{message().text}"},
    }
    assert json.loads(second.body) == {"msgtype": "text", "text": {"content": message().text}}
    assert failed.value.retryable


ENVELOPE = {
    "event_id": "01JEVENT00000000000000000A",
    "type": "case.assigned",
    "version": 1,
    "occurred_at": "2024-11-24T02:00:00Z",
    "division": "330481",
    "correlation_id": "corr-1",
    "payload": {"case_id": "C-2024-0001", "note": "交由区交通运输局办理"},
}


def webhook_message(url: str, **overrides) -> OutgoingMessage:
    fields = {
        "delivery_id": "01JDELIVERY0000000000000004",
        "channel": "webhook",
        "address": url,
        "text": "",
        "event_type": "case.assigned",
        "envelope": ENVELOPE,
        "secret": "whsec_county_system_1",
    }
    return OutgoingMessage(**(fields | overrides))


def verify(received, secret: str) -> bool:
    """The README's verification example for receivers, as a receiver runs it."""
    timestamp = received.headers["x-minqing-timestamp"]
    signed = timestamp.encode() + b"." + received.body
    expected = "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, received.headers["x-minqing-signature"])


def test_a_webhook_carries_the_envelope_signed_over_timestamp_and_body():
    with Receiver() as receiver:
        WebhookChannel(clock=lambda: 1_732_406_400).send(webhook_message(f"{receiver.url}/hooks/renda"))

    [received] = receiver.received
    assert received.path == "/hooks/renda"
    assert json.loads(received.body) == ENVELOPE
    assert received.headers["x-minqing-timestamp"] == "1732406400"
    assert received.headers["x-minqing-delivery"] == "01JDELIVERY0000000000000004"
    assert received.headers["x-minqing-event"] == "case.assigned"
    assert verify(received, "whsec_county_system_1")
    assert not verify(received, "another secret")
    received.body = received.body.replace(b"C-2024-0001", b"C-2024-0002")
    assert not verify(received, "whsec_county_system_1")


def test_a_webhook_envelope_leaves_without_the_personal_fields_of_its_payload():
    envelope = ENVELOPE | {
        "type": "evaluation.code_issued",
        "payload": {"tracking_code": "7K3P-9XTA-2MQD", "division": "330481", "code": "428613", "expires_at": "x"},
    }
    with Receiver() as receiver:
        WebhookChannel().send(webhook_message(receiver.url, envelope=envelope, event_type="evaluation.code_issued"))

    [received] = receiver.received
    assert json.loads(received.body)["payload"] == {"division": "330481", "expires_at": "x"}
    assert verify(received, "whsec_county_system_1")


def test_a_webhook_goes_to_the_address_its_name_resolved_to_and_checked(monkeypatch):
    with Receiver() as receiver:
        port = receiver.server.server_address[1]
        real = socket.getaddrinfo

        def resolve(host, *args, **kwargs):
            return real("127.0.0.1" if host == "county.example" else host, *args, **kwargs)

        monkeypatch.setattr(destinations.socket, "getaddrinfo", resolve)
        WebhookChannel(allow_internal=True).send(webhook_message(f"http://county.example:{port}/in"))

    [received] = receiver.received
    assert received.headers["host"] == f"county.example:{port}"


def test_over_https_the_pinned_address_is_still_verified_against_the_name_in_the_url(monkeypatch, tmp_path):
    cert, key = self_signed_certificate(tmp_path)
    trusted = ssl.create_default_context(cafile=str(cert))
    real = socket.getaddrinfo
    monkeypatch.setattr(
        destinations.socket,
        "getaddrinfo",
        lambda host, *args, **kwargs: real(
            "127.0.0.1" if host in ("localhost", "county.example") else host, *args, **kwargs
        ),
    )
    with Receiver(tls=(cert, key)) as receiver:
        port = receiver.server.server_address[1]
        channel = WebhookChannel(allow_internal=True, verify=trusted)
        channel.send(webhook_message(f"https://localhost:{port}/in"))
        with pytest.raises(DeliveryFailed):  # the certificate names localhost, not county.example
            channel.send(webhook_message(f"https://county.example:{port}/in"))

    [received] = receiver.received
    assert received.headers["host"] == f"localhost:{port}"
    assert verify(received, "whsec_county_system_1")


def test_a_name_rebound_to_an_internal_address_is_refused_at_delivery_and_nothing_is_sent(monkeypatch):
    with Receiver() as receiver:
        port = receiver.server.server_address[1]
        monkeypatch.setattr(
            destinations.socket, "getaddrinfo", lambda host, *args, **kwargs: [(2, 1, 6, "", ("10.0.0.7", port))]
        )
        with pytest.raises(DeliveryFailed) as failed:
            WebhookChannel(allow_internal=False).send(webhook_message(f"http://county.example:{port}/in"))

    assert not failed.value.retryable
    assert receiver.received == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/x",
        "http://[::1]/x",
        "http://169.254.169.254/latest/meta-data",
        "http://10.1.2.3/x",
        "http://172.16.0.1/x",
        "http://192.168.1.10/x",
        "http://[::ffff:127.0.0.1]/x",
        "http://0.0.0.0/x",
        "http://100.64.0.1/x",
        "http://[fe80::1]/x",
    ],
)
def test_internal_destinations_are_refused_in_production(url):
    with pytest.raises(DeliveryFailed) as failed:
        destinations.check_destination(url, allow_internal=False)

    assert not failed.value.retryable


@pytest.mark.parametrize("url", ["ftp://county.example/x", "file:///etc/passwd", "gopher://a/b", "http:///x", "x"])
def test_only_http_urls_with_a_host_are_accepted(url):
    with pytest.raises(DeliveryFailed) as failed:
        destinations.check_destination(url, allow_internal=True)

    assert not failed.value.retryable


def test_a_public_address_passes(monkeypatch):
    monkeypatch.setattr(destinations.socket, "getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("114.114.114.114", 443))])

    checked = destinations.check_destination("https://county.example/hooks", allow_internal=False)

    assert (checked.host, checked.port, checked.address) == ("county.example", 443, "114.114.114.114")


def test_development_settings_allow_local_receivers_and_production_ones_do_not(monkeypatch):
    monkeypatch.setenv("ENVIRONMENT", "development")
    destinations.get_settings.cache_clear()
    assert destinations.internal_destinations_allowed()
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("PII_KEYS", "k1:" + base64.b64encode(b"k" * 32).decode())
    monkeypatch.setenv("API_KEY_PEPPER", "pepper-for-tests")
    monkeypatch.setenv("ADMIN_API_KEY", "rdk_test")
    destinations.get_settings.cache_clear()
    try:
        assert not destinations.internal_destinations_allowed()
    finally:
        destinations.get_settings.cache_clear()


def test_a_webhook_receiver_that_fails_is_retryable_and_one_that_refuses_is_not():
    with Receiver(lambda received: Answer(500, b"")) as failing, Receiver(lambda r: Answer(410, b"")) as gone:
        channel = WebhookChannel()
        with pytest.raises(DeliveryFailed) as later:
            channel.send(webhook_message(failing.url))
        with pytest.raises(DeliveryFailed) as never:
            channel.send(webhook_message(gone.url))

    assert later.value.retryable and not never.value.retryable
