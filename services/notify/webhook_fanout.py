"""County systems hear any event they subscribed to: one notify consumer per event type of the platform,
each planning a webhook delivery per listening subscription (delivery/planning.py `plan_webhooks`).

The consumers are made from the subscriptions table, where each event type gets its `webhooks_on_…` row
(contracts/subscriptions.py), so a new event type reaches the county systems without code here.
"""

from contracts.message import Message
from contracts.subscriptions import SUBSCRIPTIONS, webhook_consumer
from infra.clock import utc_now
from infra.nameko_entrypoints import event_handler
from services.notify.delivery.planning import plan_webhooks


def _consumer(message: type[Message]):
    def consume(self, body):
        envelope, _ = message.from_wire(body)  # a malformed event is refused here, as in every consumer
        listening = self.store.webhooks.listening(envelope.type, envelope.division)
        plan_webhooks(self.store.delivery, envelope.wire(), listening, utc_now())

    consume.__name__ = webhook_consumer(message)
    consume.__doc__ = f"Plans the webhooks of the county systems subscribed to {message.TYPE}."
    return event_handler(message)(consume)


class WebhookFanoutEntrypoints:
    pass


for _message in SUBSCRIPTIONS:
    setattr(WebhookFanoutEntrypoints, webhook_consumer(_message), _consumer(_message))
