"""The command publisher's AMQP session, driven frame by frame through a transport that records writes.

What the real broker rarely does on request (nacks, flow control, a confirm that never comes) is
shown here, and so are the races of a connection that ends (a command published between the
broker's Close and the loss, frames still queued) and the publisher's handover to a new connection;
tests/integration/test_command_publisher.py shows the rest against RabbitMQ itself.
"""

import asyncio

import pytest
from pamqp import commands, frame, header
from pamqp.body import ContentBody
from prometheus_client import REGISTRY

from gateway import command_publisher
from gateway.command_publisher import AmqpConnection, BrokerAddress, CommandNotStored, CommandPublisher

ADDRESS = BrokerAddress.parse("amqp://citizen:s%40fe@broker.example:5673/county%2F330481?heartbeat=30")
PUBLISH = frame.marshal(commands.Basic.Publish(exchange="commands", routing_key="opinion.submit", mandatory=True), 1)


class RecordingTransport(asyncio.Transport):
    """Records writes; like asyncio's own transports, reports the loss one loop turn after close()."""

    def __init__(self, protocol: AmqpConnection):
        super().__init__()
        self.protocol = protocol
        self.written = bytearray()
        self.closing = False

    def write(self, data: bytes) -> None:
        self.written += data

    def is_closing(self) -> bool:
        return self.closing

    def close(self) -> None:
        if not self.closing:
            self.closing = True
            asyncio.get_running_loop().call_soon(self.protocol.connection_lost, None)

    abort = close

    def frames(self) -> list:
        """Everything written since the last call, decoded (the protocol header skipped)."""
        data, decoded = bytes(self.written), []
        self.written.clear()
        while data:
            used, _, value = frame.unmarshal(data)
            decoded.append(value)
            data = data[used:]
        return decoded


def receive(connection: AmqpConnection, *values, channel: int = 1, byte_by_byte: bool = False) -> None:
    data = b"".join(frame.marshal(value, 0 if value.name.startswith("Connection") else channel) for value in values)
    for chunk in [data[i : i + 1] for i in range(len(data))] if byte_by_byte else [data]:
        connection.data_received(chunk)


def open_connection(address: BrokerAddress = ADDRESS, on_failed=None) -> tuple:
    connection = AmqpConnection(address, "test", on_failed)
    transport = RecordingTransport(connection)
    connection.connection_made(transport)
    assert transport.frames()[0].name == "ProtocolHeader"
    receive(connection, commands.Connection.Start(mechanisms="AMQPLAIN PLAIN"), byte_by_byte=True)
    receive(connection, commands.Connection.Tune(channel_max=2047, frame_max=4096, heartbeat=60))
    receive(connection, commands.Connection.OpenOk(), commands.Channel.OpenOk(), commands.Confirm.SelectOk())
    transport.frames()
    return connection, transport


def publish(connection: AmqpConnection, message_id: str, body: bytes = b'{"x": 1}', timeout: float = 10):
    return connection.publish(PUBLISH, "opinion.submit", body, message_id, connection.loop.time() + timeout)


def test_the_uri_is_read_as_aio_pika_reads_it():
    assert ADDRESS == BrokerAddress("broker.example", 5673, "citizen", "s@fe", "county/330481", False, 30)
    assert BrokerAddress.parse("amqp://guest:guest@127.0.0.1:5672/").virtual_host == "/"
    tls = BrokerAddress.parse("amqps://rabbit.internal/prod")
    assert (tls.port, tls.tls, tls.virtual_host, tls.heartbeat) == (5671, True, "prod", 60)
    with pytest.raises(ValueError, match="amqp://"):
        BrokerAddress.parse("http://rabbit.internal/")


