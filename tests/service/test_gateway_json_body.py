"""An endpoint that reads its own JSON body answers errors as FastAPI would and keeps its OpenAPI body."""

import asyncio
import json
import re

import httpx
from fastapi import FastAPI, Request

from gateway import problems
from gateway.app import create_app
from gateway.json_body import openapi_request_body, read_json
from gateway.schemas import OpinionIn
from infra.settings import Settings

GOOD = {"division": "330481001", "channel": "web", "content": "路灯坏了"}


def encoded(body: dict) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode()


def call(body: bytes, content_type: str | None = "application/json") -> tuple[httpx.Response, list]:
    received = []
    app = FastAPI()
    problems.install(app)

    @app.post("/opinions", openapi_extra=openapi_request_body(OpinionIn))
    async def submit(request: Request):
        received.append(await read_json(request, OpinionIn))
        return {"ok": True}

    async def post():
        headers = {"content-type": content_type} if content_type else {}
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway") as client:
            return await client.post("/opinions", content=body, headers=headers)

    return asyncio.run(post()), received


def test_a_valid_body_reaches_the_endpoint_validated_and_normalised():
    answer, received = call(encoded({**GOOD, "content": "  路灯坏了 ", "contact": {"phone": "138 1234 5678"}}))
    assert answer.status_code == 200
    assert received[0].content == "路灯坏了" and received[0].contact.phone == "13812345678"


def test_invalid_fields_are_named_with_their_path_and_nothing_reaches_the_endpoint():
    answer, received = call(b'{"division": "330481001", "channel": "fax", "content": "x", "contact": {"phone": "1"}}')
    problem = answer.json()
    assert answer.status_code == 422 and answer.headers["content-type"] == "application/problem+json"
    assert [error["field"] for error in problem["errors"]] == ["channel", "content", "contact.phone"]
    assert problem["field"] == "channel" and problem["detail"] == "Invalid fields: channel, content, contact.phone"
    assert received == []


def test_malformed_json_is_400_and_a_body_that_is_not_json_is_415():
    malformed, _ = call(b'{"division": ')
    assert malformed.status_code == 400 and malformed.json()["field"] == "body"
    form, received = call(b"division=330481001", content_type="application/x-www-form-urlencoded")
    assert form.status_code == 415 and form.json()["field"] == "Content-Type"
    assert "application/x-www-form-urlencoded" in form.json()["detail"]
    assert received == []


def test_json_media_types_with_parameters_or_suffixes_are_accepted():
    for content_type in ("application/json; charset=utf-8", "application/merge-patch+json", None):
        answer, _ = call(encoded(GOOD), content_type)
        assert answer.status_code == 200, content_type


def test_the_gateways_openapi_still_describes_the_submission_body_in_full():
    operation = create_app(Settings()).openapi()["paths"]["/v1/public/opinions"]["post"]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert operation["requestBody"]["required"] is True
    assert set(schema["required"]) == {"division", "channel", "content"}
    assert schema["properties"]["content"]["maxLength"] == 5000
    contact = next(option for option in schema["properties"]["contact"]["anyOf"] if option.get("type") == "object")
    assert set(contact["properties"]) == {"name", "phone"}
    assert "$ref" not in str(schema)
    assert "202" in operation["responses"]


def test_the_gateways_openapi_documents_the_idempotency_key_header_and_the_429():
    operation = create_app(Settings()).openapi()["paths"]["/v1/public/opinions"]["post"]
    header = next(parameter for parameter in operation["parameters"] if parameter["name"] == "Idempotency-Key")
    assert header["in"] == "header" and header["required"] is False
    assert re.fullmatch(header["schema"]["pattern"], "retry-7K3P") and not re.fullmatch(header["schema"]["pattern"], "")
    assert "429" in operation["responses"]
