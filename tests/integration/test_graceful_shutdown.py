"""SIGTERM, as Kubernetes sends it before a pod goes, while handlers run: the service finishes what it
has started, the broker takes back what it had only prefetched, and nothing is lost; the next
process handles the rest. The pod's grace period must outlast the slowest handler (the manifests)."""

import signal
import time

from infra import topology
from tests.conftest import wait_until
from tests.integration.broker_kill_service import HANDLING_SECONDS, RecordCommand
from tests.integration.test_consumer_survives_broker_kill import ServiceProcess, ids, publish, wait_for_consumers


def test_sigterm_during_handlers_loses_nothing(broker_node, tmp_path):
    amqp_uri = broker_node.amqp_uri
    queue = topology.command_queue(RecordCommand.TYPE)
    for run in ("first", "second"):
        (tmp_path / run).mkdir()
    first = ServiceProcess("SurvivingService", amqp_uri, tmp_path / "first")
    wait_for_consumers(amqp_uri, first, [queue])
    commands = ids("cmd", 40)
    publish(amqp_uri, commands, [])
    wait_until(lambda: len(first.recorded()) >= 5, timeout=30)  # handlers are running, more are queued

    started = time.monotonic()
    first.process.send_signal(signal.SIGTERM)
    first.process.wait(timeout=30)
    stopping = time.monotonic() - started
    handled_before = {line.split()[1] for line in first.recorded()}
    assert handled_before < set(commands), "the service should have stopped before the end"

    second = ServiceProcess("SurvivingService", amqp_uri, tmp_path / "second")
    wait_until(lambda: set(commands) <= handled_before | {line.split()[1] for line in second.recorded()}, timeout=60)
    second.stop()
    print(f"stopped in {stopping:.1f} s with handlers of {HANDLING_SECONDS} s running")
