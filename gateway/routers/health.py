"""Liveness, readiness (broker and every service answering a ping) and Prometheus metrics."""

import asyncio

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, Gauge, generate_latest

from contracts.services import SERVICES
from gateway.broker import ServiceUnavailable
from gateway.deps import PlatformDep
from gateway.platform import COMMANDS
from infra import topology

router = APIRouter(tags=["health"])

PING_TIMEOUT = 3.0
DEAD_LETTERS = Gauge("dead_letter_messages", "Messages parked in the dead-letter queue after repeated failures")
COMMAND_BACKLOG = Gauge("command_queue_messages", "Commands accepted but not yet taken by their service", ["command"])


@router.get("/healthz")
async def healthz() -> dict:
    return {"status": "ok"}


async def _ping(platform, service: str) -> bool:
    try:
        return await asyncio.wait_for(platform.broker.call(service, "ping"), PING_TIMEOUT) == service
    except (ServiceUnavailable, TimeoutError, RuntimeError):
        return False


@router.get("/readyz")
async def readyz(platform: PlatformDep, services: bool = True) -> JSONResponse:
    """Broker reachable and every service answering a ping.

    `?services=false` checks the broker only: Kubernetes uses it, so a service being down does
    not take the gateway out of rotation while it can still accept durable submissions.
    """
    broker_ok = platform.broker.connection is not None and not platform.broker.connection.is_closed
    names = SERVICES if services and broker_ok else ()
    answers = await asyncio.gather(*(_ping(platform, name) for name in names))
    pinged = dict(zip(names, answers, strict=True))
    ready = broker_ok and all(answers)
    return JSONResponse(
        {"status": "ready" if ready else "not ready", "broker": broker_ok, "services": pinged},
        status_code=200 if ready else 503,
    )


@router.get("/metrics")
async def metrics(platform: PlatformDep) -> Response:
    """Gateway metrics, plus the broker's backlog and dead letters read at scrape time."""
    DEAD_LETTERS.set(await platform.broker.queue_depth(topology.DEAD_LETTER_QUEUE))
    for command in COMMANDS:
        COMMAND_BACKLOG.labels(command).set(await platform.broker.queue_depth(topology.command_queue(command)))
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
