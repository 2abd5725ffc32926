"""infra.nameko_consumers' classes share one queue consumer per service and know kombu's dead-link errors."""

from typing import ClassVar

from amqp.exceptions import MessageNacked
from kombu import Connection
from nameko import messaging
from nameko.containers import ServiceContainer

from contracts.errors import ServiceError
from contracts.events import Message
from infra.nameko_consumers import BROKEN_LINK_ERRORS, Consumer, QueueConsumer, rpc
from infra.nameko_ext import CommandHandler, DurableEventHandler


class DoThing(Message):
    TYPE: ClassVar[str] = "thing.do"
    SOURCE: ClassVar[str] = "tests"


class ThingDone(Message):
    TYPE: ClassVar[str] = "thing.done"
    SOURCE: ClassVar[str] = "tests"


class ThingCommandHandler(CommandHandler, Consumer):
    pass


class ThingEventHandler(DurableEventHandler, Consumer):
    pass


class ThingService:
    name = "things"

    @ThingCommandHandler.decorator(DoThing)
    def do(self, body):
        return body

    @ThingEventHandler.decorator(ThingDone)
    def done(self, body):
        return body

    @rpc
    def look(self, code):
        return code


def test_rpc_command_and_event_handlers_share_one_queue_consumer_the_link_tolerant_one():
    container = ServiceContainer(ThingService, config={"AMQP_URI": "memory://"})
    queue_consumers = [ext for ext in container.extensions if isinstance(ext, messaging.QueueConsumer)]
    assert [type(ext) for ext in queue_consumers] == [QueueConsumer]
    entrypoints = {ext.method_name: ext for ext in container.entrypoints}
    assert {name: ext.expected_exceptions for name, ext in entrypoints.items()} == {
        "do": (),
        "done": (),
        "look": ServiceError,
    }


def test_every_error_kombu_names_for_a_dead_amqp_connection_is_a_broken_link():
    connection = Connection("amqp://guest:guest@127.0.0.1:5672/")  # never connected
    named = set(connection.connection_errors + connection.recoverable_connection_errors) - {MessageNacked}
    assert named and all(issubclass(error, BROKEN_LINK_ERRORS) for error in named)
