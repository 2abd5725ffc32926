"""Starts the five services and the gateway as child processes and stops them all cleanly."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from contracts.services import SERVICES, service_class_path
from devtools.supervisor import ChildSpec, Supervisor

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def free_port_run(count: int) -> int:
    """The first of `count` consecutive ports that are free now."""
    while True:
        base = free_port()
        try:
            for port in range(base + 1, base + count):
                with socket.socket() as sock:
                    sock.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base


class PlatformProcesses:
    """The platform's children. `supervised` (make run): `wait_ready` and `supervise` restart a child
    that exited; otherwise (the tests) a child that exits stays down and `wait_ready` says so."""

    def __init__(
        self,
        env: dict[str, str],
        port: int,
        metrics_ports: dict[str, int] | None = None,
        log_dir: Path | None = None,
        supervised: bool = False,
    ):
        self.env = {**os.environ, **env}
        # intake's HTTP entrypoint for photo bytes, on a port of its own for each platform; the
        # gateway is told where (every child gets both; only intake has an HTTP entrypoint)
        self.env.setdefault("WEB_SERVER_ADDRESS", f"127.0.0.1:{free_port()}")
        self.env.setdefault("INTAKE_HTTP_URL", f"http://{self.env['WEB_SERVER_ADDRESS']}")
        self.port = port
        self.metrics_ports = metrics_ports or {}
        self.log_dir = log_dir
        self.supervised = supervised
        self.supervisor = Supervisor(ROOT)
        self.base_url = f"http://127.0.0.1:{port}"

    @property
    def children(self) -> dict[str, subprocess.Popen]:
        return self.supervisor.children

    def _spawn(self, name: str, command: list[str], extra_env: dict[str, str]) -> None:
        log = self.log_dir / f"{name}.log" if self.log_dir else None
        self.supervisor.start(name, ChildSpec(command, {**self.env, **extra_env}, log))

    def start_service(self, name: str) -> None:
        extra = {"METRICS_PORT": str(self.metrics_ports[name])} if name in self.metrics_ports else {}
        command = [sys.executable, "-m", "devtools.nameko_run", "--config", "config.yml", service_class_path(name)]
        self._spawn(name, command, extra)

    def start_gateway(self) -> None:
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "gateway.app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--no-access-log",
        ]
        self._spawn("gateway", command, {})

    def start(self) -> None:
        for name in SERVICES:
            self.start_service(name)
        self.start_gateway()

    def wait_ready(self, timeout: float = 90, services: bool = True) -> None:
        """Polls /readyz until the broker and (unless `services` is false) every service answer."""
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            self.supervise()
            try:
                answer = httpx.get(f"{self.base_url}/readyz", params={"services": services}, timeout=5)
                if answer.status_code == 200:
                    return
                last = answer.text
            except httpx.HTTPError as error:
                last = str(error)
            time.sleep(0.5)
        raise TimeoutError(f"platform not ready after {timeout}s: {last}")

    def supervise(self) -> None:
        """Supervised: restarts children that exited (`CrashLoop` when one keeps exiting); else fails."""
        if self.supervised:
            self.supervisor.poll()
            return
        for name, child in self.children.items():
            if child.poll() is not None:
                raise RuntimeError(f"{name} exited with code {child.returncode}")

    def stop_children(self, names: list[str], timeout: float = 15) -> None:
        """SIGTERM lets nameko finish its workers and uvicorn its requests; SIGKILL after `timeout`."""
        self.supervisor.stop(names, timeout)

    def stop(self) -> None:
        self.stop_children(self.supervisor.names())
