"""The gateway restarted on the same data directory: its records are still there, and ADMIN_API_KEY
decides the bootstrap key at every start (a changed one replaces the old, which then answers 401)."""

import asyncio
import uuid

import httpx
import pytest

from devtools.broker import create_vhost, delete_vhost
from gateway.app import create_app
from infra.settings import Settings
from tests.conftest import BROKER_URI

DIVISION = "330481"


@pytest.fixture
def amqp_uri():
    vhost, uri = create_vhost(BROKER_URI, "test-restart")
    yield uri
    delete_vhost(vhost)


def run_gateway(settings: Settings, *requests: tuple[str, str, str, dict | None]) -> list[int]:
    """Starts the gateway in this process, sends (method, path, key, body) requests, stops it; the statuses."""

    async def session():
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
                return [
                    (await client.request(method, path, headers={"X-API-Key": key}, json=body)).status_code
                    for method, path, key, body in requests
                ]

    return asyncio.run(session())


def test_the_bootstrap_key_follows_admin_api_key_across_restarts(amqp_uri, tmp_path):
    first, second = (f"rdk_test_{uuid.uuid4().hex}" for _ in range(2))

    def settings(admin_key: str) -> Settings:
        return Settings(
            amqp_uri=amqp_uri, mongo_url=None, data_dir=tmp_path, admin_api_key=admin_key, public_rate_limit="0"
        )

    division = ("PUT", f"/v1/admin/divisions/{DIVISION}", first, {"name": "海宁市"})
    assert run_gateway(settings(first), division) == [200]

    # same key again: no clash with the stored one; the division saved before is known
    new_key = {"role": "handler", "scope": DIVISION, "label": "after restart"}
    assert run_gateway(settings(first), ("POST", "/v1/admin/api-keys", first, new_key)) == [201]

    # another key: it replaces the old one, which is now refused
    assert run_gateway(
        settings(second),
        ("PUT", f"/v1/admin/divisions/{DIVISION}", first, {"name": "海宁市"}),
        ("PUT", f"/v1/admin/divisions/{DIVISION}", second, {"name": "海宁市"}),
    ) == [401, 200]
