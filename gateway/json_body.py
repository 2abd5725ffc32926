"""Endpoints that read their JSON body themselves: on the busiest route FastAPI's generic body
handling (decode to Python objects, then validate) costs more than validating the raw bytes with
pydantic-core. Errors come out exactly as FastAPI's would, and OpenAPI still shows the body.
"""

import re
from typing import TypeVar

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

from gateway.problems import Problem

Model = TypeVar("Model", bound=BaseModel)

JSON_MEDIA_TYPE = re.compile(r"^application/([\w.-]+\+)?json\s*(;|$)", re.IGNORECASE)


async def read_json(request: Request, model: type[Model]) -> Model:
    """The body validated as `model`: 415 for a body that says it is not JSON, 400/422 as usual."""
    content_type = request.headers.get("content-type")
    if content_type is not None and not JSON_MEDIA_TYPE.match(content_type):
        raise Problem(415, "请求体应为 JSON", f"Send the body as application/json, not {content_type}", "Content-Type")
    try:
        return model.model_validate_json(await request.body())
    except ValidationError as error:
        raise RequestValidationError(error.errors(include_url=False, include_context=False)) from None


def openapi_request_body(model: type[BaseModel]) -> dict:
    """`openapi_extra` describing `model` as the JSON body, nested models written out in place."""
    schema = model.model_json_schema()
    definitions = schema.pop("$defs", {})

    def inline(node):
        if isinstance(node, dict):
            if "$ref" in node:
                return inline(definitions[node["$ref"].rsplit("/", 1)[-1]])
            return {key: inline(value) for key, value in node.items()}
        if isinstance(node, list):
            return [inline(item) for item in node]
        return node

    return {"requestBody": {"required": True, "content": {"application/json": {"schema": inline(schema)}}}}
