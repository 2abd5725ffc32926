"""Generic webhooks for county systems: the event envelope as JSON, signed with HMAC-SHA256.

Each request carries
  X-Minqing-Timestamp: seconds since the epoch when it was signed
  X-Minqing-Delivery:  the delivery's id (the same on every retry: receivers drop what they have seen)
  X-Minqing-Event:     the event type
  X-Minqing-Signature: "sha256=" + hex(HMAC-SHA256(secret, f"{timestamp}.{body}"))
where body is the request body's exact bytes. Personal fields of the payload (the citizen's words, tracking
and one-time codes, contacts) are removed first: county systems get the facts, never the person.
Receivers recompute the signature, compare in constant time and refuse a timestamp more than five minutes
away from their clock (README: "Webhooks: what a receiver gets and how it verifies it").

The destination is checked again before every request and the request goes to the very address checked
(posting.py), so a name re-pointed at an internal address after the subscription was saved is refused.
"""

import hashlib
import hmac
import json
import secrets
import ssl
import time

import httpx

from services.notify.channels import posting
from services.notify.channels.base import WEBHOOK, DeliveryFailed, OutgoingMessage
from services.notify.templates.catalog import without_personal

SIGNATURE_HEADER = "X-Minqing-Signature"
TIMESTAMP_HEADER = "X-Minqing-Timestamp"
DELIVERY_HEADER = "X-Minqing-Delivery"
EVENT_HEADER = "X-Minqing-Event"
CHALLENGE_TYPE = "webhook.challenge"


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def body_of(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


class WebhookChannel:
    name = WEBHOOK

    def __init__(
        self,
        timeout: float = 10.0,
        allow_internal: bool | None = None,
        clock=time.time,
        verify: ssl.SSLContext | bool = True,
    ):
        self.allow_internal, self.clock = allow_internal, clock
        self.http = posting.client(timeout, verify)

    def post(self, url: str, secret: str, payload: dict, delivery_id: str, event_type: str) -> httpx.Response:
        body = body_of(payload)
        timestamp = str(int(self.clock()))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            TIMESTAMP_HEADER: timestamp,
            DELIVERY_HEADER: delivery_id,
            EVENT_HEADER: event_type,
            SIGNATURE_HEADER: signature(secret, timestamp, body),
        }
        return posting.post(self.http, url, self.allow_internal, headers=headers, content=body)

    def send(self, message: OutgoingMessage) -> None:
        if message.envelope is None or not message.secret:
            raise DeliveryFailed("Webhook 消息缺少事件或签名密钥（no envelope or secret）", retryable=False)
        envelope = without_personal(message.envelope)
        self.post(message.address, message.secret, envelope, message.delivery_id, message.event_type)

    def challenge(self, url: str, secret: str, subscription_id: str) -> bool:
        """Whether the receiver at `url` echoes a fresh challenge: {"challenge": "<the one sent>"} in a 2xx."""
        challenge = secrets.token_urlsafe(24)
        payload = {"type": CHALLENGE_TYPE, "subscription_id": subscription_id, "challenge": challenge}
        try:
            answer = self.post(url, secret, payload, f"challenge:{subscription_id}", CHALLENGE_TYPE)
            echoed = answer.json().get("challenge")
        except (DeliveryFailed, ValueError, AttributeError):
            return False
        return isinstance(echoed, str) and hmac.compare_digest(echoed, challenge)
