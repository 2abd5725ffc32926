"""E-mail over SMTP: STARTTLS before anything else is said, then authentication, then the message."""

import smtplib
import ssl
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formataddr, parseaddr
from pathlib import Path

from services.notify.channels.base import EMAIL, DeliveryFailed, OutgoingMessage


class EmailChannel:
    name = EMAIL

    def __init__(
        self,
        host: str,
        port: int,
        username: str | None,
        password: str | None,
        sender: str,
        ca_file: Path | None = None,
        timeout: float = 10.0,
    ):
        self.host, self.port, self.timeout = host, port, timeout
        self.username, self.password, self.sender = username, password, sender
        self.tls = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)

    def compose(self, message: OutgoingMessage) -> EmailMessage:
        mail = EmailMessage()
        name, address = parseaddr(self.sender)
        mail["From"] = formataddr((name, address), charset="utf-8") if name else address
        mail["To"] = Address(addr_spec=message.address)
        mail["Subject"] = message.subject
        mail["Message-ID"] = f"<{message.delivery_id}@{address.rpartition('@')[2] or 'localhost'}>"
        mail.set_content(message.text, charset="utf-8")
        return mail

    def send(self, message: OutgoingMessage) -> None:
        try:
            mail = self.compose(message)
        except (ValueError, IndexError):
            # the parser's message quotes the address: a failure reason never does (it is stored and logged)
            raise DeliveryFailed("邮件地址不合法（invalid e-mail address）", retryable=False) from None
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                smtp.ehlo()
                # never send credentials or a message in the clear: a server without STARTTLS is refused
                smtp.starttls(context=self.tls)
                smtp.ehlo()
                if self.username:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(mail)
        except smtplib.SMTPNotSupportedError:
            raise DeliveryFailed(
                "邮件服务器不支持 STARTTLS（the server offers no STARTTLS）", retryable=False
            ) from None
        except smtplib.SMTPAuthenticationError as error:
            raise DeliveryFailed(f"邮件服务器拒绝认证（authentication refused）: {error.smtp_code}", False) from None
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            raise DeliveryFailed(
                f"收件人被拒绝（recipient refused）: {codes}", retryable=all(400 <= c < 500 for c in codes)
            ) from None
        except smtplib.SMTPResponseException as error:
            raise DeliveryFailed(
                f"邮件服务器拒绝（the server answered {error.smtp_code}）", retryable=400 <= error.smtp_code < 500
            ) from None
        except ssl.SSLCertVerificationError as error:
            raise DeliveryFailed(f"邮件服务器证书无效（certificate refused）: {error.verify_message}", False) from None
        except (OSError, smtplib.SMTPException) as error:
            # the kind of failure only: an SMTP error's text may quote the recipient
            reason = f"无法连接邮件服务器（cannot reach the server）: {type(error).__name__}"
            raise DeliveryFailed(reason, retryable=True) from None
