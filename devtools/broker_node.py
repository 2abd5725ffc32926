"""A private RabbitMQ node that a test starts, SIGKILLs and starts again: never the shared node on 5672.

A crash test needs a broker it may kill; the shared node serves everyone else's tests. Each
`BrokerNode` is a separate RabbitMQ 3.10 from the Debian package with its own node name, AMQP and
distribution ports, and its own database, logs, pid file and (empty) plugin list under the
directory the caller gives, so a start on the same directory finds its quorum queues and their
persistent messages again.

A start costs a few seconds, most of it the Erlang VM loading code. It is kept short by giving the
node no config file (the listener comes from RABBITMQ_NODE_IP_ADDRESS/RABBITMQ_NODE_PORT, so the
config schema is never parsed), no plugins, and a plugins directory holding only `rabbit` and the
applications it depends on: the package's holds 71, which plugin discovery reads and every module
load searches (about one second less per start here).
"""

import os
import re
import secrets
import signal
import subprocess
import time
from pathlib import Path
from urllib.parse import quote

import amqp
from amqp.exceptions import AMQPError

from devtools.launcher import free_port

RABBITMQ_HOME = Path("/usr/lib/rabbitmq")
RABBITMQ_SERVER = RABBITMQ_HOME / "bin" / "rabbitmq-server"


def rabbit_applications(plugins_dir: Path) -> dict[str, Path]:
    """The applications `rabbit` needs to boot, found through the `applications` lists of their .app files."""
    available = {}
    for app_dir in plugins_dir.iterdir():
        name = app_dir.name.rsplit("-", 1)[0]
        if (app_dir / "ebin" / f"{name}.app").is_file():
            available[name] = app_dir
    needed: dict[str, Path] = {}
    pending = ["rabbit"]
    while pending:
        name = pending.pop()
        if name in needed or name not in available:
            continue  # OTP's own applications live in the Erlang root, not among the plugins
        needed[name] = available[name]
        spec = (available[name] / "ebin" / f"{name}.app").read_text(encoding="utf-8")
        for key in ("applications", "included_applications"):
            listed = re.search(r"\{" + key + r",\s*\[([^\]]*)\]", spec)
            if listed:
                pending += [dep.strip() for dep in listed.group(1).split(",") if dep.strip()]
    return needed


