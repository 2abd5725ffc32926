"""Errors as `application/problem+json` (RFC 9457), naming the field that is wrong.

Service error codes map to HTTP statuses in one table, here.
"""

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from contracts.errors import ErrorCode, ServiceError, field_path
from infra.logs import correlation_id

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"

# a service's error code → (HTTP status, title)
ANSWER_TO = {
    ErrorCode.NOT_FOUND: (404, "未找到"),
    ErrorCode.INVALID: (422, "请求参数不合法"),
    ErrorCode.FORBIDDEN: (403, "无权进行此操作"),
    ErrorCode.CONFLICT: (409, "与当前状态冲突"),
    ErrorCode.INVALID_TRANSITION: (409, "不允许的状态变更"),
    ErrorCode.UNAVAILABLE: (503, "服务暂不可用"),
}

MEANING = {
    400: "请求体不是合法的 JSON / malformed JSON",
    401: "需要有效的 API 密钥 / a valid API key is needed",
    403: "角色或管辖范围不允许 / not allowed for this role or outside the key's scope",
    404: "不存在，或不在管辖范围内 / not found, or not within the key's scope",
    409: "与当前状态冲突（`state` 为当前状态），或同一幂等键的请求仍在处理 / conflicts with the current state "
    "(given in `state`), or a request with this Idempotency-Key is still in progress",
    415: "请求体应为 JSON / the body must be JSON",
    422: "请求参数不合法；`field` 指出哪一项 / invalid input; `field` names it",
    429: "请求过于频繁 / too many requests",
    503: "服务暂不可用 / a service or the broker is unavailable",
}


class ProblemDetails(BaseModel):
    """RFC 9457 problem details, with the field that is wrong and, for a conflict, the current state."""

    type: str = "about:blank"
    title: str = Field(examples=["请求参数不合法"])
    status: int = Field(examples=[422])
    detail: str = Field(examples=["Invalid fields: division"])
    field: str | None = Field(default=None, examples=["division"])
    code: str | None = Field(
        default=None, description="服务的错误代码 / the service's error code", examples=["conflict"]
    )
    errors: list[dict] | None = None
    state: dict | None = None


def problem_responses(*statuses: int) -> dict:
    """OpenAPI entries for the errors a route answers, each as problem+json."""
    schema = {"$ref": "#/components/schemas/ProblemDetails"}
    return {
        status: {"description": MEANING[status], "content": {PROBLEM_JSON: {"schema": schema}}} for status in statuses
    }


def document_problem_details(app: FastAPI) -> None:
    """Adds the ProblemDetails schema that `problem_responses` refers to to the app's OpenAPI."""
    build = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = build()
            schema.setdefault("components", {}).setdefault("schemas", {})["ProblemDetails"] = (
                ProblemDetails.model_json_schema(ref_template="#/components/schemas/{model}")
            )
        return app.openapi_schema

    app.openapi = openapi


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


def error_location(item: dict) -> tuple:
    """Where the caller went wrong: for a tag no member of a tagged union has (an unknown channel),
    the tag's own field rather than the union's."""
    if item["type"] in ("union_tag_invalid", "union_tag_not_found"):
        return (*item["loc"], item["ctx"]["discriminator"].strip("'"))
    return item["loc"]


def _field_path(location: tuple) -> str:
    return field_path(tuple(part for part in location if part not in ("body", "query", "path", "header"))) or "body"


async def on_problem(request: Request, problem: Problem) -> JSONResponse:
    return problem_response(
        problem.status, problem.title, problem.detail, problem.field, problem.headers, **problem.extra
    )


async def on_validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
    errors = error.errors()
    if any(item["type"] == "json_invalid" for item in errors):
        return problem_response(400, "请求体不是合法的 JSON", "Malformed JSON body", "body")
    fields = [{"field": _field_path(error_location(item)), "message": item["msg"]} for item in errors]
    names = ", ".join(item["field"] for item in fields)
    return problem_response(422, "请求参数不合法", f"Invalid fields: {names}", fields[0]["field"], errors=fields)


async def on_service_error(request: Request, error: ServiceError) -> JSONResponse:
    status, title = ANSWER_TO[error.code]
    extra = {"state": error.state} if error.state else {}
    return problem_response(status, title, error.detail, error.field, code=error.code.value, **extra)


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
    document_problem_details(app)