def test_the_handshake_logs_in_negotiates_and_selects_confirms():
    async def handshake():
        connection = AmqpConnection(ADDRESS, "gateway commands")
        transport = RecordingTransport(connection)
        connection.connection_made(transport)
        sent = [transport.frames()]
        receive(connection, commands.Connection.Start(mechanisms="AMQPLAIN PLAIN"), byte_by_byte=True)
        sent.append(transport.frames())
        receive(connection, commands.Connection.Tune(channel_max=2047, frame_max=4096, heartbeat=60))
        sent.append(transport.frames())
        receive(connection, commands.Connection.OpenOk())
        sent.append(transport.frames())
        receive(connection, commands.Channel.OpenOk())
        sent.append(transport.frames())
        assert not connection.ready.done()
        receive(connection, commands.Confirm.SelectOk())
        await connection.ready
        return connection, sent

    connection, sent = asyncio.run(handshake())
    [protocol], [start_ok], [tune_ok, open_vhost], [channel_open], [select] = sent
    assert protocol.name == "ProtocolHeader"
    assert start_ok.mechanism == "PLAIN" and start_ok.response == "\0citizen\0s@fe"
    assert start_ok.client_properties["capabilities"]["connection.blocked"] is True
    assert (tune_ok.heartbeat, tune_ok.frame_max) == (30, 4096)  # the smaller of the two sides
    assert open_vhost.virtual_host == "county/330481"
    assert channel_open.name == "Channel.Open" and select.name == "Confirm.Select"
    assert connection.is_open and connection.heartbeat == 30


def test_an_ack_settles_every_command_up_to_its_tag_and_a_nack_refuses():
    async def scenario():
        connection, transport = open_connection()
        first, second, third = (publish(connection, f"m{i}") for i in range(3))
        await asyncio.sleep(0)  # the frames of one loop turn go out together
        sent = transport.frames()
        receive(connection, commands.Basic.Ack(delivery_tag=2, multiple=True))
        await asyncio.sleep(0)
        settled = (first.done(), second.done(), third.done())
        receive(connection, commands.Basic.Nack(delivery_tag=3))
        with pytest.raises(CommandNotStored) as refused:
            await third
        return sent, settled, first.result(), second.result(), refused.value

    sent, settled, first, second, refused = asyncio.run(scenario())
    assert [value.name for value in sent] == ["Basic.Publish", "ContentHeader", "ContentBody"] * 3
    assert [value.properties.message_id for value in sent if value.name == "ContentHeader"] == ["m0", "m1", "m2"]
    assert all(value.properties.delivery_mode == 2 for value in sent if value.name == "ContentHeader")
    assert settled == (True, True, False)
    assert first is None and second is None
    assert refused.reason == "nacked"


def test_a_returned_command_fails_as_unroutable_when_its_ack_comes():
    async def scenario():
        connection, _ = open_connection()
        lost, kept = publish(connection, "lost"), publish(connection, "kept")
        returned = commands.Basic.Return(reply_code=312, reply_text="NO_ROUTE", exchange="commands", routing_key="x")
        properties = commands.Basic.Properties(message_id="lost")
        receive(connection, returned, header.ContentHeader(0, 8, properties), ContentBody(b'{"x": 1}'))
        receive(connection, commands.Basic.Ack(delivery_tag=2, multiple=True))
        await kept
        with pytest.raises(CommandNotStored) as failed:
            await lost
        return failed.value, connection.returned

    failure, still_returned = asyncio.run(scenario())
    assert failure.reason == "unroutable" and "312 NO_ROUTE" in str(failure)
    assert still_returned == {}


def test_a_body_larger_than_a_frame_is_split_to_the_negotiated_size():
    async def scenario():
        connection, transport = open_connection()  # frame_max 4096
        publish(connection, "big", body=b"x" * 10_000)
        await asyncio.sleep(0)
        return transport.frames()

    sent = asyncio.run(scenario())
    bodies = [value.value for value in sent if value.name == "ContentBody"]
    assert [len(body) for body in bodies] == [4088, 4088, 1824]
    assert b"".join(bodies) == b"x" * 10_000


