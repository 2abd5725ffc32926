"""Errors as `application/problem+json` (RFC 9457), naming the field that is wrong.

Service error codes map to HTTP statuses in one table, here.
"""

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from contracts.errors import ErrorCode, ServiceError
from infra.logs import correlation_id

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"

STATUS_OF = {
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.INVALID: 422,
    ErrorCode.CONFLICT: 409,
    ErrorCode.INVALID_TRANSITION: 409,
    ErrorCode.UNAVAILABLE: 503,
}


class Problem(Exception):
    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        field: str | None = None,
        headers: dict[str, str] | None = None,
        **extra,
    ):
        self.status, self.title, self.detail, self.field, self.extra = status, title, detail, field, extra
        self.headers = headers


def problem_response(
    status: int, title: str, detail: str, field: str | None = None, headers: dict[str, str] | None = None, **extra
) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if field:
        body["field"] = field
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _field_path(location: tuple) -> str:
    parts = [str(part) for part in location if part not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


async def on_problem(request: Request, problem: Problem) -> JSONResponse:
    return problem_response(
        problem.status, problem.title, problem.detail, problem.field, problem.headers, **problem.extra
    )


async def on_validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
    errors = error.errors()
    if any(item["type"] == "json_invalid" for item in errors):
        return problem_response(400, "请求体不是合法的 JSON", "Malformed JSON body", "body")
    fields = [{"field": _field_path(item["loc"]), "message": item["msg"]} for item in errors]
    names = ", ".join(item["field"] for item in fields)
    return problem_response(422, "请求参数不合法", f"Invalid fields: {names}", fields[0]["field"], errors=fields)


async def on_service_error(request: Request, error: ServiceError) -> JSONResponse:
    return problem_response(STATUS_OF[error.code], error.code.value, error.detail, error.field)


async def on_http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
    return problem_response(error.status_code, str(error.detail), str(error.detail))


async def on_unexpected_error(request: Request, error: Exception) -> JSONResponse:
    """Logged in full; the caller gets the correlation id to quote, never the internals."""
    cid = getattr(request.state, "correlation_id", "-")
    token = correlation_id.set(cid)
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=error)
    correlation_id.reset(token)
    return problem_response(
        500,
        "服务器内部错误",
        "Internal error; quote the correlation id when reporting it",
        headers={"x-correlation-id": cid},
        correlation_id=cid,
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(ServiceError, on_service_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected_error)
