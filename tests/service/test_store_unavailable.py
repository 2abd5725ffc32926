"""A store write the disk refuses answers 503 problem+json: from a service over RPC, and from the
gateway's own store."""

import asyncio

import httpx
import pytest
from fastapi import FastAPI
from nameko.exceptions import serialize
from nameko.testing.services import worker_factory

from contracts.errors import ErrorCode, StoreUnavailable
from gateway import problems
from gateway.broker import rpc_result
from gateway.db import GatewayDatabase
from gateway.idempotency import IdempotencyStore
from infra.embedded import EmbeddedClient
from services.intake.service import IntakeService
from services.intake.store import IntakeStore
from tests.factories import Publications

STATION = {"id": "xt-01", "name": "许村镇代表联络站", "division": "330481101"}


def refuse_writes(database) -> None:
    """SQLite now refuses every write to the file, as after a read-only remount."""
    database.file.connection.execute("PRAGMA query_only = ON")


def answer(app: FastAPI, path: str) -> httpx.Response:
    async def call():
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
            return await client.post(path)

    return asyncio.run(call())


@pytest.fixture
def intake(tmp_path):
    client = EmbeddedClient(tmp_path)
    store = IntakeStore(client["intake"], Publications())
    store.ensure_indexes()
    refuse_writes(client["intake"])
    yield worker_factory(IntakeService, store=store)
    client.close()


def test_a_service_whose_store_is_full_answers_503_through_the_gateway(intake):
    with pytest.raises(StoreUnavailable) as raised:
        intake.register_station(STATION)
    reply = {"result": None, "error": serialize(raised.value)}  # what nameko sends back to the caller
    app = FastAPI()
    problems.install(app)

    @app.post("/v1/admin/stations")
    async def register():
        return rpc_result("intake", "register_station", reply)

    response = answer(app, "/v1/admin/stations")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == ErrorCode.UNAVAILABLE.value and response.json()["title"] == "服务暂不可用"
    assert "readonly database" in response.json()["detail"]


def test_the_gateways_own_full_store_answers_503(tmp_path):
    db = GatewayDatabase(None, tmp_path)
    records = IdempotencyStore(db.collection("idempotency"))
    asyncio.run(records.ensure_indexes())
    refuse_writes(db._db)
    app = FastAPI()
    problems.install(app)

    @app.post("/claim")
    async def claim():
        return await records.claim("s:k", "fingerprint")

    response = answer(app, "/claim")
    assert response.status_code == 503 and response.json()["code"] == "unavailable"
    assert response.headers["content-type"] == "application/problem+json"
    asyncio.run(db.close())