def test_while_the_broker_blocks_publishing_a_command_is_refused_at_once():
    async def scenario():
        connection, _ = open_connection()
        receive(connection, commands.Connection.Blocked(reason="low on memory"), channel=0)
        with pytest.raises(CommandNotStored) as refused:
            publish(connection, "m1")
        receive(connection, commands.Connection.Unblocked(), channel=0)
        accepted = publish(connection, "m2")
        receive(connection, commands.Basic.Ack(delivery_tag=1))
        await accepted
        return refused.value

    refused = asyncio.run(scenario())
    assert refused.reason == "blocked" and "low on memory" in str(refused)


def test_when_the_broker_closes_the_connection_waiting_commands_fail_and_it_is_told_close_ok():
    async def scenario():
        connection, transport = open_connection()
        waiting = publish(connection, "m1")
        await asyncio.sleep(0)
        transport.frames()
        receive(
            connection,
            commands.Connection.Close(
                reply_code=320, reply_text="CONNECTION_FORCED - shutdown", class_id=0, method_id=0
            ),
        )
        with pytest.raises(CommandNotStored) as failed:
            await waiting
        return failed.value, transport.frames(), transport.closing, connection.is_open

    failure, answered, closed, is_open = asyncio.run(scenario())
    assert failure.reason == "closed_by_broker" and "CONNECTION_FORCED" in str(failure)
    assert [value.name for value in answered] == ["Connection.CloseOk"]
    assert closed and not is_open


def test_a_channel_error_fails_waiting_commands_and_closes_the_connection_cleanly():
    async def scenario():
        connection, transport = open_connection()
        waiting = publish(connection, "m1")
        await asyncio.sleep(0)
        transport.frames()
        receive(
            connection, commands.Channel.Close(404, "NOT_FOUND - no exchange 'commands'", class_id=60, method_id=40)
        )
        with pytest.raises(CommandNotStored) as failed:
            await waiting
        return failed.value, transport.frames()

    failure, answered = asyncio.run(scenario())
    assert "404 NOT_FOUND" in str(failure)
    assert [value.name for value in answered] == ["Channel.CloseOk", "Connection.Close"]


def test_a_command_not_confirmed_in_time_fails_with_a_timeout():
    async def scenario():
        connection, _ = open_connection()
        waiting = publish(connection, "m1", timeout=0.5)
        with pytest.raises(CommandNotStored) as failed:
            await asyncio.wait_for(waiting, 5)
        return failed.value, connection.unconfirmed

    failure, unconfirmed = asyncio.run(scenario())
    assert failure.reason == "timeout" and unconfirmed == {}


def test_a_login_the_broker_refuses_fails_the_handshake_with_its_reason():
    async def scenario():
        connection = AmqpConnection(ADDRESS, "test")
        connection.connection_made(RecordingTransport(connection))
        receive(connection, commands.Connection.Start(mechanisms="PLAIN"))
        refusal = "ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN"
        receive(connection, commands.Connection.Close(403, refusal, class_id=0, method_id=0))
        with pytest.raises(CommandNotStored) as failed:
            await connection.ready
        return failed.value

    assert "403 ACCESS_REFUSED" in str(asyncio.run(scenario()))


def test_a_command_expires_at_its_own_deadline_even_behind_one_with_a_later_deadline():
    """A command that waited for a reconnection goes out after newer ones but keeps its earlier deadline."""

    async def scenario():
        connection, _ = open_connection()
        patient, hurried = publish(connection, "patient", timeout=30), publish(connection, "hurried", timeout=0.5)
        with pytest.raises(CommandNotStored) as failed:
            await asyncio.wait_for(hurried, 5)
        return failed.value, patient.done(), list(connection.unconfirmed)

    failure, patient_done, unconfirmed = asyncio.run(scenario())
    assert failure.reason == "timeout"
    assert not patient_done and unconfirmed == [1]


def failures(reason: str) -> float:
    return REGISTRY.get_sample_value("command_publish_failures_total", {"reason": reason}) or 0.0


