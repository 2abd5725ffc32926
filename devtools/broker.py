"""Private RabbitMQ virtual hosts, so a test or benchmark run never meets another run's queues."""

import subprocess
import uuid
from urllib.parse import urlsplit, urlunsplit


def rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", *args], check=True, capture_output=True, timeout=60)


def create_vhost(broker_uri: str, label: str) -> tuple[str, str]:
    """Returns (vhost, AMQP URI on it); needs the local `rabbitmqctl` the test command installs."""
    vhost = f"{label}-{uuid.uuid4().hex[:8]}"
    rabbitmqctl("add_vhost", vhost)
    rabbitmqctl("set_permissions", "-p", vhost, urlsplit(broker_uri).username or "guest", ".*", ".*", ".*")
    parts = urlsplit(broker_uri)
    return vhost, urlunsplit((parts.scheme, parts.netloc, "/" + vhost, "", ""))


def delete_vhost(vhost: str) -> None:
    rabbitmqctl("delete_vhost", vhost)
