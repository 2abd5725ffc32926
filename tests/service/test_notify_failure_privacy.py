"""A delivery that fails keeps no address and no phone number: not in its stored record, not in the
`deliveries` answer the gateway shows (`GET /v1/deliveries`), not in notify's logs. Against a real SMTP
server that refuses and a stand-in SMS provider that refuses, quoting the address in their answers."""

import json
import logging
import ssl

import pytest
from aiosmtpd.controller import Controller

from devtools.launcher import free_port
from services.notify.channels.base import DeliveryFailed, OutgoingMessage
from services.notify.channels.mail import EmailChannel
from services.notify.channels.robots import DingTalkChannel
from services.notify.channels.sms import SmsChannel
from services.notify.delivery.planning import handling_event
from tests.factories import case_assigned, opinion_received
from tests.service.notify_receivers import Answer, Receiver, self_signed_certificate
from tests.service.test_notify_delivery import LEAD, Clock, engine, notify, prefer, store  # noqa: F401
from tests.service.test_notify_mail import authenticate

ADDRESS = "zhang.xiuying@haining.example.cn"
PHONE = "13857300123"
# the stand-in servers run in this process: their own logs are the outside world's, not notify's
OUTSIDE_LOGGERS = ("mail.log",)


class Refusing:
    """An SMTP server's handler refusing the recipient or the message, quoting the address as servers do."""

    def __init__(self, at: str):
        self.at = at

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 (aiosmtpd)
        if self.at == "rcpt":
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd)
        return f"451 4.3.0 <{envelope.rcpt_tos[0]}>: mailbox temporarily unavailable"


@pytest.fixture
def failing_smtp(tmp_path, request):
    cert, key = self_signed_certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    controller = Controller(
        Refusing(request.param),
        hostname="127.0.0.1",
        port=free_port(),
        tls_context=context,
        require_starttls=True,
        auth_required=True,
        authenticator=authenticate,
        server_hostname="localhost",
    )
    controller.start()
    yield EmailChannel("127.0.0.1", controller.port, "notify", "s3cret", "noreply@minqing.example.gov.cn", cert, 5)
    controller.stop()


def notify_logs(caplog) -> str:
    return "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith(OUTSIDE_LOGGERS)) + "\n".join(
        caplog.handler.format(r) for r in caplog.records if r.exc_info and not r.name.startswith(OUTSIDE_LOGGERS)
    )


def assert_nowhere(notify, delivery, caplog, *secrets):  # noqa: F811
    shown = json.dumps(notify.deliveries("330481"), ensure_ascii=False)
    assert delivery.last_error and delivery.attempts == 1
    for secret in secrets:
        assert secret not in delivery.last_error and secret not in shown and secret not in notify_logs(caplog)


def assign_by_mail(notify, address):  # noqa: F811
    """A case assigned to the lead unit, which hears of it by e-mail at `address`."""
    prefer(notify, LEAD, {"case.assigned": ["in_app", "email"]}, {"email": {"address": address}})
    notify.on_case_assigned(case_assigned().envelope("330481001", "c").wire())


def mail_delivery(store):  # noqa: F811
    (delivery,) = [d for d in store.delivery.find("330481", None, LEAD, 50, None).items if d.channel == "email"]
    return delivery


@pytest.mark.parametrize(
    ("failing_smtp", "address"),
    [("rcpt", ADDRESS), ("data", ADDRESS), ("rcpt", f"{ADDRESS} 张秀英")],
    ids=["recipient refused", "message refused for now", "malformed address"],
    indirect=["failing_smtp"],
)
def test_a_refused_mail_keeps_no_address(notify, store, failing_smtp, address, caplog):  # noqa: F811
    caplog.set_level(logging.DEBUG)
    assign_by_mail(notify, address)

    engine(store, {"email": failing_smtp}, Clock()).run_once()

    assert_nowhere(notify, mail_delivery(store), caplog, "zhang.xiuying", "张秀英")


def refusing_provider(received):
    status = {"SerialNo": "", "PhoneNumber": f"+86{PHONE}", "Fee": 0, "Code": "FailedOperation.PhoneNumberInBlacklist"}
    status["Message"] = f"phone +86{PHONE} is in the blacklist"
    return Answer(200, json.dumps({"Response": {"SendStatusSet": [status], "RequestId": "req-1"}}).encode())


def erroring_provider(received):
    error = {"Code": "InvalidParameterValue.IncorrectPhoneNumber", "Message": f"+86{PHONE} is not a phone number"}
    return Answer(200, json.dumps({"Response": {"Error": error, "RequestId": "req-1"}}).encode())


@pytest.mark.parametrize("answer", [refusing_provider, erroring_provider], ids=["status refused", "request refused"])
def test_a_refused_sms_keeps_no_phone_number(notify, store, answer, caplog):  # noqa: F811
    caplog.set_level(logging.DEBUG)
    wire = opinion_received(has_contact=True).envelope("330481001", "c").wire()
    token = handling_event.set(wire)  # as EventContext does around each handler: the receipt's template
    try:
        notify.on_opinion_received(wire)
    finally:
        handling_event.reset(token)
    with Receiver(answer) as provider:
        endpoint = provider.url.removeprefix("http://")
        sms = SmsChannel("AKIDtest", "key", "1400000001", "人大民情", endpoint=endpoint, scheme="http", timeout=5)
        engine(store, {"sms": sms}, Clock(), contact=lambda code: {"phone": PHONE}).run_once()
        assert provider.received  # the provider was asked, and refused

    (delivery,) = store.delivery.find("330481", None, "citizen:7K3P-9XTA-2MQD", 50, None).items
    assert_nowhere(notify, delivery, caplog, PHONE)


class Careless:
    """An adapter that quotes the address in what it raises, as a provider's library may."""

    name = "email"

    def __init__(self, failure):
        self.failure = failure

    def send(self, message: OutgoingMessage) -> None:
        raise self.failure(message.address)


@pytest.mark.parametrize(
    "failure",
    [lambda to: DeliveryFailed(f"provider said: {to} bounced", True), lambda to: RuntimeError(f"bad header {to}")],
    ids=["a failure quoting the address", "an unexpected error quoting it"],
)
def test_whatever_an_adapter_quotes_the_address_is_kept_out(notify, store, failure, caplog):  # noqa: F811
    caplog.set_level(logging.DEBUG)
    assign_by_mail(notify, "lead@unit.example.cn")

    engine(store, {"email": Careless(failure)}, Clock()).run_once()

    logs = notify_logs(caplog)
    delivery = mail_delivery(store)
    assert "lead@unit.example.cn" not in f"{delivery.last_error}{logs}"
    assert delivery.channel == "email" and ("bounced" in (delivery.last_error or "") or "RuntimeError" in logs)


def test_a_failing_robot_leaves_its_access_token_out_of_the_logs(notify, store, caplog):  # noqa: F811
    caplog.set_level(logging.DEBUG)
    with Receiver(lambda received: Answer(500)) as group:
        robot = f"{group.url}/robot/send?access_token=tok-5b1d9e"
        prefer(notify, LEAD, {"case.assigned": ["in_app", "dingtalk"]}, {"dingtalk": {"address": robot}})
        notify.on_case_assigned(case_assigned().envelope("330481001", "c").wire())
        engine(store, {"dingtalk": DingTalkChannel({}, timeout=5, allow_internal=True)}, Clock()).run_once()
        assert group.received

    (delivery,) = [d for d in store.delivery.find("330481", None, LEAD, 50, None).items if d.channel == "dingtalk"]
    assert "500" in delivery.last_error
    assert_nowhere(notify, delivery, caplog, "tok-5b1d9e")
