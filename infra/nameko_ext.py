"""nameko extensions every service uses: durable consumers, confirmed dispatch, stores, metrics.

nameko's defaults lose data (ARCHITECTURE.md, Messaging): a failing handler's message is acked
and dropped, and an event published before its queue exists vanishes. These extensions consume
from quorum queues with a delivery limit and dead-letter exchange, requeue on error, and publish
with confirms and `mandatory`.
"""

import logging
import time
from datetime import timedelta

from kombu import Connection, Exchange, Queue
from nameko.constants import AMQP_URI_CONFIG_KEY
from nameko.events import EventDispatcher, EventHandler, get_event_exchange
from nameko.extensions import DependencyProvider, SharedExtension
from nameko.messaging import Consumer
from nameko.rpc import rpc
from nameko.timer import timer
from prometheus_client import Counter, Histogram, start_http_server

from contracts.errors import ServiceError
from contracts.events import Message
from contracts.subscriptions import SUBSCRIPTIONS
from infra import topology
from infra.logs import correlation_id
from infra.mongo import open_client
from infra.pii import PiiCipher
from infra.settings import get_settings

log = logging.getLogger(__name__)

ENTRYPOINT_CALLS = Counter("entrypoint_calls_total", "Entrypoint invocations", ["service", "entrypoint", "outcome"])
ENTRYPOINT_SECONDS = Histogram("entrypoint_seconds", "Entrypoint latency", ["service", "entrypoint"])


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


class DurableEventHandler(EventHandler):
    """An event handler on a quorum queue that dead-letters after `DELIVERY_LIMIT` failures."""

    def __init__(self, message_model: type[Message], **kwargs):
        kwargs.setdefault("requeue_on_error", True)
        self.message_model = message_model
        super().__init__(message_model.SOURCE, message_model.TYPE, **kwargs)

    def setup(self):
        super().setup()
        config = self.container.config
        self.queue = event_queue(self.message_model, self.container.service_name, self.method_name, config)
        declare_with_dead_letters(config[AMQP_URI_CONFIG_KEY], [])


class CommandHandler(Consumer):
    """Consumes one command type from its own quorum queue, which the gateway declares too."""

    def __init__(self, command_model: type[Message], **kwargs):
        self.command_type = command_model.TYPE
        super().__init__(queue=None, requeue_on_error=True, **kwargs)

    def setup(self):
        declare_with_dead_letters(self.container.config[AMQP_URI_CONFIG_KEY], [])
        self.queue = Queue(
            topology.command_queue(self.command_type),
            exchange=Exchange(topology.COMMAND_EXCHANGE, type="direct", durable=True),
            routing_key=self.command_type,
            durable=True,
            queue_arguments=topology.consumer_queue_arguments(),
        )
        super().setup()


durable_event_handler = DurableEventHandler.decorator
command_handler = CommandHandler.decorator


class SubscribedDispatcher(EventDispatcher):
    """Publishes with confirms (nameko's default) and `mandatory`, after declaring every
    subscriber's queue from `contracts.subscriptions`, so no event waits for a consumer to start."""

    def __init__(self, **options):
        super().__init__(mandatory=True, **options)

    def setup(self):
        super().setup()
        config, source = self.container.config, self.container.service_name
        queues = [
            event_queue(model, service, method, config)
            for model, subscribers in SUBSCRIPTIONS.items()
            if model.SOURCE == source
            for service, method in subscribers
        ]
        declare_with_dead_letters(config[AMQP_URI_CONFIG_KEY], queues)


class StoreProvider(DependencyProvider):
    """Connects in setup, closes in stop, injects the service's repository, never the client."""

    def __init__(self, store_cls, database: str):
        self.store_cls = store_cls
        self.database = database

    def setup(self):
        settings = get_settings()
        self.client = open_client(settings.mongo_url, settings.data_dir, self.container.service_name)
        self.store = self.store_cls(self.client[self.database])
        self.store.ensure_indexes()

    def stop(self):
        self.client.close()

    kill = stop

    def get_dependency(self, worker_ctx):
        return self.store


class Cipher(DependencyProvider):
    """The personal-data cipher, keyed from `PII_KEYS`."""

    def setup(self):
        self.cipher = PiiCipher(get_settings().pii_keys)

    def get_dependency(self, worker_ctx):
        return self.cipher


class MetricsServer(SharedExtension):
    """Serves `/metrics` on `METRICS_PORT` when set."""

    def start(self):
        port = get_settings().metrics_port
        if port:
            start_http_server(port)
            log.info("metrics on :%s/metrics", port)


class Observability(DependencyProvider):
    """Puts the correlation id of the triggering request into the logs, counts and times each call."""

    metrics_server = MetricsServer()

    def setup(self):
        self.in_flight = {}

    def worker_setup(self, worker_ctx):
        first_arg = worker_ctx.args[0] if worker_ctx.args else None
        cid = worker_ctx.context_data.get("correlation_id")
        if cid is None and isinstance(first_arg, dict):
            cid = first_arg.get("correlation_id")
        self.in_flight[worker_ctx] = (correlation_id.set(cid or worker_ctx.call_id), time.perf_counter())

    def worker_result(self, worker_ctx, result=None, exc_info=None):
        token, started = self.in_flight.pop(worker_ctx)
        name = worker_ctx.entrypoint.method_name
        service = self.container.service_name
        ENTRYPOINT_SECONDS.labels(service, name).observe(time.perf_counter() - started)
        outcome = "ok" if not exc_info else "refused" if isinstance(exc_info[1], ServiceError) else "error"
        ENTRYPOINT_CALLS.labels(service, name, outcome).inc()
        if exc_info and isinstance(exc_info[1], ServiceError):
            log.info("%s.%s refused: %s", service, name, exc_info[1].code.value)
        elif exc_info:
            log.error("%s.%s failed", service, name, exc_info=exc_info)
        elif isinstance(worker_ctx.entrypoint, Consumer):
            log.info("%s.%s handled", service, name)
        correlation_id.reset(token)

    def get_dependency(self, worker_ctx):
        return None


class PlatformService:
    """What every service has: a ping for readiness and the observability hooks."""

    observability = Observability()

    @rpc
    def ping(self):
        return self.name


class OutboxService(PlatformService):
    """A service whose store keeps an `outbox`: publishes it after each write and sweeps leftovers."""

    dispatch = SubscribedDispatcher()

    def publish(self, wire: dict) -> None:
        self.dispatch(wire["type"], wire)

    @timer(interval=get_settings().outbox_sweep_seconds)
    def sweep_outbox(self):
        self.store.outbox.sweep(self.publish, timedelta(seconds=2 * get_settings().outbox_sweep_seconds))
