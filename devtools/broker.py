"""Private RabbitMQ virtual hosts, so a test or benchmark run never meets another run's queues."""

import os
import signal
import subprocess
import uuid
from urllib.parse import urlsplit, urlunsplit


class BrokerUnmanageable(RuntimeError):
    """`rabbitmqctl` failed or did not answer: the broker cannot be managed, so nothing that needs a
    virtual host of its own can run until it is repaired (`scripts/ensure-rabbitmq.sh` does)."""


def rabbitmqctl(*args: str, timeout: float = 60) -> str:
    """Runs the local `rabbitmqctl` and returns what it printed. It is a shell script that starts an
    Erlang VM (through `su` when run by root): on a timeout its whole process group is killed, since
    a VM left behind keeps one of the few ports the next `rabbitmqctl` needs."""
    command = " ".join(("rabbitmqctl", *args))
    try:
        child = subprocess.Popen(
            ["rabbitmqctl", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
        )
    except OSError as missing:
        raise BrokerUnmanageable(f"{command} could not start: {missing}") from missing
    try:
        output, errors = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as hung:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        raise BrokerUnmanageable(f"{command} did not answer within {timeout:g} s") from hung
    if child.returncode != 0:
        raise BrokerUnmanageable(f"{command} failed: {errors.decode(errors='replace')}")
    return output.decode(errors="replace")


def create_vhost(broker_uri: str, label: str) -> tuple[str, str]:
    """Returns (vhost, AMQP URI on it); needs the local `rabbitmqctl` the test command installs."""
    vhost = f"{label}-{uuid.uuid4().hex[:8]}"
    rabbitmqctl("add_vhost", vhost)
    rabbitmqctl("set_permissions", "-p", vhost, urlsplit(broker_uri).username or "guest", ".*", ".*", ".*")
    parts = urlsplit(broker_uri)
    return vhost, urlunsplit((parts.scheme, parts.netloc, "/" + vhost, "", ""))


def delete_vhost(vhost: str) -> None:
    rabbitmqctl("delete_vhost", vhost)
