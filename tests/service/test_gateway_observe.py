"""The request middleware: correlation ids in and out, and bounded request metrics."""

import asyncio

import httpx
from fastapi import FastAPI
from prometheus_client import REGISTRY

from gateway.observe import ObserveRequests


def app() -> FastAPI:
    application = FastAPI()

    @application.api_route("/items/{item_id}", methods=["GET", "PURGE"])
    async def item(item_id: str):
        return {"id": item_id}

    application.add_middleware(ObserveRequests)
    return application


def request(method: str, path: str, headers: dict | None = None) -> httpx.Response:
    async def call():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app()), base_url="http://gateway") as client:
            return await client.request(method, path, headers=headers)

    return asyncio.run(call())


def count(method: str, route: str, status: str) -> float:
    labels = {"method": method, "route": route, "status": status}
    return REGISTRY.get_sample_value("http_requests_total", labels) or 0.0


def test_requests_are_counted_by_route_template_and_status():
    before = count("GET", "/items/{item_id}", "200")
    request("GET", "/items/a")
    request("GET", "/items/b")
    assert count("GET", "/items/{item_id}", "200") == before + 2


def test_a_non_standard_method_is_counted_as_other_so_clients_cannot_mint_series():
    before = count("OTHER", "/items/{item_id}", "200")
    assert request("PURGE", "/items/a").status_code == 200
    assert count("OTHER", "/items/{item_id}", "200") == before + 1
    assert count("PURGE", "/items/{item_id}", "200") == 0


def test_the_correlation_id_is_echoed_or_minted_as_a_ulid():
    assert request("GET", "/items/a", {"X-Correlation-ID": "abc-123"}).headers["x-correlation-id"] == "abc-123"
    minted = request("GET", "/items/a").headers["x-correlation-id"]
    assert len(minted) == 26 and set(minted) <= set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
