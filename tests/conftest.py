"""Fixtures shared by every tier. Factories take overrides; nothing connects at import time."""

import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from pymongo import MongoClient

from contracts.services import SERVICES
from devtools import demo_data
from devtools.broker import BrokerUnmanageable, create_vhost, delete_vhost
from devtools.broker_node import BrokerNode
from devtools.launcher import PlatformProcesses, free_port
from infra.embedded import EmbeddedClient, EmbeddedDatabase

BROKER_URI = os.environ.get("AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Stops the run at the first test the broker could not be managed for: every later test that
    needs a virtual host would wait out the same timeouts, and the suite would take hours to say
    what one line says now."""
    report = yield
    if call.excinfo is not None and call.excinfo.errisinstance(BrokerUnmanageable):
        item.session.shouldstop = f"RabbitMQ 无法管理，测试中止 / the broker cannot be managed: {call.excinfo.value}"
    return report


@pytest.fixture
def mongo_db(tmp_path):
    """A fresh database: the real MongoDB at MONGO_URL when set, the embedded store in `tmp_path` otherwise."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    url = os.environ.get("MONGO_URL")
    if not url:
        client = EmbeddedClient(tmp_path / "data")
        yield client[name]
        client.close()
        return
    client = MongoClient(url, tz_aware=True)
    yield client[name]
    client.drop_database(name)
    client.close()


@pytest.fixture
def reopen():
    """`reopen(db)` closes an embedded database's client and opens its data directory again, as a
    restart would; the database it returns is the same one, loaded from disk."""
    opened: list[EmbeddedClient] = []

    def again(db: EmbeddedDatabase) -> EmbeddedDatabase:
        db.client.close()
        client = EmbeddedClient(db.client.data_dir)
        opened.append(client)
        return client[db.name]

    yield again
    for client in opened:
        client.close()


def wait_until(probe, timeout: float = 20, interval: float = 0.2):
    """Polls `probe` until it returns something truthy; fails the test with its last value."""
    deadline = time.monotonic() + timeout
    value = None
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s; last value: {value!r}")


@dataclass
class RunningPlatform:
    processes: PlatformProcesses
    admin_key: str
    amqp_uri: str
    log_dir: Path
    vhost: str | None  # None on a private broker node, whose own "/" it uses

    @property
    def base_url(self) -> str:
        return self.processes.base_url

    def client(self, key: str | None = None) -> httpx.Client:
        headers = {"X-API-Key": key} if key else {}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=30)

    def admin(self) -> httpx.Client:
        return self.client(self.admin_key)

    def log_of(self, name: str) -> str:
        return (self.log_dir / f"{name}.log").read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="session")
def platform_factory(tmp_path_factory):
    """Starts whole platforms, each on its own RabbitMQ virtual host and data directory, so none sees
    another's queues or files."""
    running: list[RunningPlatform] = []

    def start(
        label: str, services: list[str] | None = None, broker_uri: str | None = None, **env_overrides: str
    ) -> RunningPlatform:
        """The whole platform with the demo data; or, given `services`, the gateway and those only.

        `broker_uri` puts it on a broker of its own (a private node), instead of a virtual host of
        the shared one."""
        vhost, amqp_uri = (None, broker_uri) if broker_uri else create_vhost(BROKER_URI, f"test-{label}")
        admin_key = "rdk_test_" + uuid.uuid4().hex
        log_dir = tmp_path_factory.mktemp(label)
        # the tests submit from one address far faster than any citizen: no rate limit unless asked
        env = {
            "AMQP_URI": amqp_uri,
            "DATA_DIR": str(log_dir / "data"),
            "ADMIN_API_KEY": admin_key,
            "OUTBOX_SWEEP_SECONDS": "1",
            "PUBLIC_RATE_LIMIT": "0",
            **env_overrides,
        }
        processes = PlatformProcesses(env, free_port(), {name: free_port() for name in SERVICES}, log_dir)
        platform = RunningPlatform(processes, admin_key, env["AMQP_URI"], log_dir, vhost)
        running.append(platform)
        if services is None:
            processes.start()
            processes.wait_ready()
            demo_data.load(processes.base_url, admin_key)
            return platform
        for name in services:
            processes.start_service(name)
        processes.start_gateway()
        processes.wait_ready(services=False)
        return platform

    yield start
    for platform in running:  # every platform's processes first: a failing vhost deletion must not orphan any
        platform.processes.stop()
    for platform in running:
        if platform.vhost:
            delete_vhost(platform.vhost)


@pytest.fixture(scope="session")
def platform(platform_factory) -> RunningPlatform:
    """One platform shared by the tests that do not stop any of its processes."""
    return platform_factory("shared")


@pytest.fixture
def broker_node(request, tmp_path) -> BrokerNode:
    """A private RabbitMQ node, started, that the test may kill and start again; stopped whatever happens."""
    node = BrokerNode(tmp_path / "broker-node", label="test")
    request.addfinalizer(node.stop)
    node.start()
    return node
