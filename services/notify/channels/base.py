"""The seam between delivery (records, retries, limits) and the channel adapters (providers' formats).

The delivery engine builds an `OutgoingMessage` per delivery record and calls `channel.send(message)`;
an adapter knows its provider's documented format and nothing of retries or records. In-app delivery
needs no adapter: it is the stored Notification itself. Before a webhook or robot delivery, the
engine may call `destinations.check_destination(url)` (raises DeliveryFailed, not retryable); the
webhook adapter also runs it itself and connects to the very address it checked.

What `address` holds per channel: e-mail, an e-mail address; SMS, a phone number; DingTalk and WeCom,
a division code, the adapter posting to the most specific robot configured for it (robot URLs carry
access tokens, so they stay in the settings and out of delivery records); webhook, the subscription's
URL, with its signing secret in `secret` (build the message at send time; never store the secret).
For SMS, `template_code` is the provider's approved template id and `variables` are in the order of
the template's parameters ({1}, {2}, ...); `templates.render` gives both.
"""

from typing import Any, Protocol

from pydantic import BaseModel, Field

EMAIL = "email"
SMS = "sms"
DINGTALK = "dingtalk"
WECOM = "wecom"
WEBHOOK = "webhook"
IN_APP = "in_app"
CHANNELS = (IN_APP, EMAIL, SMS, DINGTALK, WECOM, WEBHOOK)
# robots and webhooks post to groups and third-party systems: their messages never carry personal data
GROUP_CHANNELS = (DINGTALK, WECOM, WEBHOOK)


class OutgoingMessage(BaseModel):
    delivery_id: str
    channel: str
    # an e-mail address, a phone number (E.164 or mainland 11 digits), a division code (robots), a webhook URL
    address: str
    subject: str = ""
    text: str
    # the provider's approved template (SMS); None where the channel sends free text
    template_code: str | None = None
    variables: dict[str, str] = Field(default_factory=dict)
    event_type: str
    # webhooks send the event envelope (Envelope.wire()) as their body
    envelope: dict[str, Any] | None = None
    # a webhook subscription's signing secret or a robot's signing secret, when the address has one
    secret: str | None = None


class DeliveryFailed(Exception):
    """A message that did not leave. `retryable`: a timeout or a 5xx may succeed later; a 4xx, a provider's
    refusal of the content or a refused destination will not."""

    def __init__(self, reason: str, retryable: bool):
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable


class Channel(Protocol):
    name: str

    def send(self, message: OutgoingMessage) -> None:
        """Hands the message to the provider; raises DeliveryFailed when it did not take it."""


def channels_from_settings(settings) -> dict[str, Channel]:
    """The adapters the settings configure, by channel name (a channel without settings is absent)."""
    from services.notify.channels.registry import build_channels

    return build_channels(settings)
