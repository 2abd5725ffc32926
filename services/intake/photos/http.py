"""intake's own HTTP entrypoint, for photo bytes only: nameko's `http` that answers a `ServiceError` as
JSON with its code, and takes the gateway's correlation id from `X-Correlation-Id`.

The server listens on `WEB_SERVER_ADDRESS` (config.yml); only the gateway should reach it (in
Kubernetes a NetworkPolicy admits only the gateway's pods to that port).
"""

import json

from nameko.web.handlers import HttpRequestHandler
from nameko.web.server import WebServer
from werkzeug.wrappers import Request, Response

from contracts.errors import ErrorCode, ServiceError

CORRELATION_HEADER = "X-Correlation-Id"
STATUS = {ErrorCode.INVALID: 422, ErrorCode.NOT_FOUND: 404, ErrorCode.CONFLICT: 409, ErrorCode.UNAVAILABLE: 503}


def json_response(body: dict, status: int = 200) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json")


def error_response(error: ServiceError) -> Response:
    body = {"code": error.code.value, "detail": error.detail, "field": error.field}
    return json_response(body, STATUS.get(error.code, 400))


def body_within(request: Request, limit: int) -> bytes | None:
    """The request body, or None as soon as it proves longer than `limit` (never read whole)."""
    if request.content_length is not None and request.content_length > limit:
        return None
    body = bytearray()
    while piece := request.stream.read(min(65536, limit + 1 - len(body))):
        body += piece
        if len(body) > limit:
            return None
    return bytes(body)


class CorrelatedWebServer(WebServer):
    def context_data_from_headers(self, request: Request) -> dict:
        cid = request.headers.get(CORRELATION_HEADER)
        return {"correlation_id": cid[:100]} if cid else {}


class HttpEntrypoint(HttpRequestHandler):
    server = CorrelatedWebServer()

    def __init__(self, method: str, url: str, **kwargs):
        kwargs.setdefault("expected_exceptions", ServiceError)
        super().__init__(method, url, **kwargs)

    def response_from_exception(self, exc: Exception) -> Response:
        if isinstance(exc, ServiceError):
            return error_response(exc)
        return super().response_from_exception(exc)


http = HttpEntrypoint.decorator
