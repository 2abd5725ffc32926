"""The e-mail channel against a real SMTP server (aiosmtpd) that demands STARTTLS and authentication."""

import ssl
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from devtools.launcher import free_port
from services.notify.channels.base import DeliveryFailed, OutgoingMessage
from services.notify.channels.mail import EmailChannel
from tests.service.notify_receivers import self_signed_certificate


class Mailbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's naming)
        self.messages.append((session.authenticated, session.ssl is not None, envelope))
        return "250 OK"


def authenticate(server, session, envelope, mechanism, auth_data):
    return AuthResult(success=auth_data.login == b"notify" and auth_data.password == b"s3cret", handled=False)


@pytest.fixture
def smtp_server(tmp_path):
    cert, key = self_signed_certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    mailbox = Mailbox()
    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=free_port(),
        tls_context=context,
        require_starttls=True,
        auth_required=True,
        authenticator=authenticate,
        server_hostname="localhost",
    )
    controller.start()
    yield controller, mailbox, cert
    controller.stop()


def message(**overrides) -> OutgoingMessage:
    fields = {
        "delivery_id": "01JDELIVERY0000000000000001",
        "channel": "email",
        "address": "zhang.wei@example.cn",
        "subject": "新交办事项（主办）",
        "text": "贵单位有一件新交办的民情事项（编号 C-2024-0001），请签收并于 2024-12-01 前答复。",
        "event_type": "case.assigned",
    }
    return OutgoingMessage(**(fields | overrides))


def channel(controller, cert, **overrides) -> EmailChannel:
    settings = {
        "host": "127.0.0.1",
        "port": controller.port,
        "username": "notify",
        "password": "s3cret",
        "sender": "人大民情 <noreply@minqing.example.gov.cn>",
        "ca_file": cert,
    }
    return EmailChannel(**(settings | overrides))


def test_a_mail_goes_over_starttls_after_authentication_with_its_chinese_subject_and_body(smtp_server):
    controller, mailbox, cert = smtp_server

    channel(controller, cert).send(message())

    [(authenticated, over_tls, envelope)] = mailbox.messages
    assert authenticated and over_tls
    assert envelope.rcpt_tos == ["zhang.wei@example.cn"]
    received = message_from_bytes(envelope.content, policy=policy.default)
    assert received["Subject"] == "新交办事项（主办）"
    assert received["From"].addresses[0].display_name == "人大民情"
    assert "请签收并于 2024-12-01 前答复" in received.get_content()


def test_wrong_credentials_fail_for_good_and_nothing_is_sent(smtp_server):
    controller, mailbox, cert = smtp_server

    with pytest.raises(DeliveryFailed) as failed:
        channel(controller, cert, password="wrong").send(message())

    assert not failed.value.retryable
    assert mailbox.messages == []


def test_a_server_whose_certificate_is_not_trusted_is_refused(smtp_server):
    controller, mailbox, _ = smtp_server

    with pytest.raises(DeliveryFailed) as failed:
        channel(controller, None).send(message())

    assert not failed.value.retryable
    assert mailbox.messages == []


def test_an_unreachable_server_may_be_tried_again():
    with pytest.raises(DeliveryFailed) as failed:
        EmailChannel("127.0.0.1", free_port(), None, None, "noreply@example.cn", timeout=2).send(message())

    assert failed.value.retryable


def test_a_malformed_address_fails_for_good(smtp_server):
    controller, mailbox, cert = smtp_server

    with pytest.raises(DeliveryFailed) as failed:
        channel(controller, cert).send(message(address="not an address"))

    assert not failed.value.retryable
    assert mailbox.messages == []


def test_a_server_without_starttls_gets_neither_the_credentials_nor_the_mail():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        with pytest.raises(DeliveryFailed) as failed:
            EmailChannel("127.0.0.1", controller.port, "notify", "s3cret", "noreply@example.cn").send(message())
    finally:
        controller.stop()

    assert not failed.value.retryable
    assert mailbox.messages == []
