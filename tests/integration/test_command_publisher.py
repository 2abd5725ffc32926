"""The gateway's command publisher against the real RabbitMQ: confirmed, returned, refused, reconnected."""

import asyncio
import itertools
import json
import random
from urllib.parse import urlsplit, urlunsplit

import pytest
from kombu import Connection

from devtools.broker import create_vhost, delete_vhost, rabbitmqctl
from gateway.command_publisher import CommandNotStored, CommandPublisher
from tests.broker_connections import close_connection, named_connections
from tests.conftest import BROKER_URI, wait_until

EXCHANGE = "test-commands"
QUEUE = "test-commands.opinion.submit"


@pytest.fixture
def vhost_uri():
    """A vhost of its own with a durable quorum queue bound to the exchange for `opinion.submit`."""
    vhost, uri = create_vhost(BROKER_URI, "test-publisher")
    with Connection(uri) as connection:
        channel = connection.default_channel
        channel.exchange_declare(EXCHANGE, "direct", durable=True)
        channel.queue_declare(QUEUE, durable=True, auto_delete=False, arguments={"x-queue-type": "quorum"})
        channel.queue_bind(QUEUE, EXCHANGE, routing_key="opinion.submit")
    yield vhost, uri
    delete_vhost(vhost)


def stored(uri: str) -> list:
    """Takes every message off the queue: (message id, delivery mode, body)."""
    found = []
    with Connection(uri) as connection:
        while message := connection.default_channel.basic_get(QUEUE, no_ack=True):
            raw = message.body if isinstance(message.body, bytes) else message.body.encode()  # kombu decodes utf-8
            found.append((message.properties["message_id"], message.properties["delivery_mode"], raw))
    return found


def body(number: int) -> bytes:
    return json.dumps({"n": number}).encode()


def test_a_burst_of_concurrent_commands_is_confirmed_and_stored_once_each(vhost_uri):
    _, uri = vhost_uri

    async def burst():
        publisher = CommandPublisher(uri, EXCHANGE, confirm_timeout=10)
        await publisher.start()
        try:
            await asyncio.gather(*(publisher.publish("opinion.submit", body(n), f"id-{n}") for n in range(500)))
        finally:
            await publisher.close()

    asyncio.run(burst())
    messages = stored(uri)
    assert sorted(message_id for message_id, _, _ in messages) == sorted(f"id-{n}" for n in range(500))
    assert {mode for _, mode, _ in messages} == {2}
    assert {json.loads(raw)["n"] for _, _, raw in messages} == set(range(500))


def test_a_body_larger_than_a_frame_arrives_whole(vhost_uri):
    _, uri = vhost_uri
    large = json.dumps({"content": "长" * 150_000}, ensure_ascii=False).encode()  # 450 kB, several 128 kB frames

    async def send():
        publisher = CommandPublisher(uri, EXCHANGE, confirm_timeout=10)
        await publisher.start()
        await publisher.publish("opinion.submit", large, "large")
        await publisher.close()

    asyncio.run(send())
    assert stored(uri) == [("large", 2, large)]


def test_a_command_no_queue_takes_is_refused_and_the_next_one_still_goes_through(vhost_uri):
    _, uri = vhost_uri

    async def send():
        publisher = CommandPublisher(uri, EXCHANGE, confirm_timeout=10)
        await publisher.start()
        try:
            with pytest.raises(CommandNotStored) as refused:
                await publisher.publish("opinion.nobody-listens", body(1), "lost")
            connection = publisher.connection
            await publisher.publish("opinion.submit", body(2), "kept")
            return refused.value, connection is publisher.connection
        finally:
            await publisher.close()

    refused, same_connection = asyncio.run(send())
    assert refused.reason == "unroutable" and "NO_ROUTE" in str(refused)
    assert same_connection
    assert [message_id for message_id, _, _ in stored(uri)] == ["kept"]


def test_a_wrong_password_fails_start_with_the_brokers_reason(vhost_uri):
    _, uri = vhost_uri
    parts = urlsplit(uri)
    wrong = urlunsplit(parts._replace(netloc=f"guest:wrong@{parts.hostname}:{parts.port or 5672}"))

    async def start():
        publisher = CommandPublisher(wrong, EXCHANGE, confirm_timeout=10)
        await publisher.start()

    with pytest.raises(CommandNotStored, match="ACCESS_REFUSED"):
        asyncio.run(start())