def test_after_the_broker_closes_the_channel_a_command_is_refused_at_once():
    async def scenario():
        connection, transport = open_connection()
        receive(connection, commands.Channel.Close(406, "PRECONDITION_FAILED - gone", class_id=60, method_id=40))
        with pytest.raises(CommandNotStored) as refused:
            publish(connection, "late")
        return refused.value, connection.unconfirmed, transport.closing

    refused, unconfirmed, transport_closing = asyncio.run(scenario())
    assert refused.reason == "closed_by_broker" and "406 PRECONDITION_FAILED" in str(refused)
    assert unconfirmed == {}
    assert not transport_closing  # still waiting for Connection.CloseOk: the refusal did not wait for the end


def test_after_the_broker_closes_the_connection_a_command_is_refused_before_the_loss_is_reported():
    async def scenario():
        connection, _ = open_connection()
        receive(connection, commands.Connection.Close(320, "CONNECTION_FORCED - closed by an operator", 0, 0))
        lost_yet = connection.closed.done()
        with pytest.raises(CommandNotStored) as refused:
            publish(connection, "late")
        await asyncio.wait_for(connection.closed, 5)
        return lost_yet, refused.value

    lost_yet, refused = asyncio.run(scenario())
    assert not lost_yet
    assert refused.reason == "closed_by_broker" and "CONNECTION_FORCED" in str(refused)


def test_every_command_settles_once_when_the_connection_ends_after_the_broker_closed_the_channel():
    async def scenario():
        told = []
        connection, _ = open_connection(on_failed=told.append)
        before = failures("closed_by_broker")
        waiting = [publish(connection, f"m{i}") for i in range(3)]
        await asyncio.sleep(0)
        receive(connection, commands.Channel.Close(404, "NOT_FOUND - no exchange 'commands'", 60, 40))
        refused = []
        for message_id in ("late-1", "late-2"):  # between the broker's Close and the loss, as a request could
            try:
                waiting.append(publish(connection, message_id))
            except CommandNotStored as error:
                refused.append(error)
        receive(connection, commands.Connection.CloseOk())
        await asyncio.wait_for(connection.closed, 5)
        outcomes = await asyncio.wait_for(asyncio.gather(*waiting, return_exceptions=True), 5)
        return outcomes, refused, failures("closed_by_broker") - before, told, connection

    outcomes, refused, counted, told, connection = asyncio.run(scenario())
    assert len(outcomes) == 3 and all(isinstance(o, CommandNotStored) for o in outcomes)
    assert {o.reason for o in outcomes} == {"closed_by_broker"}
    assert [error.reason for error in refused] == ["closed_by_broker"] * 2
    assert counted == 5  # every command once, none twice when connection_lost follows
    assert told == [connection] and connection.unconfirmed == {}


def test_frames_not_yet_written_when_the_broker_closes_the_channel_are_dropped_with_their_commands():
    async def scenario():
        connection, transport = open_connection()
        queued = publish(connection, "queued")  # its frames wait for the end of this loop turn
        receive(connection, commands.Channel.Close(404, "NOT_FOUND - no exchange 'commands'", 60, 40))
        await asyncio.sleep(0)
        with pytest.raises(CommandNotStored) as failed:
            await asyncio.wait_for(queued, 5)
        return failed.value, transport.frames()

    failure, written = asyncio.run(scenario())
    assert failure.reason == "closed_by_broker"
    assert [value.name for value in written] == ["Channel.CloseOk", "Connection.Close"]


def test_frames_queued_on_a_transport_already_closing_fail_at_once():
    """A closing transport reports its loss only once its buffer drained or TLS shut down: maybe never."""

    async def scenario():
        connection, transport = open_connection()
        transport.closing = True  # closing, the loss not reported yet
        queued = [publish(connection, "m1"), publish(connection, "m2")]
        await asyncio.sleep(0)
        outcomes = [future.exception() if future.done() else None for future in queued]
        return outcomes, bytes(transport.written), connection.closed.done()

    outcomes, written, lost = asyncio.run(scenario())
    assert [outcome.reason for outcome in outcomes] == ["connection_lost"] * 2
    assert written == b"" and not lost


