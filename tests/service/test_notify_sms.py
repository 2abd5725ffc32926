"""The SMS channel (腾讯云短信 SendSms) against a local server standing in for the provider's endpoint:
the request is signed as the provider documents TC3-HMAC-SHA256, and carries the approved template."""

import hashlib
import hmac
import json
from datetime import UTC, datetime

import pytest

from services.notify.channels.base import DeliveryFailed, OutgoingMessage
from services.notify.channels.sms import SmsChannel
from tests.service.notify_receivers import Answer, Receiver

SECRET_ID, SECRET_KEY = "AKIDtestsecretid0000000000000000", "testsecretkey000000000000000000"


def hmac_sha256(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def tc3_signature(received, secret_key: str) -> tuple[str, dict]:
    """The signature the provider's documentation defines (签名方法 v3), recomputed from the request,
    and the parts of the Authorization header."""
    algorithm, _, rest = received.headers["authorization"].partition(" ")
    parts = dict(part.strip().split("=", 1) for part in rest.split(","))
    timestamp = received.headers["x-tc-timestamp"]
    date = datetime.fromtimestamp(int(timestamp), UTC).strftime("%Y-%m-%d")
    signed = parts["SignedHeaders"].split(";")
    canonical_headers = "".join(f"{name}:{received.headers[name].strip().lower()}\n" for name in signed)
    canonical_request = "\n".join(
        ["POST", "/", "", canonical_headers, parts["SignedHeaders"], hashlib.sha256(received.body).hexdigest()]
    )
    scope = f"{date}/sms/tc3_request"
    to_sign = "\n".join([algorithm, timestamp, scope, hashlib.sha256(canonical_request.encode()).hexdigest()])
    key = hmac_sha256(hmac_sha256(hmac_sha256(("TC3" + secret_key).encode(), date), "sms"), "tc3_request")
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest(), parts | {"scope": scope}


def provider_answer(code: str = "Ok"):
    def answer(received):
        status = {"SerialNo": "2645:1", "PhoneNumber": "+8613800000000", "Fee": 1, "Code": code, "Message": code}
        body = {"Response": {"SendStatusSet": [status], "RequestId": "req-1"}}
        return Answer(200, json.dumps(body).encode())

    return answer


def provider_error(code: str):
    def answer(received):
        body = {"Response": {"Error": {"Code": code, "Message": code}, "RequestId": "req-1"}}
        return Answer(200, json.dumps(body).encode())

    return answer


def channel(receiver: Receiver) -> SmsChannel:
    endpoint = receiver.url.removeprefix("http://")
    return SmsChannel(SECRET_ID, SECRET_KEY, "1400000001", "人大民情", endpoint=endpoint, scheme="http", timeout=5)


def message(**overrides) -> OutgoingMessage:
    fields = {
        "delivery_id": "01JDELIVERY0000000000000002",
        "channel": "sms",
        "address": "13800000000",
        "text": "您反映的事项（查询码 QK7M3P）已交由 区交通运输局 办理。",
        "template_code": "2001234",
        "variables": {"tracking_code": "QK7M3P", "unit_name": "区交通运输局"},
        "event_type": "case.assigned",
    }
    return OutgoingMessage(**(fields | overrides))


def test_the_request_is_signed_per_tc3_and_carries_the_approved_template_and_its_parameters_in_order():
    with Receiver(provider_answer()) as receiver:
        channel(receiver).send(message())

    [received] = receiver.received
    expected, parts = tc3_signature(received, SECRET_KEY)
    assert received.headers["authorization"].startswith("TC3-HMAC-SHA256 ")
    assert parts["Credential"] == f"{SECRET_ID}/{parts['scope']}"
    assert parts["Signature"] == expected
    assert received.headers["x-tc-action"] == "SendSms"
    assert received.headers["x-tc-version"] == "2021-01-11"
    assert received.headers["x-tc-region"] == "ap-guangzhou"
    body = json.loads(received.body)
    assert body["PhoneNumberSet"] == ["+8613800000000"]
    assert body["SmsSdkAppId"] == "1400000001"
    assert body["SignName"] == "人大民情"
    assert body["TemplateId"] == "2001234"
    assert body["TemplateParamSet"] == ["QK7M3P", "区交通运输局"]


def test_a_tampered_request_does_not_verify():
    with Receiver(provider_answer()) as receiver:
        channel(receiver).send(message())

    [received] = receiver.received
    received.body = received.body.replace(b"2001234", b"2009999")
    expected, parts = tc3_signature(received, SECRET_KEY)
    assert parts["Signature"] != expected


@pytest.mark.parametrize(
    ("answer", "retryable"),
    [
        (provider_error("InternalError.Timeout"), True),
        (provider_error("RequestLimitExceeded"), True),
        (provider_error("FailedOperation.SignatureIncorrectOrUnapproved"), False),
        (provider_answer("InvalidParameterValue.IncorrectPhoneNumber"), False),
        (provider_answer("LimitExceeded.PhoneNumberThirtySecondLimit"), True),
        (lambda received: Answer(502, b"bad gateway", "text/plain"), True),
    ],
)
def test_refusals_say_whether_a_later_try_may_succeed(answer, retryable):
    with Receiver(answer) as receiver, pytest.raises(DeliveryFailed) as failed:
        channel(receiver).send(message())

    assert failed.value.retryable is retryable
    assert "13800000000" not in failed.value.reason


def test_no_approved_template_or_a_bad_number_sends_nothing():
    with Receiver(provider_answer()) as receiver:
        for bad in (message(template_code=None), message(address="12345")):
            with pytest.raises(DeliveryFailed) as failed:
                channel(receiver).send(bad)
            assert not failed.value.retryable

    assert receiver.received == []
