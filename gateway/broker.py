"""The gateway's side of RabbitMQ, in asyncio: durable commands and nameko-protocol RPC calls.

Commands are published persistent, `mandatory` and with publisher confirms to a quorum queue the
gateway declares itself (same arguments as the consuming service), so a 202 means the command
survives the service being down and a broker restart. They go through the lean CommandPublisher;
declarations and RPC use aio-pika.
"""

import asyncio
import json
import uuid
from typing import Any

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractIncomingMessage, AbstractRobustConnection

from contracts.envelope import Envelope
from contracts.errors import ServiceError, StoreUnavailable
from gateway.command_publisher import CommandNotStored, CommandPublisher
from infra import topology
from infra.logs import correlation_id

# the ServiceError classes a service raises, by the name nameko sends as `exc_type`
SERVICE_ERRORS = {cls.__name__ for cls in (ServiceError, StoreUnavailable)}


class ServiceUnavailable(Exception):
    """The service did not answer in time, or no such service is bound."""


def rpc_result(service: str, method: str, reply: dict) -> Any:
    """The result of a nameko RPC reply; a ServiceError (or subclass) comes back as a ServiceError."""
    error = reply.get("error")
    if error is None:
        return reply["result"]
    if error.get("exc_type") in SERVICE_ERRORS:
        raise ServiceError.from_args(*error["exc_args"])
    raise RuntimeError(f"{service}.{method} failed: {error.get('exc_type')}: {error.get('value')}")


class Broker:
    def __init__(self, amqp_uri: str, rpc_timeout: float):
        self.amqp_uri = amqp_uri
        self.rpc_timeout = rpc_timeout
        self.pending: dict[str, asyncio.Future] = {}
        self.connection: AbstractRobustConnection | None = None
        self.publisher = CommandPublisher(amqp_uri, topology.COMMAND_EXCHANGE, confirm_timeout=rpc_timeout)

    async def start(self, command_types: list[str]) -> None:
        self.connection = await aio_pika.connect_robust(self.amqp_uri)
        # declarations and queue depths only: the commands themselves go through self.publisher
        self.topology_channel = await self.connection.channel()
        commands = await self.topology_channel.declare_exchange(
            topology.COMMAND_EXCHANGE, aio_pika.ExchangeType.DIRECT, durable=True
        )
        await self._declare_dead_letters(self.topology_channel)
        for command_type in command_types:
            queue = await self.topology_channel.declare_queue(
                topology.command_queue(command_type), durable=True, arguments=topology.consumer_queue_arguments()
            )
            await queue.bind(commands, routing_key=command_type)
        await self.publisher.start()

        # on_return_raises: an RPC to a service that is not running raises instead of waiting
        self.rpc_channel = await self.connection.channel(publisher_confirms=True, on_return_raises=True)
        self.rpc_exchange = await self.rpc_channel.declare_exchange(
            topology.RPC_EXCHANGE, aio_pika.ExchangeType.TOPIC, durable=True
        )
        self.reply_key = str(uuid.uuid4())
        replies = await self.rpc_channel.declare_queue(
            f"rpc.reply-gateway-{self.reply_key}", exclusive=True, auto_delete=True
        )
        await replies.bind(self.rpc_exchange, routing_key=self.reply_key)
        await replies.consume(self._on_reply, no_ack=True)

    async def _declare_dead_letters(self, channel: AbstractChannel) -> None:
        exchange = await channel.declare_exchange(
            topology.DEAD_LETTER_EXCHANGE, aio_pika.ExchangeType.FANOUT, durable=True
        )
        queue = await channel.declare_queue(
            topology.DEAD_LETTER_QUEUE, durable=True, arguments=topology.dead_letter_queue_arguments()
        )
        await queue.bind(exchange)

    async def queue_depth(self, queue_name: str) -> int:
        """Messages ready in a queue the gateway declared (a passive declare, so nothing is created)."""
        channel = await self.topology_channel.get_underlay_channel()
        return (await channel.queue_declare(queue_name, passive=True)).message_count

    async def close(self) -> None:
        await self.publisher.close()
        if self.connection:
            await self.connection.close()

    async def send_command(self, envelope: Envelope) -> None:
        """Returns once RabbitMQ confirmed the command is stored; raises if it was not.

        Either comes within the confirm timeout (`rpc_timeout`) of this call, a wait for a
        reconnection included: the publisher holds every command to that deadline itself, with no
        timer per command on this hot path.
        """
        try:
            await self.publisher.publish(envelope.type, envelope.model_dump_json().encode(), envelope.event_id)
        except CommandNotStored as error:
            raise ServiceUnavailable(f"command {envelope.type} was not stored by the broker: {error}") from error

    async def call(self, service: str, method: str, **kwargs: Any) -> Any:
        call_id = str(uuid.uuid4())
        future = asyncio.get_running_loop().create_future()
        self.pending[call_id] = future
        message = aio_pika.Message(
            body=json.dumps({"args": [], "kwargs": kwargs}, ensure_ascii=False).encode(),
            content_type="application/json",
            content_encoding="utf-8",
            correlation_id=call_id,
            reply_to=self.reply_key,
            headers={"nameko.correlation_id": correlation_id.get()},
        )
        try:
            try:
                await self.rpc_exchange.publish(message, routing_key=f"{service}.{method}", mandatory=True)
            except aio_pika.exceptions.DeliveryError as error:
                raise ServiceUnavailable(f"{service} is not running") from error
            try:
                reply = await asyncio.wait_for(future, self.rpc_timeout)
            except TimeoutError as error:
                raise ServiceUnavailable(f"{service} did not answer within {self.rpc_timeout}s") from error
        finally:
            self.pending.pop(call_id, None)
        return rpc_result(service, method, reply)

    async def _on_reply(self, message: AbstractIncomingMessage) -> None:
        future = self.pending.get(message.correlation_id)
        if future and not future.done():
            future.set_result(json.loads(message.body))
