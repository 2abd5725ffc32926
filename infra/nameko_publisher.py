"""A service's events leave through here: confirmed, persistent, `mandatory`, to queues declared up front.

nameko's `EventDispatcher` confirms but is not `mandatory`, so an event published before its
handler's queue exists is confirmed and lost (ARCHITECTURE.md, Messaging). This publisher first
declares every subscriber's quorum queue from `contracts.subscriptions`, so an event sent before
its consumer ever started waits for it; an event no queue takes raises, and stays in the outbox.
"""

from amqp.exceptions import AMQPError
from kombu import Connection, Exchange, Queue
from kombu.exceptions import OperationalError
from nameko.amqp.publish import Publisher, UndeliverableMessage
from nameko.standalone.events import get_event_exchange

from contracts.message import Message
from contracts.subscriptions import SUBSCRIPTIONS
from infra import topology
from infra.outbox import PublishFailed


def declare_with_dead_letters(amqp_uri: str, queues: list[Queue]) -> None:
    """Declares the dead-letter exchange and queue, then `queues` (with their exchanges)."""
    dead_letters = Queue(
        topology.DEAD_LETTER_QUEUE,
        exchange=Exchange(topology.DEAD_LETTER_EXCHANGE, type="fanout", durable=True),
        durable=True,
        queue_arguments=topology.dead_letter_queue_arguments(),
    )
    with Connection(amqp_uri) as connection:
        for queue in [dead_letters, *queues]:
            queue(connection.default_channel).declare()


def event_queue(model: type[Message], service: str, method: str, config: dict) -> Queue:
    """A subscriber's quorum queue, declared alike by the subscriber and by the publisher."""
    return Queue(
        topology.event_queue(model.SOURCE, model.TYPE, service, method),
        exchange=get_event_exchange(model.SOURCE, config),
        routing_key=model.TYPE,
        durable=True,
        queue_arguments=topology.consumer_queue_arguments(),
    )


class EventPublisher:
    """Publishes the envelopes of one service's events on its topic exchange."""

    def __init__(self, amqp_uri: str, source: str, config: dict):
        queues = [
            event_queue(model, service, method, config)
            for model, subscribers in SUBSCRIPTIONS.items()
            if model.SOURCE == source
            for service, method in subscribers
        ]
        declare_with_dead_letters(amqp_uri, queues)
        exchange = get_event_exchange(source, config)
        self.publisher = Publisher(
            amqp_uri, exchange=exchange, declare=[exchange], use_confirms=True, mandatory=True, serializer="json"
        )

    def publish(self, wire: dict) -> None:
        try:
            self.publisher.publish(wire, routing_key=wire["type"])
        except (UndeliverableMessage, OperationalError, AMQPError, OSError) as error:
            raise PublishFailed(f"{wire['type']}: {error!r}") from error