class BreakingTransport(RecordingTransport):
    broken = False

    def write(self, data: bytes) -> None:
        if self.broken:
            raise RuntimeError("unable to perform operation on a closed transport")
        super().write(data)


def test_a_watchdog_that_crashes_ends_the_connection_so_no_command_waits_forever():
    async def scenario():
        connection = AmqpConnection(ADDRESS, "test")
        transport = BreakingTransport(connection)
        connection.connection_made(transport)
        receive(connection, commands.Connection.Start(mechanisms="PLAIN"))
        receive(connection, commands.Connection.Tune(channel_max=2047, frame_max=4096, heartbeat=1))
        receive(connection, commands.Connection.OpenOk(), commands.Channel.OpenOk(), commands.Confirm.SelectOk())
        waiting = publish(connection, "m1", timeout=60)
        await asyncio.sleep(0)
        transport.broken = True  # its next heartbeat raises inside the watchdog
        with pytest.raises(CommandNotStored) as failed:
            await asyncio.wait_for(waiting, 10)
        return failed.value, transport.closing

    failure, closing = asyncio.run(scenario())
    assert failure.reason == "connection_lost" and closing


def publisher_over(*connections: AmqpConnection, confirm_timeout: float = 10) -> CommandPublisher:
    """A CommandPublisher whose (re)connections are the given fakes, in order; then the broker is unreachable."""
    publisher = CommandPublisher("amqp://guest:guest@broker.example/", "commands", confirm_timeout=confirm_timeout)
    prepared = list(connections)

    async def connect() -> AmqpConnection:
        if not prepared:
            raise OSError("broker.example is unreachable")
        connection = prepared.pop(0)
        connection.on_failed = publisher._on_failed
        return connection

    publisher._connect = connect
    return publisher


def test_the_publisher_never_hands_out_a_failed_connection_and_waits_for_its_replacement():
    async def scenario():
        (first, first_transport), (second, second_transport) = open_connection(), open_connection()
        publisher = publisher_over(first, second)
        await publisher.start()
        receive(first, commands.Channel.Close(404, "NOT_FOUND - no exchange 'commands'", 60, 40))
        sending = asyncio.ensure_future(publisher.publish("opinion.submit", b'{"x": 1}', "m1"))
        async with asyncio.timeout(5):
            while not second_transport.written:  # the reconnection comes after its first back-off
                await asyncio.sleep(0.05)
        receive(second, commands.Basic.Ack(delivery_tag=1))
        await asyncio.wait_for(sending, 5)
        receive(first, commands.Connection.CloseOk())
        await publisher.close()
        return first_transport.frames(), second_transport.frames(), publisher.connection is second

    on_first, on_second, replaced = asyncio.run(scenario())
    assert [value.name for value in on_first] == ["Channel.CloseOk", "Connection.Close"]
    assert [value.name for value in on_second][:3] == ["Basic.Publish", "ContentHeader", "ContentBody"]
    assert replaced


def test_without_a_replacement_the_publisher_refuses_by_the_commands_deadline(monkeypatch):
    monkeypatch.setattr(command_publisher, "RECONNECT_GRACE", 60)  # so only the command's deadline can end the wait

    async def scenario():
        first, first_transport = open_connection()
        publisher = publisher_over(first, confirm_timeout=0.5)
        await publisher.start()
        receive(first, commands.Connection.Close(320, "CONNECTION_FORCED - closed by an operator", 0, 0))
        started = asyncio.get_running_loop().time()
        with pytest.raises(CommandNotStored) as refused:
            await asyncio.wait_for(publisher.publish("opinion.submit", b'{"x": 1}', "m1"), 30)
        waited = asyncio.get_running_loop().time() - started
        await publisher.close()
        return refused.value, waited, first_transport.frames()

    refused, waited, on_first = asyncio.run(scenario())
    assert refused.reason == "not_connected"
    assert waited >= 0.4  # it waited for a replacement rather than using the failed connection
    assert [value.name for value in on_first] == ["Connection.CloseOk"]