class BrokerNode:
    """One private node. `start()`, `kill()` (a crash) and `start()` again keep the same name, ports and data."""

    def __init__(self, directory: Path, label: str = "test"):
        self.directory = Path(directory)
        self.name = f"rabbit-{label}-{secrets.token_hex(4)}@localhost"
        self.port = free_port()
        self.dist_port = free_port()
        while self.dist_port == self.port:
            self.dist_port = free_port()
        self._server: subprocess.Popen | None = None

    @property
    def amqp_uri(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}/"

    @property
    def log_file(self) -> Path:
        return self.directory / "log" / f"{self.name}.log"

    def _prepare(self) -> dict[str, str]:
        """Writes the node's files (once) and returns the environment of `rabbitmq-server`."""
        plugins = self.directory / "plugins"
        if not plugins.exists():
            plugins.mkdir(parents=True)
            package_plugins = next((RABBITMQ_HOME / "lib").glob("rabbitmq_server-*/plugins"))
            for app_dir in rabbit_applications(package_plugins).values():
                (plugins / app_dir.name).symlink_to(app_dir)
            (self.directory / "enabled_plugins").write_text("[].\n", encoding="utf-8")
            (self.directory / "rabbitmq-env.conf").write_text("", encoding="utf-8")
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "HOME": str(self.directory),  # the Erlang cookie goes here
            "RABBITMQ_NODENAME": self.name,
            "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": "-kernel inet_dist_use_interface {127,0,0,1}",
            "ERL_EPMD_ADDRESS": "127.0.0.1",
            # none of /etc/rabbitmq: it configures the shared node's listener on 5672
            "RABBITMQ_CONF_ENV_FILE": str(self.directory / "rabbitmq-env.conf"),
            "RABBITMQ_CONFIG_FILE": str(self.directory / "rabbitmq"),
            "RABBITMQ_CONFIG_FILES": str(self.directory / "conf.d"),
            "RABBITMQ_ADVANCED_CONFIG_FILE": str(self.directory / "advanced.config"),
            "RABBITMQ_MNESIA_BASE": str(self.directory / "mnesia"),
            "RABBITMQ_LOG_BASE": str(self.directory / "log"),
            "RABBITMQ_PID_FILE": str(self.directory / "rabbit.pid"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.directory / "enabled_plugins"),
            "RABBITMQ_PLUGINS_DIR": str(plugins),
        }

    def answers(self) -> bool:
        """True when the node completes an AMQP handshake and lets guest in."""
        try:
            with amqp.Connection(f"127.0.0.1:{self.port}", connect_timeout=1):
                return True
        except (OSError, AMQPError):
            return False

    def start(self, timeout: float = 90) -> float:
        """Starts the node and waits until it answers AMQP; returns the seconds that took."""
        if self._server is not None and self._server.poll() is None:
            raise RuntimeError(f"{self.name} is already running")
        env = self._prepare()
        (self.directory / "log").mkdir(exist_ok=True)
        started = time.monotonic()
        with open(self.directory / "log" / "server-output.log", "ab") as output:
            self._server = subprocess.Popen([str(RABBITMQ_SERVER)], env=env, stdout=output, stderr=subprocess.STDOUT)
        while not self.answers():
            if self._server.poll() is not None:
                raise RuntimeError(f"{self.name} exited while starting; see {self.directory / 'log'}")
            if time.monotonic() - started > timeout:
                self.stop()
                raise TimeoutError(f"{self.name} did not answer AMQP within {timeout}s; see {self.directory / 'log'}")
            time.sleep(0.05)
        return time.monotonic() - started

    def vm_pid(self) -> int | None:
        """The OS pid of the node's Erlang VM (beam.smp) while it runs: the child of `rabbitmq-server`,
        which execs `erl`, which execs the VM."""
        if self._server is None or self._server.poll() is not None:
            return None
        pid = self._server.pid
        for child in Path(f"/proc/{pid}/task/{pid}/children").read_text(encoding="utf-8").split():
            try:
                if Path(f"/proc/{child}/comm").read_text(encoding="utf-8").strip() == "beam.smp":
                    return int(child)
            except FileNotFoundError:
                continue
        return None

    def quorum_queues_on_disk(self, *queues: str, vhost: str = "/") -> bool:
        """Whether the node's Ra has written these quorum queues into its directory file.

        RabbitMQ 3.10 (Ra 2.2) registers a new quorum queue in `names.dets`, which dets saves
        500 ms after its last change; a crash before that loses the queue for good (its server is
        not restarted with the node). A crash test waits for this before it kills the node.
        """
        directory = next((self.directory / "mnesia").glob(f"{self.name}/quorum/*/names.dets"), None)
        if directory is None:
            return False
        registered = directory.read_bytes()
        return all(f"{quote(vhost, safe='')}_{queue}".encode() in registered for queue in queues)

    def kill(self) -> None:
        """SIGKILL to the Erlang VM: a crash, the node writes nothing more and closes no connection itself."""
        pid = self.vm_pid()
        if pid is None:
            raise RuntimeError(f"{self.name} is not running")
        os.kill(pid, signal.SIGKILL)
        self._server.wait(timeout=30)

    def stop(self, timeout: float = 30) -> None:
        """Stops the node if it runs: SIGTERM (RabbitMQ's clean shutdown), SIGKILL after `timeout`."""
        if self._server is None or self._server.poll() is not None:
            return
        pid = self.vm_pid()
        self._server.send_signal(signal.SIGTERM)  # the script passes it to the VM and waits for it
        try:
            self._server.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            if pid is not None:
                os.kill(pid, signal.SIGKILL)
            self._server.kill()
            self._server.wait()
