"""The gateway's broker client against the real RabbitMQ: durable commands and nameko-protocol RPC."""

import asyncio
import json
import time

import pytest
from kombu import Connection

from contracts.errors import ServiceError
from devtools.broker import create_vhost, delete_vhost
from gateway.broker import Broker, ServiceUnavailable
from infra import topology
from tests.conftest import BROKER_URI
from tests.factories import submit_opinion


@pytest.fixture
def amqp_uri():
    vhost, uri = create_vhost(BROKER_URI, "test-broker")
    yield uri
    delete_vhost(vhost)


def run(coroutine):
    return asyncio.run(coroutine)


def test_a_command_is_kept_in_a_durable_quorum_queue_before_any_consumer_exists(amqp_uri):
    envelope = submit_opinion().envelope("330481001", "corr-1")

    async def send():
        broker = Broker(amqp_uri, rpc_timeout=2)
        await broker.start([envelope.type])
        await broker.send_command(envelope)
        await broker.close()

    run(send())
    with Connection(amqp_uri) as connection:
        message = connection.default_channel.basic_get(topology.command_queue(envelope.type), no_ack=True)
        assert json.loads(message.body)["event_id"] == envelope.event_id
        assert message.properties["delivery_mode"] == 2
        declared = connection.default_channel.queue_declare(topology.command_queue(envelope.type), passive=True)
        assert declared.message_count == 0


def test_rpc_to_a_service_that_does_not_exist_fails_fast(amqp_uri):
    async def call():
        broker = Broker(amqp_uri, rpc_timeout=30)
        await broker.start([])
        started = time.monotonic()
        try:
            with pytest.raises(ServiceUnavailable):
                await broker.call("nosuchservice", "ping")
        finally:
            await broker.close()
        return time.monotonic() - started

    assert run(call()) < 10  # unroutable: answered by the broker, not by the 30 s timeout


def test_rpc_errors_of_a_running_service_come_back_typed(platform):
    async def call():
        broker = Broker(platform.amqp_uri, rpc_timeout=10)
        await broker.start([])
        try:
            assert await broker.call("legislation", "ping") == "legislation"
            with pytest.raises(ServiceError) as raised:
                await broker.call("intake", "public_view", tracking_code="AAAA-BBBB-CCCC")
            return raised.value
        finally:
            await broker.close()

    error = run(call())
    assert error.code == "not_found" and error.field == "tracking_code"
