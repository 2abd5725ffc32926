"""nameko's consumers, made to outlive a broker that dies under them.

When the RabbitMQ node dies, a worker that acks (or requeues) its message before kombu's consumer
thread has noticed writes on a reset socket, and `message.ack()` raises `ConnectionResetError` or
`BrokenPipeError`; a handler that holds the process (CPU work, a blocking call) makes that likely.
nameko 2.14.1's `QueueConsumer` catches only amqp's `ConnectionError`, so the error leaves the
worker thread and the container kills itself ("killing <ServiceContainer [intake]> due to [Errno
104] Connection reset by peer"), although kombu's `ConsumerMixin` would have reconnected by
itself. `RpcConsumer` fails the same way on its reply, which it publishes, with a few retries, on
a connection of its own before acking the request.

A broken link loses nothing: the broker puts every unacked message back in its queue when the
connection dies and delivers it again once the consumer has reconnected, and the project's
handlers are idempotent. So the classes below log one WARNING line, without a traceback, and
carry on.

nameko shares a `SharedExtension` per class (its `sharing_key` is the type), so a service whose
entrypoints mix these classes with nameko's own gets a second `QueueConsumer` and a second broker
connection; mixing nameko's `rpc` with this module's even puts two consumers on the service's rpc
queue, each answering "method not found" for the other's methods. Every entrypoint of a service
therefore comes from here: `rpc`, and `Consumer` as the base of the command and event handlers.
"""

import logging

from amqp.exceptions import ConnectionError as AmqpConnectionError
from kombu.exceptions import OperationalError
from nameko import messaging
from nameko import rpc as nameko_rpc

from contracts.errors import ServiceError

log = logging.getLogger(__name__)

# What kombu's py-amqp transport raises for a dead connection: its `connection_errors` and
# `recoverable_connection_errors` (OSError, amqp's ConnectionError and its RecoverableConnectionError
# subclass), and OperationalError, which kombu raises when publishing gives up reconnecting.
# Not amqp's MessageNacked: a broker that refuses a message is alive.
BROKEN_LINK_ERRORS = (OSError, AmqpConnectionError, OperationalError)


def _warn_broken_link(action: str, message, error: Exception, outcome: str = "it will be redelivered") -> None:
    where = f"{message.delivery_info.get('routing_key')!r} (delivery tag {message.delivery_tag})"
    log.warning("broker link lost, %s %s not sent; %s: %r", action, where, outcome, error)


class QueueConsumer(messaging.QueueConsumer):
    """nameko's QueueConsumer whose ack and requeue shrug off a dead connection: the broker has
    already taken the message back and redelivers it after kombu reconnects.

    `linked` tells the readiness probe whether its consumers are on the broker: set when kombu
    reports them ready (after every reconnection), cleared when a connection attempt fails.
    """

    linked = False

    def on_consume_ready(self, connection, channel, consumers, **kwargs):
        self.linked = True
        super().on_consume_ready(connection, channel, consumers, **kwargs)

    def on_connection_error(self, exc, interval):
        self.linked = False
        super().on_connection_error(exc, interval)

    def ack_message(self, message):
        try:
            super().ack_message(message)
        except BROKEN_LINK_ERRORS as error:
            _warn_broken_link("ack of", message, error)

    def requeue_message(self, message):
        try:
            super().requeue_message(message)
        except BROKEN_LINK_ERRORS as error:
            _warn_broken_link("requeue of", message, error)


class RpcConsumer(nameko_rpc.RpcConsumer):
    """nameko's RpcConsumer on `QueueConsumer`. A reply that cannot be published on a dead link is
    logged, and the request requeued instead of acked, so that it is answered on its redelivery."""

    queue_consumer = QueueConsumer()

    def handle_result(self, message, result, exc_info):
        try:
            return super().handle_result(message, result, exc_info)
        except BROKEN_LINK_ERRORS as error:
            _warn_broken_link("reply to", message, error, "the request is requeued")
            self.queue_consumer.requeue_message(message)
            return result, exc_info


class Rpc(nameko_rpc.Rpc):
    """nameko's rpc entrypoint on `RpcConsumer`. A `ServiceError` is expected by default: a refusal
    the caller receives. nameko then logs it as "(expected)", a record `infra.logs.DropExpectedWorkerErrors`
    drops (Observability logs the refusal in one INFO line), instead of an ERROR with its traceback."""

    rpc_consumer = RpcConsumer()

    def __init__(self, expected_exceptions=ServiceError, **kwargs):
        super().__init__(expected_exceptions=expected_exceptions, **kwargs)


rpc = Rpc.decorator


class Consumer(messaging.Consumer):
    """nameko's Consumer on `QueueConsumer`, the base of the project's command and event handlers.

    nameko's EventHandler derives from nameko's Consumer; listing this class after it
    (`class DurableEventHandler(EventHandler, Consumer)`) puts it between the two in the MRO, so
    the handler keeps EventHandler's queue naming and takes this `queue_consumer`.
    """

    queue_consumer = QueueConsumer()
