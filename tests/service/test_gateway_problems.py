"""Every error the gateway answers is problem+json, an unexpected one included."""

import asyncio

import httpx
from fastapi import FastAPI

from gateway import problems
from gateway.observe import ObserveRequests


def test_an_unexpected_error_is_a_500_problem_with_the_correlation_id_and_no_internals():
    app = FastAPI()
    problems.install(app)
    app.add_middleware(ObserveRequests)

    @app.get("/boom")
    async def boom():
        raise RuntimeError("secret internal detail")

    async def call():
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
            return await client.get("/boom", headers={"X-Correlation-ID": "corr-500"})

    answer = asyncio.run(call())
    assert answer.status_code == 500
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["correlation_id"] == answer.headers["x-correlation-id"] == "corr-500"
    assert "secret internal detail" not in answer.text
