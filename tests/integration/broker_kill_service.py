"""The services test_consumer_survives_broker_kill runs with `nameko run`: a slow command handler,
a slow event handler and rpc methods, once on infra.nameko_consumers and once on nameko's own
consumers. Each handler appends "<kind> <message id>" to the file named by RECORD_FILE."""

import os
import time
from pathlib import Path
from typing import ClassVar

from eventlet import patcher
from nameko.messaging import QueueConsumer as StockQueueConsumer
from nameko.rpc import rpc as stock_rpc

from contracts.errors import ErrorCode, ServiceError
from contracts.message import Message
from infra.nameko_consumers import rpc
from infra.nameko_dependencies import Observability
from infra.nameko_entrypoints import CommandHandler, DurableEventHandler

HANDLING_SECONDS = 0.5  # long enough that a kill lands while workers are still to ack
blocking_sleep = patcher.original("time").sleep


class RecordCommand(Message):
    TYPE: ClassVar[str] = "test.record"
    SOURCE: ClassVar[str] = "tests"

    message_id: str
    hold: bool = False


class RecordedEvent(Message):
    TYPE: ClassVar[str] = "test.recorded"
    SOURCE: ClassVar[str] = "tests"

    message_id: str


def write_record(line: str) -> None:
    with open(os.environ["RECORD_FILE"], "a", encoding="utf-8") as records:
        records.write(line + "\n")


def hold_the_process(message_id: str) -> None:
    """Holds the whole process, as CPU-bound work or a blocking call (a SQLite write) would, from
    the test's "go" until it has killed the broker. Eventlet's hub, blocked meanwhile, has not let
    the consumer thread see the connection reset when this worker acks: the ack meets the dead link."""
    flags = Path(os.environ["RECORD_FILE"])
    while not flags.with_suffix(".go").exists():
        time.sleep(0.02)
    write_record(f"holding {message_id}")
    while not flags.with_suffix(".killed").exists():
        blocking_sleep(0.02)


def record(kind: str, body: dict) -> None:
    time.sleep(HANDLING_SECONDS)
    if body["payload"].get("hold"):
        hold_the_process(body["payload"]["message_id"])
    write_record(f"{kind} {body['payload']['message_id']}")


class SurvivingService:
    name = "survivor"
    observability = Observability()

    @CommandHandler.decorator(RecordCommand)
    def on_command(self, body):
        record("command", body)

    @DurableEventHandler.decorator(RecordedEvent)
    def on_event(self, body):
        record("event", body)

    @rpc
    def echo(self, value, seconds=0.0):
        time.sleep(seconds)
        return value

    @rpc
    def find(self, code):
        raise ServiceError(ErrorCode.NOT_FOUND, f"没有 {code} (no {code})", "code")


class StockCommandHandler(CommandHandler):
    """The project's command handler on nameko's own queue consumer, whatever its base class."""

    queue_consumer = StockQueueConsumer()


class StockService:
    name = "stock"

    @StockCommandHandler.decorator(RecordCommand)
    def on_command(self, body):
        record("command", body)

    @stock_rpc
    def echo(self, value, seconds=0.0):
        time.sleep(seconds)
        return value
