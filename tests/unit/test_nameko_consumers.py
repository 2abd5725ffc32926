"""infra.nameko_consumers' classes share one queue consumer per service and know kombu's dead-link errors."""

import importlib
from typing import ClassVar

from amqp.exceptions import MessageNacked
from kombu import Connection
from nameko import messaging
from nameko import rpc as nameko_rpc
from nameko.containers import ServiceContainer

from contracts.errors import ServiceError
from contracts.message import Message
from contracts.services import SERVICES, service_class_path
from infra.nameko_consumers import BROKEN_LINK_ERRORS, QueueConsumer, rpc
from infra.nameko_entrypoints import CommandHandler, DurableEventHandler


class DoThing(Message):
    TYPE: ClassVar[str] = "thing.do"
    SOURCE: ClassVar[str] = "tests"


class ThingDone(Message):
    TYPE: ClassVar[str] = "thing.done"
    SOURCE: ClassVar[str] = "tests"


class ThingService:
    name = "things"

    @CommandHandler.decorator(DoThing)
    def do(self, body):
        return body

    @DurableEventHandler.decorator(ThingDone)
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


def test_every_service_of_the_platform_consumes_through_the_link_tolerant_queue_consumer_only():
    for name in SERVICES:
        module, _, attribute = service_class_path(name).partition(":")
        service = getattr(importlib.import_module(module), attribute)
        container = ServiceContainer(service, config={"AMQP_URI": "memory://"})
        queue_consumers = [ext for ext in container.extensions if isinstance(ext, messaging.QueueConsumer)]
        assert [type(ext) for ext in queue_consumers] == [QueueConsumer], name
        rpcs = [ext for ext in container.entrypoints if isinstance(ext, nameko_rpc.Rpc)]
        assert rpcs and all(ext.expected_exceptions is ServiceError for ext in rpcs), name
