"""Pure ASGI middleware: correlation id in and out, request counts and latency by route template.

Starlette's BaseHTTPMiddleware costs a task and a stream per request; this does not.
"""

import time
from functools import cache

from prometheus_client import Counter, Histogram
from ulid_transform import ulid_now

from infra.logs import correlation_id

REQUESTS = Counter("http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram("http_request_seconds", "HTTP request latency", ["method", "route"])
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


@cache
def series(method: str, route: str, status: int):
    """The labelled children of one kind of request, looked up once: labels() takes a lock each call.

    Bounded: other methods count as one, routes are templates, statuses are few.
    """
    method = method if method in METHODS else "OTHER"
    return LATENCY.labels(method, route), REQUESTS.labels(method, route, str(status))


class ObserveRequests:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        cid = headers.get(b"x-correlation-id", b"").decode("latin-1")[:128] or ulid_now()
        token = correlation_id.set(cid)
        # kept on the request too: errors handled outside this middleware still find it
        scope.setdefault("state", {})["correlation_id"] = cid
        started = time.perf_counter()
        status = 500

        async def send_with_id(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-correlation-id", cid.encode("latin-1"))]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            latency, requests = series(scope["method"], getattr(scope.get("route"), "path", "unmatched"), status)
            latency.observe(time.perf_counter() - started)
            requests.inc()
            correlation_id.reset(token)