def test_after_the_broker_drops_the_connection_the_publisher_reconnects_by_itself(vhost_uri):
    vhost, uri = vhost_uri

    async def scenario():
        publisher = CommandPublisher(uri, EXCHANGE, confirm_timeout=10)
        await publisher.start()
        try:
            await publisher.publish("opinion.submit", body(1), "before")
            first = publisher.connection
            await asyncio.to_thread(rabbitmqctl, "close_all_connections", "-p", vhost, "test: operator closed it")
            await asyncio.wait_for(first.closed, 10)
            await publisher.publish("opinion.submit", body(2), "after")
            return first.failure, publisher.connection is not first
        finally:
            await publisher.close()

    failure, reconnected = asyncio.run(scenario())
    assert failure.reason == "closed_by_broker" and "operator closed it" in str(failure)
    assert reconnected
    assert [message_id for message_id, _, _ in stored(uri)] == ["before", "after"]


def test_heartbeats_keep_an_idle_connection_open(vhost_uri):
    """With a one-second heartbeat the broker drops a client silent for two seconds; this one stays."""
    _, uri = vhost_uri

    async def idle():
        publisher = CommandPublisher(uri + "?heartbeat=1", EXCHANGE, confirm_timeout=10)
        await publisher.start()
        try:
            connection = publisher.connection
            await asyncio.sleep(4.5)
            await publisher.publish("opinion.submit", body(1), "after-idle")
            return connection.heartbeat, connection is publisher.connection and connection.is_open
        finally:
            await publisher.close()

    heartbeat, same_connection = asyncio.run(idle())
    assert heartbeat == 1 and same_connection
    assert wait_until(lambda: [message_id for message_id, _, _ in stored(uri)]) == ["after-idle"]


def test_every_command_settles_while_the_connection_is_closed_again_and_again_mid_burst(vhost_uri):
    """A hundred concurrent senders keep publishing while an operator closes the publisher's connection
    three times: each command is confirmed or refused in time, none hangs, and every confirmed one is
    in the queue."""
    vhost, uri = vhost_uri
    name = "burst publisher"

    async def scenario():
        publisher = CommandPublisher(uri, EXCHANGE, confirm_timeout=5, name=name)
        await publisher.start()
        outcomes: dict[str, str] = {}
        numbers = itertools.count()
        closing_done = asyncio.Event()

        async def sender() -> None:
            while not closing_done.is_set():
                message_id = f"id-{next(numbers)}"
                try:
                    # far beyond the deadline (5 s plus the watchdog's tick): only a hang ends here
                    await asyncio.wait_for(publisher.publish("opinion.submit", body(0), message_id), 30)
                    outcomes[message_id] = "confirmed"
                except CommandNotStored as error:
                    outcomes[message_id] = error.reason
                except TimeoutError:
                    outcomes[message_id] = "hung"
                await asyncio.sleep(random.uniform(0, 0.4))  # spread out, so some are always in flight

        async def close_three_times() -> list:
            failures = []
            for _ in range(3):
                await asyncio.sleep(0.5)  # commands go out on this connection first
                connection = publisher.connection
                [pid] = await asyncio.to_thread(named_connections, vhost, name)
                await asyncio.to_thread(close_connection, pid, "test: closed mid-burst")
                await asyncio.wait_for(connection.closed, 10)
                failures.append(connection.failure)
                async with asyncio.timeout(30):
                    while publisher.connection is connection or not publisher.connection.is_open:
                        await asyncio.sleep(0.05)
            await asyncio.sleep(0.5)  # and some on the last one
            closing_done.set()
            return failures

        senders = [asyncio.create_task(sender()) for _ in range(100)]
        failures = await close_three_times()
        await asyncio.gather(*senders)
        await publisher.close()
        return outcomes, next(numbers), failures

    outcomes, sent, failures = asyncio.run(scenario())
    assert len(outcomes) == sent  # every command settled
    assert "hung" not in outcomes.values()
    assert [failure.reason for failure in failures] == ["closed_by_broker"] * 3
    assert all("closed mid-burst" in str(failure) for failure in failures)
    confirmed = {message_id for message_id, outcome in outcomes.items() if outcome == "confirmed"}
    stored_ids = {message_id for message_id, _, _ in stored(uri)}
    assert confirmed and confirmed <= stored_ids
