"""The entrypoints every service uses: durable event and command handlers, rpc, timers set from settings.

nameko's defaults lose data (ARCHITECTURE.md, Messaging): a failing handler's message is acked
and dropped. These consume from quorum queues with a delivery limit and a dead-letter exchange
and requeue on error, so a message that keeps failing is parked in `dead-letters`, never lost.
All of them sit on `infra.nameko_consumers`, whose queue consumer outlives a broker crash.
"""

from kombu import Exchange, Queue
from nameko.constants import AMQP_URI_CONFIG_KEY
from nameko.events import EventHandler
from nameko.timer import Timer

from contracts.message import Message
from infra import topology
from infra.nameko_consumers import Consumer, rpc
from infra.nameko_publisher import declare_with_dead_letters, event_queue
from infra.settings import get_settings

__all__ = [
    "DurableEventHandler",
    "CommandHandler",
    "SettingsTimer",
    "rpc",
    "event_handler",
    "command_handler",
    "settings_timer",
]


class DurableEventHandler(EventHandler, Consumer):
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


class SettingsTimer(Timer):
    """A timer whose interval is a setting, read when the service starts rather than at import."""

    def __init__(self, setting: str, **kwargs):
        self.setting = setting
        super().__init__(interval=None, **kwargs)

    def setup(self):
        self.interval = getattr(get_settings(), self.setting)


event_handler = DurableEventHandler.decorator
command_handler = CommandHandler.decorator
settings_timer = SettingsTimer.decorator
