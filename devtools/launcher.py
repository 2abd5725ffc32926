"""Starts the five services and the gateway as child processes and stops them all cleanly."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SERVICES = {
    "intake": "services.intake.service:IntakeService",
    "routing": "services.routing.service:RoutingService",
    "supervision": "services.supervision.service:SupervisionService",
    "legislation": "services.legislation.service:LegislationService",
    "notify": "services.notify.service:NotifyService",
}


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
    def __init__(
        self, env: dict[str, str], port: int, metrics_ports: dict[str, int] | None = None, log_dir: Path | None = None
    ):
        self.env = {**os.environ, **env}
        self.port = port
        self.metrics_ports = metrics_ports or {}
        self.log_dir = log_dir
        self.children: dict[str, subprocess.Popen] = {}
        self.base_url = f"http://127.0.0.1:{port}"

    def _spawn(self, name: str, command: list[str], extra_env: dict[str, str]) -> None:
        output = open(self.log_dir / f"{name}.log", "ab") if self.log_dir else None
        # a session of its own: Ctrl-C reaches only the launcher, which then stops each child once
        self.children[name] = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**self.env, **extra_env},
            stdout=output,
            stderr=subprocess.STDOUT if output else None,
            start_new_session=True,
        )

    def start_service(self, name: str) -> None:
        extra = {"METRICS_PORT": str(self.metrics_ports[name])} if name in self.metrics_ports else {}
        nameko = str(Path(sys.executable).with_name("nameko"))
        self._spawn(name, [nameko, "run", "--config", "config.yml", SERVICES[name]], extra)

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
            for name, child in self.children.items():
                if child.poll() is not None:
                    raise RuntimeError(f"{name} exited with code {child.returncode}")
            try:
                answer = httpx.get(f"{self.base_url}/readyz", params={"services": services}, timeout=5)
                if answer.status_code == 200:
                    return
                last = answer.text
            except httpx.HTTPError as error:
                last = str(error)
            time.sleep(0.5)
        raise TimeoutError(f"platform not ready after {timeout}s: {last}")

    def stop_children(self, names: list[str], timeout: float = 15) -> None:
        """SIGTERM lets nameko finish its workers and uvicorn its requests; SIGKILL after `timeout`."""
        stopping = [self.children.pop(name) for name in names]
        for child in stopping:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for child in stopping:
            try:
                child.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()

    def stop(self) -> None:
        self.stop_children(list(self.children))
