"""The dead-letter command lists what failed and sends it back to the queue it failed in, once."""

import json

import pytest
from kombu import Connection, Exchange, Queue

from devtools import dead_letters
from devtools.broker import create_vhost, delete_vhost
from infra import topology
from infra.nameko_publisher import declare_with_dead_letters
from tests.conftest import BROKER_URI, wait_until

FAILING = "evt-tests-test.failed--survivor.on_event"


@pytest.fixture
def vhost_uri():
    vhost, uri = create_vhost(BROKER_URI, "dead-letters")
    yield uri
    delete_vhost(vhost)


def fail_until_dead_lettered(uri: str, body: dict) -> None:
    exchange = Exchange("tests.events", type="topic", durable=True)
    queue = Queue(
        FAILING,
        exchange=exchange,
        routing_key="test.failed",
        durable=True,
        queue_arguments=topology.consumer_queue_arguments(),
    )
    declare_with_dead_letters(uri, [queue])
    with Connection(uri) as connection:
        connection.Producer().publish(
            body, exchange=exchange, routing_key="test.failed", serializer="json", declare=[exchange]
        )
        channel = connection.channel()
        for _ in range(topology.DELIVERY_LIMIT + 1):  # the handler fails on every delivery
            message = wait_until(lambda: channel.basic_get(FAILING), timeout=10)
            channel.basic_reject(message.delivery_tag, requeue=True)


def test_a_dead_letter_is_listed_then_replayed_to_its_own_queue_only(vhost_uri):
    envelope = {"type": "test.failed", "correlation_id": "corr-dl-1", "payload": {"n": 1}}
    fail_until_dead_lettered(vhost_uri, envelope)

    [listed] = wait_until(lambda: dead_letters.inspect(vhost_uri, replay=False))  # dead-lettering is asynchronous
    assert (listed.queue, listed.type, listed.correlation_id) == (FAILING, "test.failed", "corr-dl-1")
    assert len(dead_letters.inspect(vhost_uri, replay=False)) == 1  # listing leaves it parked

    [replayed] = dead_letters.inspect(vhost_uri, replay=True)
    assert replayed.queue == FAILING and dead_letters.inspect(vhost_uri, replay=False) == []
    with Connection(vhost_uri) as connection:
        message = connection.default_channel.basic_get(FAILING, no_ack=True)
        assert json.loads(message.body) == envelope and "x-death" not in message.headers
