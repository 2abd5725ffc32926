"""Pure ASGI middleware: correlation id in and out, request counts and latency by route template.

Starlette's BaseHTTPMiddleware costs a task and a stream per request; this does not.
"""

import time

from prometheus_client import Counter, Histogram
from ulid import ULID

from infra.logs import correlation_id

REQUESTS = Counter("http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram("http_request_seconds", "HTTP request latency", ["method", "route"])


class ObserveRequests:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        cid = headers.get(b"x-correlation-id", b"").decode("latin-1")[:128] or str(ULID())
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
            route = getattr(scope.get("route"), "path", "unmatched")
            LATENCY.labels(scope["method"], route).observe(time.perf_counter() - started)
            REQUESTS.labels(scope["method"], route, str(status)).inc()
            correlation_id.reset(token)
