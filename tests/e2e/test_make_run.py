"""`make run`'s program: starts everything, loads the demo set, writes the ready file, restarts a
part that dies, keeps its admin key across runs, and stops every child once on Ctrl-C."""

import os
import signal
import socket
import stat
import subprocess
import sys
from pathlib import Path

import httpx
import psutil
import pytest

from contracts.services import SERVICES
from devtools.broker import create_vhost, delete_vhost
from devtools.launcher import ROOT, free_port, free_port_run
from tests.conftest import BROKER_URI, wait_until


@pytest.fixture
def run_env(tmp_path):
    """Its own virtual host, ports, DATA_DIR and ready file: nothing shared with a developer's run."""
    vhost, uri = create_vhost(BROKER_URI, "test-run")
    env = {
        **os.environ,
        "AMQP_URI": uri,
        "PORT": str(free_port()),
        "METRICS_BASE_PORT": str(free_port_run(len(SERVICES))),
        "DATA_DIR": str(tmp_path / "data"),
        "READY_FILE": str(tmp_path / "run" / "ready"),
    }
    for inherited in ("ADMIN_API_KEY", "DEMO_DATA", "MONGO_URL"):
        env.pop(inherited, None)
    yield env
    delete_vhost(vhost)


class MakeRun:
    """The program in a process group of its own, like a terminal's foreground job."""

    def __init__(self, env: dict[str, str], output: Path):
        self.env = env
        self.output = output
        with open(output, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "devtools.run"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.ready_file = Path(env["READY_FILE"])
        self.base_url = f"http://127.0.0.1:{env['PORT']}"

    def printed(self) -> str:
        return self.output.read_text(errors="replace")

    def wait_ready_file(self) -> dict[str, str]:
        def ready():
            assert self.process.poll() is None, self.printed()
            return self.ready_file.is_file() and dict(
                line.split("=", 1) for line in self.ready_file.read_text().split()
            )

        return wait_until(ready, timeout=120, interval=0.5)

    def admin_key(self) -> str:
        return next(word for word in self.printed().split() if word.startswith("rdk_"))

    def child(self, service_class: str) -> psutil.Process:
        return next(p for p in psutil.Process(self.process.pid).children() if service_class in " ".join(p.cmdline()))

    def ctrl_c(self) -> int:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)  # what Ctrl-C does to the foreground job
        return self.process.wait(60)


def submit_and_wait_assigned(base_url: str, content: str) -> dict:
    with httpx.Client(base_url=base_url, timeout=30) as citizen:
        accepted = citizen.post(
            "/v1/public/opinions", json={"division": "330481001", "channel": "web", "content": content}
        )
        assert accepted.status_code == 202, accepted.text
        code = accepted.json()["tracking_code"]
        return wait_until(
            lambda: (
                (answer := citizen.get(f"/v1/public/opinions/{code}")).status_code == 200
                and answer.json()["status"] == "assigned"
                and answer.json()
            ),
            timeout=60,
        )


def raw_tracebacks(printed: str) -> list[str]:
    """Tracebacks printed as such (a crash); the services' JSON log lines carry theirs escaped."""
    return [line for line in printed.splitlines() if line.startswith("Traceback")]


