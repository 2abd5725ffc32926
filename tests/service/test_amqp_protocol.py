"""The command publisher's AMQP session, driven frame by frame through a transport that records writes.

What the real broker rarely does on request (nacks, flow control, a confirm that never comes) is
shown here; tests/integration/test_command_publisher.py shows the rest against RabbitMQ itself.
"""

import asyncio

import pytest
from pamqp import commands, frame, header
from pamqp.body import ContentBody

from gateway.command_publisher import AmqpConnection, BrokerAddress, CommandNotStored

ADDRESS = BrokerAddress.parse("amqp://citizen:s%40fe@broker.example:5673/county%2F330481?heartbeat=30")
PUBLISH = frame.marshal(commands.Basic.Publish(exchange="commands", routing_key="opinion.submit", mandatory=True), 1)


class RecordingTransport(asyncio.Transport):
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
            self.protocol.connection_lost(None)

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


def open_connection(confirm_timeout: float = 10, address: BrokerAddress = ADDRESS) -> tuple:
    connection = AmqpConnection(address, confirm_timeout, "test")
    transport = RecordingTransport(connection)
    connection.connection_made(transport)
    assert transport.frames()[0].name == "ProtocolHeader"
    receive(connection, commands.Connection.Start(mechanisms="AMQPLAIN PLAIN"), byte_by_byte=True)
    receive(connection, commands.Connection.Tune(channel_max=2047, frame_max=4096, heartbeat=60))
    receive(connection, commands.Connection.OpenOk(), commands.Channel.OpenOk(), commands.Confirm.SelectOk())
    transport.frames()
    return connection, transport


def publish(connection: AmqpConnection, message_id: str, body: bytes = b'{"x": 1}') -> asyncio.Future:
    return connection.publish(PUBLISH, "opinion.submit", body, message_id)


def test_the_uri_is_read_as_aio_pika_reads_it():
    assert ADDRESS == BrokerAddress("broker.example", 5673, "citizen", "s@fe", "county/330481", False, 30)
    assert BrokerAddress.parse("amqp://guest:guest@127.0.0.1:5672/").virtual_host == "/"
    tls = BrokerAddress.parse("amqps://rabbit.internal/prod")
    assert (tls.port, tls.tls, tls.virtual_host, tls.heartbeat) == (5671, True, "prod", 60)
    with pytest.raises(ValueError, match="amqp://"):
        BrokerAddress.parse("http://rabbit.internal/")


def test_the_handshake_logs_in_negotiates_and_selects_confirms():
    async def handshake():
        connection = AmqpConnection(ADDRESS, 10, "gateway commands")
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
        connection, _ = open_connection(confirm_timeout=0.5)
        waiting = publish(connection, "m1")
        with pytest.raises(CommandNotStored) as failed:
            await asyncio.wait_for(waiting, 5)
        return failed.value, connection.unconfirmed

    failure, unconfirmed = asyncio.run(scenario())
    assert failure.reason == "timeout" and unconfirmed == {}


def test_a_login_the_broker_refuses_fails_the_handshake_with_its_reason():
    async def scenario():
        connection = AmqpConnection(ADDRESS, 10, "test")
        connection.connection_made(RecordingTransport(connection))
        receive(connection, commands.Connection.Start(mechanisms="PLAIN"))
        refusal = "ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN"
        receive(connection, commands.Connection.Close(403, refusal, class_id=0, method_id=0))
        with pytest.raises(CommandNotStored) as failed:
            await connection.ready
        return failed.value

    assert "403 ACCESS_REFUSED" in str(asyncio.run(scenario()))
