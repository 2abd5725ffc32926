"""A service's probes on its metrics port: alive while its loop runs, ready only while its consumers
are on the broker and its store answers. Checked on a private broker node killed and started again."""

import os
import subprocess
import sys
from pathlib import Path

import httpx

from devtools.launcher import free_port
from infra.topology import DEAD_LETTER_QUEUE
from tests.conftest import wait_until
from tests.integration.test_fault_tolerance import consumer_queues

ROOT = Path(__file__).resolve().parents[2]


def probe(port: int, path: str) -> httpx.Response | None:
    try:
        return httpx.get(f"http://127.0.0.1:{port}{path}", timeout=5)
    except httpx.HTTPError:
        return None


def readiness(port: int, ready: bool):
    answer = probe(port, "/readyz")
    return answer if answer is not None and answer.json()["ready"] is ready else None


def test_readiness_follows_the_broker_and_liveness_stays(broker_node, tmp_path):
    port = free_port()
    env = {**os.environ, "AMQP_URI": broker_node.amqp_uri, "METRICS_PORT": str(port), "DATA_DIR": str(tmp_path)}
    nameko = str(Path(sys.executable).with_name("nameko"))
    with open(tmp_path / "notify.log", "wb") as log:
        service = subprocess.Popen(
            [nameko, "run", "--config", "config.yml", "services.notify.service:NotifyService"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        ready = wait_until(lambda: readiness(port, True), timeout=60)
        assert ready.status_code == 200 and ready.json()["checks"] == {"broker": True, "store": True}
        assert probe(port, "/healthz").json() == {"status": "alive"}
        assert "entrypoint_calls_total" in probe(port, "/metrics").text

        notify_queues = [queue for queue in consumer_queues() if "--notify." in queue or queue == DEAD_LETTER_QUEUE]
        wait_until(lambda: broker_node.quorum_queues_on_disk(*notify_queues), timeout=30)  # a crash test's wait
        broker_node.kill()
        unready = wait_until(lambda: readiness(port, False), timeout=60)
        assert unready.status_code == 503 and unready.json()["checks"] == {"broker": False, "store": True}
        assert probe(port, "/healthz").status_code == 200  # alive: no restart for a broker outage

        broker_node.start()
        assert wait_until(lambda: readiness(port, True), timeout=120).status_code == 200, (
            tmp_path / "notify.log"
        ).read_text()
    finally:
        service.kill()
        service.wait(timeout=30)
