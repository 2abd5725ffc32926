"""The dependencies every service injects: its store, the personal-data cipher, observability.

Providers connect in `setup()`, close in `stop()`, and inject a narrow object, never a raw client.
"""

import logging
import time

from nameko.constants import AMQP_URI_CONFIG_KEY
from nameko.extensions import DependencyProvider, SharedExtension
from nameko.messaging import Consumer
from prometheus_client import Counter, Histogram

from contracts.errors import ServiceError
from infra import health
from infra.logs import correlation_id
from infra.mongo import open_client
from infra.nameko_consumers import QueueConsumer
from infra.nameko_publisher import EventPublisher
from infra.pii import PiiCipher
from infra.settings import get_settings

log = logging.getLogger(__name__)

ENTRYPOINT_CALLS = Counter("entrypoint_calls_total", "Entrypoint invocations", ["service", "entrypoint", "outcome"])
ENTRYPOINT_SECONDS = Histogram("entrypoint_seconds", "Entrypoint latency", ["service", "entrypoint"])


class StoreProvider(DependencyProvider):
    """The service's store on its own database, publishing its events through an `EventPublisher`."""

    def __init__(self, store_cls, database: str):
        self.store_cls = store_cls
        self.database = database

    def setup(self):
        config, name = self.container.config, self.container.service_name
        settings = get_settings()
        self.client = open_client(settings.mongo_url, settings.data_dir, name)
        publisher = EventPublisher(config[AMQP_URI_CONFIG_KEY], name, config)
        self.store = self.store_cls(self.client[self.database], publisher.publish)
        self.store.ensure_indexes()

    def stop(self):
        self.client.close()

    kill = stop

    def answers(self) -> bool:
        """A read by `_id` on the service's database: a round trip to MongoDB, or the embedded store."""
        self.client[self.database]["health"].find_one({"_id": "ping"})
        return True

    def get_dependency(self, worker_ctx):
        return self.store


class Cipher(DependencyProvider):
    """The personal-data cipher, keyed from `PII_KEYS`."""

    def setup(self):
        self.cipher = PiiCipher(get_settings().pii_keys)

    def get_dependency(self, worker_ctx):
        return self.cipher


class MetricsServer(SharedExtension):
    """Serves `/metrics`, `/healthz` and `/readyz` on `METRICS_PORT` when set (infra/health.py)."""

    server = None

    def start(self):
        port = get_settings().metrics_port
        if port:
            self.server = health.serve(port, {"broker": self.broker_linked, "store": self.store_answers})
            log.info("metrics and probes on :%s (/metrics, /healthz, /readyz)", port)

    def stop(self):
        if self.server is not None:
            self.server.kill()

    kill = stop

    def broker_linked(self) -> bool:
        consumers = [ext for ext in self.container.subextensions if isinstance(ext, QueueConsumer)]
        return bool(consumers) and all(consumer.linked for consumer in consumers)

    def store_answers(self) -> bool:
        stores = [dep for dep in self.container.dependencies if isinstance(dep, StoreProvider)]
        return all(store.answers() for store in stores)


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
