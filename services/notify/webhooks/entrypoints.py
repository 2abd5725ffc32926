"""notify's webhook subscription RPCs, mixed into NotifyService: behind `/v1/webhook-subscriptions`."""

from contracts.actor import Actor
from contracts.errors import parse
from contracts.notify.webhooks import WebhookSubscriptionIn
from infra.clock import utc_now
from infra.nameko_dependencies import Cipher
from infra.nameko_entrypoints import rpc
from services.notify.channels.webhook import WebhookChannel
from services.notify.webhooks import handlers

# a challenge must be answered well within the gateway's RPC timeout
CHALLENGE_TIMEOUT_SECONDS = 5.0


class WebhookEntrypoints:
    cipher = Cipher()

    @staticmethod
    def _challenge():
        return WebhookChannel(timeout=CHALLENGE_TIMEOUT_SECONDS).challenge

    @rpc
    def webhook_subscriptions(self, division_prefix: str) -> list[dict]:
        return [view.model_dump(mode="json") for view in handlers.listing(self.store.webhooks, division_prefix)]

    @rpc
    def create_webhook_subscription(self, subscription: dict, actor: dict) -> dict:
        wanted, caller = parse(WebhookSubscriptionIn, subscription), parse(Actor, actor)
        view = handlers.create(self.store.webhooks, self.cipher, wanted, caller, utc_now(), self._challenge())
        return view.model_dump(mode="json")

    @rpc
    def verify_webhook_subscription(self, subscription_id: str, actor: dict) -> dict:
        caller = parse(Actor, actor)
        view = handlers.verify(self.store.webhooks, self.cipher, subscription_id, caller, utc_now(), self._challenge())
        return view.model_dump(mode="json")

    @rpc
    def delete_webhook_subscription(self, subscription_id: str, actor: dict) -> None:
        handlers.remove(self.store.webhooks, subscription_id, parse(Actor, actor))
