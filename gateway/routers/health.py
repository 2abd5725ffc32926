"""Liveness, readiness (broker and every service answering a ping) and Prometheus metrics."""

import asyncio

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from gateway.broker import ServiceUnavailable
from gateway.platform import PlatformDep

router = APIRouter(tags=["health"])

SERVICES = ("intake", "routing", "supervision", "legislation", "notify")
PING_TIMEOUT = 3.0


@router.get("/healthz")
async def healthz() -> dict:
    return {"status": "ok"}


async def _ping(platform, service: str) -> bool:
    try:
        return await asyncio.wait_for(platform.broker.call(service, "ping"), PING_TIMEOUT) == service
    except (ServiceUnavailable, TimeoutError, RuntimeError):
        return False


@router.get("/readyz")
async def readyz(platform: PlatformDep) -> JSONResponse:
    broker_ok = platform.broker.connection is not None and not platform.broker.connection.is_closed
    answers = (
        await asyncio.gather(*(_ping(platform, name) for name in SERVICES)) if broker_ok else [False] * len(SERVICES)
    )
    services = dict(zip(SERVICES, answers, strict=True))
    ready = broker_ok and all(answers)
    return JSONResponse(
        {"status": "ready" if ready else "not ready", "broker": broker_ok, "services": services},
        status_code=200 if ready else 503,
    )


@router.get("/metrics")
async def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
