"""The delivery engine as a nameko dependency: built when the service starts, its senders stopped with it."""

import random
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from nameko.extensions import DependencyProvider

from infra.clock import utc_now
from infra.nameko_dependencies import StoreProvider
from infra.pii import PiiCipher
from infra.settings import get_settings
from services.notify.channels.base import channels_from_settings
from services.notify.delivery.compose import composer
from services.notify.delivery.destinations import contact_by_rpc, locator
from services.notify.delivery.engine import DeliveryEngine, DeliverySettings
from services.notify.delivery.planning import handling_event


def delivery_settings(settings) -> DeliverySettings:
    return DeliverySettings(
        senders=settings.notify_senders,
        lease=timedelta(seconds=settings.notify_send_lease_seconds),
        max_attempts=settings.notify_max_attempts,
        backoff_base=settings.notify_backoff_base_seconds,
        backoff_cap=settings.notify_backoff_cap_seconds,
        channel_rate=settings.notify_channel_rate_per_minute,
        recipient_rate=settings.notify_recipient_rate_per_minute,
    )


class DeliveryWorker(DependencyProvider):
    """Injects the engine; its senders are threads (green ones in a service process), never the
    workers that consume events."""

    engine: DeliveryEngine | None = None

    def start(self):
        settings = get_settings()
        store = next(dep for dep in self.container.dependencies if isinstance(dep, StoreProvider)).store
        self.pool = ThreadPoolExecutor(settings.notify_senders, thread_name_prefix="notify-sender")
        config, timeout = self.container.config, settings.rpc_timeout_seconds
        citizen = contact_by_rpc(config, timeout, "intake", "contact_for_notice")
        contributor = contact_by_rpc(config, timeout, "legislation", "contact_for_feedback")
        cipher = PiiCipher(settings.pii_keys)
        self.engine = DeliveryEngine(
            store.delivery,
            store.notifications.get,
            locator(store, cipher, citizen, contributor),
            composer(store.templates, cipher, settings.sms_template_ids),
            channels_from_settings(settings),
            self.pool,
            delivery_settings(settings),
            utc_now,
            random.Random(),
        )

    def stop(self):
        if self.engine is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)

    kill = stop

    def get_dependency(self, worker_ctx):
        return self.engine


class EventContext(DependencyProvider):
    """Puts the envelope of the event a worker handles in `planning.handling_event`, so the deliveries
    its notices plan keep the event's variables for their templates."""

    def setup(self):
        self.tokens = {}

    def worker_setup(self, worker_ctx):
        body = worker_ctx.args[0] if worker_ctx.args else None
        is_event = isinstance(body, dict) and "event_id" in body and "type" in body
        self.tokens[worker_ctx] = handling_event.set(body if is_event else None)

    def worker_teardown(self, worker_ctx):
        handling_event.reset(self.tokens.pop(worker_ctx))
