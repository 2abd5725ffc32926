"""`make run`'s program: starts everything, loads the demo set, prints the admin key, and stops
every child on Ctrl-C."""

import os
import signal
import subprocess
import sys

import httpx
import psutil
import pytest

from devtools.broker import create_vhost, delete_vhost
from devtools.launcher import ROOT, SERVICES, free_port, free_port_run
from tests.conftest import BROKER_URI, wait_until


@pytest.fixture
def vhost_uri():
    vhost, uri = create_vhost(BROKER_URI, "test-run")
    yield uri
    delete_vhost(vhost)


def test_run_loads_demo_data_prints_the_key_and_stops_all_children_on_ctrl_c(vhost_uri, tmp_path):
    port = free_port()
    output = tmp_path / "run.log"
    env = {
        **os.environ,
        "AMQP_URI": vhost_uri,
        "PORT": str(port),
        "METRICS_BASE_PORT": str(free_port_run(len(SERVICES))),
    }
    env.pop("ADMIN_API_KEY", None)
    with open(output, "wb") as log:
        # its own process group, like a terminal's foreground job, so Ctrl-C can be sent to the group
        run = subprocess.Popen(
            [sys.executable, "-m", "devtools.run"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until(lambda: "rdk_" in output.read_text(errors="replace"), timeout=120, interval=0.5)
        key = next(word for word in output.read_text(errors="replace").split() if word.startswith("rdk_"))
        children = psutil.Process(run.pid).children(recursive=True)
        assert len(children) >= 6

        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"X-API-Key": key}) as admin:
            assert (
                admin.post(
                    "/v1/admin/api-keys", json={"role": "supervisor", "scope": "330481", "label": "t"}
                ).status_code
                == 201
            )
            stations = admin.get("/v1/public/stations?division=330481").json()
        assert {station["id"] for station in stations} == {"xiashi-station", "changan-station"}
    finally:
        os.killpg(run.pid, signal.SIGINT)  # what Ctrl-C does to the foreground job
        assert run.wait(60) == 0
    assert not [child for child in children if child.is_running() and child.status() != psutil.STATUS_ZOMBIE]
    printed = output.read_text(errors="replace")
    assert "Traceback" not in printed and "platform stopped" in printed
    assert printed.count("stopping services") == 5  # each service stopped once, gracefully