def still_running(processes: list[psutil.Process]) -> list[psutil.Process]:
    return [p for p in processes if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


def test_run_writes_the_ready_file_once_the_demo_data_is_in_and_stops_all_children_on_ctrl_c(run_env, tmp_path):
    run = MakeRun(run_env, tmp_path / "run.log")
    try:
        ready = run.wait_ready_file()
        assert ready == {"url": run.base_url, "pid": str(run.process.pid)}
        # no waiting beyond the ready file: the demo divisions and routing rules are there
        view = submit_and_wait_assigned(ready["url"], "学校门口早高峰太堵")
        assert view["lead_unit"]["id"] == "hn-education"

        key = run.admin_key()
        stored = Path(run_env["DATA_DIR"]) / "admin-api-key"
        assert stored.read_text().strip() == key and stat.S_IMODE(stored.stat().st_mode) == 0o600
        with httpx.Client(base_url=ready["url"], headers={"X-API-Key": key}) as admin:
            created = admin.post("/v1/admin/api-keys", json={"role": "supervisor", "scope": "330481", "label": "t"})
            assert created.status_code == 201
            stations = admin.get("/v1/public/stations?division=330481").json()
        assert {station["id"] for station in stations} == {"xiashi-station", "changan-station"}
        children = psutil.Process(run.process.pid).children(recursive=True)
        assert len(children) >= 6
    finally:
        os.killpg(run.process.pid, signal.SIGINT)
        wait_until(lambda: "stopping services" in run.printed(), timeout=30)
        assert run.ctrl_c() == 0  # an impatient second Ctrl-C while stopping changes nothing
    assert not still_running(children)
    assert not run.ready_file.exists()
    printed = run.printed()
    assert not raw_tracebacks(printed) and "platform stopped" in printed
    assert f"ready: wrote {run.ready_file}" in printed and f"data is kept in {run_env['DATA_DIR']}" in printed
    assert printed.count("stopping services") == 5  # each service stopped once, gracefully
    assert "Eventlet is deprecated" not in printed and "EventletDeprecationWarning" not in printed


def test_a_killed_part_is_restarted_and_the_platform_answers_again(run_env, tmp_path):
    run = MakeRun(run_env, tmp_path / "run.log")
    try:
        ready = run.wait_ready_file()
        intake = run.child("IntakeService")
        intake.kill()

        wait_until(lambda: "intake restarted" in run.printed(), timeout=30)
        assert "intake exited unexpectedly (killed by SIGKILL); restarting it in 1 s" in run.printed()
        assert run.child("IntakeService").pid != intake.pid
        view = submit_and_wait_assigned(ready["url"], "小区路灯坏了好几天")
        assert view["lead_unit"]["id"] == "hn-housing"
    finally:
        assert run.ctrl_c() == 0
    printed = run.printed()
    assert printed.count("stopping services") == 5  # the restarted intake too, and only once
    assert printed.count("exited unexpectedly") == 1 and not raw_tracebacks(printed)


def test_a_second_run_keeps_keys_submissions_and_cases_and_does_not_load_the_demo_data_twice(run_env, tmp_path):
    first = MakeRun(run_env, tmp_path / "first.log")
    try:
        first.wait_ready_file()
        code = submit_and_wait_assigned(first.base_url, "河道漂浮垃圾多")["tracking_code"]
        with httpx.Client(base_url=first.base_url, headers={"X-API-Key": first.admin_key()}) as admin:
            supervisor = admin.post(
                "/v1/admin/api-keys", json={"role": "supervisor", "scope": "330481", "label": "督查室"}
            ).json()
    finally:
        assert first.ctrl_c() == 0

    second = MakeRun(run_env, tmp_path / "second.log")
    try:
        ready = second.wait_ready_file()
        assert second.admin_key() == first.admin_key()
        with httpx.Client(base_url=ready["url"], headers={"X-API-Key": second.admin_key()}) as admin:
            created = admin.post("/v1/admin/api-keys", json={"role": "supervisor", "scope": "330481", "label": "t"})
            assert created.status_code == 201
            stations = admin.get("/v1/public/stations?division=330481").json()
            kept = admin.get(f"/v1/public/opinions/{code}")
        with httpx.Client(base_url=ready["url"], headers={"X-API-Key": supervisor["key"]}) as kept_key:
            cases = kept_key.get("/v1/cases?division=330481&limit=500")
        assert kept.status_code == 200 and kept.json()["status"] == "assigned"
        assert cases.status_code == 200 and [c["case_id"] for c in cases.json()].count(code) == 1
        assert {station["id"] for station in stations} == {"xiashi-station", "changan-station"}
        assert submit_and_wait_assigned(ready["url"], "公交站台顶棚坏了")["lead_unit"]["id"] == "hn-transport"
    finally:
        assert second.ctrl_c() == 0
    printed = second.printed()
    assert f"keeping the data of an earlier run in {run_env['DATA_DIR']}" in printed and "make reset-data" in printed
    # kept by the store, so not loaded again (its routing rules would be doubled)
    assert "demo data kept from an earlier run" in printed and "demo data loaded" not in printed
    assert not raw_tracebacks(printed)


def test_a_part_that_keeps_crashing_stops_the_platform_with_exit_code_1(run_env, tmp_path):
    notify_metrics_port = int(run_env["METRICS_BASE_PORT"]) + list(SERVICES).index("notify")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", notify_metrics_port))  # notify cannot serve its metrics: it exits at start
        taken.listen()
        run = MakeRun(run_env, tmp_path / "run.log")
        try:
            wait_until(lambda: "notify exited unexpectedly" in run.printed(), timeout=60)
            children = psutil.Process(run.process.pid).children()
            assert run.process.wait(120) == 1
        finally:
            run.ctrl_c()
    printed = run.printed()
    assert "notify exited 5 times within 60 s; stopping the platform" in printed
    assert "notify 在 60 秒内意外退出 5 次，平台停止" in printed and "platform stopped" in printed
    assert not still_running(children) and not run.ready_file.exists()
