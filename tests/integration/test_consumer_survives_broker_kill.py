"""A service on infra.nameko_consumers lives through a SIGKILLed broker node, reconnects by itself
and handles every message at least once; the same service on nameko's own consumers dies of an ack
written on the dead link, as intake did ("[Errno 104] Connection reset by peer").

Each test has a private node (the `broker_node` fixture), never the shared one. The service runs
under `nameko run` with the project's config.yml, in its own process: plain pytest is not
eventlet-patched.
"""

import json
import logging
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from amqp.exceptions import NotFound
from kombu import Connection, Exchange, Queue
from nameko.events import get_event_exchange
from nameko.exceptions import RemoteError
from nameko.messaging import QueueConsumer as StockQueueConsumer
from nameko.standalone.rpc import ClusterRpcProxy

from infra import topology
from infra.nameko_consumers import QueueConsumer
from tests.conftest import wait_until
from tests.integration.broker_kill_service import RecordCommand, RecordedEvent

ROOT = Path(__file__).resolve().parents[2]


class ServiceProcess:
    """`nameko run` of one service of broker_kill_service, its log and the ids its handlers recorded."""

    def __init__(self, service: str, amqp_uri: str, directory: Path):
        self.log_file = directory / f"{service}.log"
        self.record_file = directory / f"{service}.records"
        self.record_file.touch()
        env = {**os.environ, "AMQP_URI": amqp_uri, "RECORD_FILE": str(self.record_file), "NAMEKO_MAX_WORKERS": "10"}
        nameko = str(Path(sys.executable).with_name("nameko"))
        with open(self.log_file, "wb") as log:
            self.process = subprocess.Popen(
                [nameko, "run", "--config", "config.yml", f"tests.integration.broker_kill_service:{service}"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def log(self) -> str:
        return self.log_file.read_text(encoding="utf-8", errors="replace")

    def recorded(self) -> set[str]:
        return set(self.record_file.read_text(encoding="utf-8").splitlines())

    def flag(self, name: str) -> None:
        """Signals the handler that holds the process (broker_kill_service.hold_the_process)."""
        self.record_file.with_suffix(f".{name}").touch()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def start_service(tmp_path):
    started: list[ServiceProcess] = []

    def start(service: str, amqp_uri: str) -> ServiceProcess:
        started.append(ServiceProcess(service, amqp_uri, tmp_path))
        return started[-1]

    yield start
    for service in started:
        service.stop()


def consumer_count(amqp_uri: str, queue: str) -> int:
    with Connection(amqp_uri) as connection:
        try:
            return connection.default_channel.queue_declare(queue, passive=True).consumer_count
        except NotFound:
            return 0


def ready_count(amqp_uri: str, queue: str) -> int:
    with Connection(amqp_uri) as connection:
        return connection.default_channel.queue_declare(queue, passive=True).message_count


def publish(amqp_uri: str, commands: list[str], events: list[str], hold: str | None = None) -> None:
    """Publishes with confirms: once this returns, the broker has each message on disk. `hold` is the
    id of a command published first, whose handler holds the process (see hold_the_process)."""
    command_exchange = Exchange(topology.COMMAND_EXCHANGE, type="direct", durable=True)
    event_exchange = get_event_exchange(RecordedEvent.SOURCE, {})
    messages = [(RecordCommand(message_id=hold, hold=True), command_exchange)] if hold else []
    messages += [(RecordCommand(message_id=message_id), command_exchange) for message_id in commands]
    messages += [(RecordedEvent(message_id=message_id), event_exchange) for message_id in events]
    with Connection(amqp_uri, transport_options={"confirm_publish": True}) as connection:
        producer = connection.Producer(serializer="json")
        for message, exchange in messages:
            wire = message.envelope("330481001", message.message_id).wire()
            producer.publish(wire, exchange=exchange, routing_key=message.TYPE, delivery_mode=2, declare=[exchange])


def ids(prefix: str, count: int) -> list[str]:
    return [f"{prefix}-{n}-{uuid.uuid4().hex[:6]}" for n in range(count)]


def wait_for_consumers(amqp_uri: str, service: ServiceProcess, queues: list[str]) -> None:
    def consuming():
        assert service.process.poll() is None, service.log()
        return all(consumer_count(amqp_uri, queue) for queue in queues)

    wait_until(consuming, timeout=60)


def kill_while_handling(broker_node, service: ServiceProcess, name: str) -> None:
    """Kills the node while commands are being handled, one of them holding the process (its ack
    is written on the dead link before the consumer thread can notice), and one rpc call (2 s
    long) is running (its reply meets the dead link)."""
    wait_until(lambda: len(service.recorded()) >= 3, timeout=30)
    with ClusterRpcProxy({"AMQP_URI": broker_node.amqp_uri}) as proxy:
        getattr(proxy, name).echo.call_async("in flight", seconds=2)
        wait_until(lambda: ready_count(broker_node.amqp_uri, f"rpc-{name}") == 0, timeout=10, interval=0.02)
        service.flag("go")
        wait_until(lambda: any(line.startswith("holding ") for line in service.recorded()), timeout=30)
        broker_node.kill()
        service.flag("killed")


def test_a_service_on_the_project_consumers_outlives_a_broker_crash(broker_node, start_service):
    amqp_uri = broker_node.amqp_uri
    service = start_service("SurvivingService", amqp_uri)
    quorum_queues = [
        topology.command_queue(RecordCommand.TYPE),
        topology.event_queue(RecordedEvent.SOURCE, RecordedEvent.TYPE, "survivor", "on_event"),
    ]
    queues = [*quorum_queues, "rpc-survivor"]
    wait_for_consumers(amqp_uri, service, queues)
    # queues the node declared a moment ago are not yet safe from a crash (see quorum_queues_on_disk)
    wait_until(lambda: broker_node.quorum_queues_on_disk(*quorum_queues, topology.DEAD_LETTER_QUEUE), timeout=30)
    held, before = ids("held", 1)[0], (ids("cmd", 30), ids("evt", 30))
    publish(amqp_uri, *before, hold=held)

    kill_while_handling(broker_node, service, "survivor")
    # neither the held command's ack nor the reply to the call in flight is sent: logged, the container lives on
    logged = ["broker link lost, ack of 'test.record'", "broker link lost, reply to 'survivor.echo'"]
    wait_until(lambda: all(line in service.log() for line in logged), timeout=30)
    assert service.process.poll() is None, service.log()

    broker_node.start()
    wait_for_consumers(amqp_uri, service, queues)
    after = (ids("cmd", 5), ids("evt", 5))
    publish(amqp_uri, *after)

    expected = {f"command {i}" for i in [held, *before[0], *after[0]]} | {f"event {i}" for i in before[1] + after[1]}
    try:
        wait_until(lambda: expected <= service.recorded(), timeout=60)
    except AssertionError:
        raise AssertionError(f"never handled: {sorted(expected - service.recorded())}") from None
    with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=20) as proxy:
        assert proxy.survivor.echo("after the crash") == "after the crash"
        with pytest.raises(RemoteError) as refused:
            proxy.survivor.find("AAAA-BBBB-CCCC")
    assert refused.value.exc_type == "ServiceError"
    assert service.process.poll() is None

    # Observability logs after the reply has left
    wait_until(lambda: "survivor.find refused" in service.log(), timeout=10)
    entries = [json.loads(line) for line in service.log().splitlines() if line.startswith("{")]
    refusals = [e for e in entries if "find" in e["msg"]]
    assert [(e["level"], e["msg"], "exc" in e) for e in refusals] == [
        ("INFO", "survivor.find refused: not_found", False)
    ]
    broken_links = [e for e in entries if e["logger"] == "infra.nameko_consumers"]
    assert broken_links and {(e["level"], "exc" in e) for e in broken_links} == {("WARNING", False)}


def test_the_same_service_on_nameko_stock_consumers_dies_with_the_broker(broker_node, start_service):
    amqp_uri = broker_node.amqp_uri
    service = start_service("StockService", amqp_uri)
    command_queue = topology.command_queue(RecordCommand.TYPE)
    wait_for_consumers(amqp_uri, service, [command_queue, "rpc-stock"])
    publish(amqp_uri, ids("cmd", 30), [], hold=ids("held", 1)[0])

    kill_while_handling(broker_node, service, "stock")
    wait_until(lambda: "killing <ServiceContainer [stock]" in service.log(), timeout=30)
    # the production symptom: the held command's ack
    assert "due to [Errno 104] Connection reset by peer" in service.log()
    # the process does not even exit: killing waits for the consumer thread, which keeps reconnecting
    service.process.kill()


def test_an_ack_or_requeue_on_a_dead_link_is_a_warning_and_the_message_comes_back(broker_node, caplog):
    """The failure behind the dying containers, without the timing: acks written after the node died.
    nameko's consumer raises; this project's logs a warning, and the restarted node has every message."""
    queue = Queue("acks", durable=True, queue_arguments=topology.consumer_queue_arguments())
    delivered = []
    with Connection(broker_node.amqp_uri, transport_options={"confirm_publish": True}) as connection:
        queue(connection.default_channel).declare()
        producer = connection.Producer(serializer="json")
        for n in range(6):
            producer.publish({"n": n}, routing_key=queue.name, delivery_mode=2)
        with connection.Consumer(queue, callbacks=[lambda body, message: delivered.append(message)], accept=["json"]):
            while len(delivered) < 6:
                connection.drain_events(timeout=10)
        wait_until(lambda: broker_node.quorum_queues_on_disk(queue.name), timeout=30)
        broker_node.kill()

        with pytest.raises(OSError):  # the first write may still leave; the next meets the reset link
            for message in delivered[:3]:
                StockQueueConsumer().ack_message(message)

        caplog.set_level(logging.WARNING, logger="infra.nameko_consumers")
        surviving = QueueConsumer()
        surviving.ack_message(delivered[3])
        surviving.requeue_message(delivered[4])
        surviving.ack_message(delivered[5])
    warnings = [(r.levelname, r.args[0], r.exc_info) for r in caplog.records if r.name == "infra.nameko_consumers"]
    assert warnings == [("WARNING", "ack of", None), ("WARNING", "requeue of", None), ("WARNING", "ack of", None)]

    broker_node.start()  # the queue's count is known once its leader is elected again
    wait_until(lambda: ready_count(broker_node.amqp_uri, queue.name) == 6, timeout=30)

    vm_pid = broker_node.vm_pid()
    broker_node.stop()
    assert not Path(f"/proc/{vm_pid}").exists() and not broker_node.answers()
