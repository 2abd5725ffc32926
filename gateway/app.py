"""The FastAPI application: `uvicorn gateway.app:create_app --factory`."""

import time
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from prometheus_client import Counter, Histogram
from ulid import ULID

from gateway import problems
from gateway.broker import ServiceUnavailable
from gateway.platform import Platform
from gateway.routers import admin, health, public, staff
from infra.logs import configure_logging, correlation_id
from infra.settings import Settings, get_settings

REQUESTS = Counter("http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram("http_request_seconds", "HTTP request latency", ["method", "route"])


async def on_service_unavailable(request: Request, error: ServiceUnavailable):
    return problems.problem_response(503, "服务暂不可用", str(error))


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        platform = Platform(settings)
        await platform.start()
        app.state.platform = platform
        yield
        await platform.close()

    app = FastAPI(title="人大民情平台 gateway", version="0.1.0", lifespan=lifespan)
    problems.install(app)
    app.add_exception_handler(ServiceUnavailable, on_service_unavailable)
    for module in (public, admin, staff, health):
        app.include_router(module.router)

    @app.middleware("http")
    async def observe(request: Request, call_next):
        token = correlation_id.set(request.headers.get("x-correlation-id") or str(ULID()))
        started = time.perf_counter()
        try:
            response = await call_next(request)
        finally:
            route = getattr(request.scope.get("route"), "path", "unmatched")
            LATENCY.labels(request.method, route).observe(time.perf_counter() - started)
        REQUESTS.labels(request.method, route, response.status_code).inc()
        response.headers["x-correlation-id"] = correlation_id.get()
        correlation_id.reset(token)
        return response

    return app
