"""催办 with an Idempotency-Key: a retried request gets the first record and records no second one;
the key belongs to one supervisor's key and one case, and a refused request frees it."""

import asyncio
from types import SimpleNamespace

import pytest

from contracts.errors import ErrorCode, ServiceError
from gateway.db import GatewayDatabase
from gateway.idempotency import IdempotencyStore
from tests.service.test_gateway_routers import Gateway

URL = "/v1/supervision/cases/7K3P-9XTA-2MQD/reminders"
BODY = {"method": "phone", "note": "已电话催办"}


@pytest.fixture
def gateway(tmp_path):
    gateway = Gateway()
    db = GatewayDatabase(None, tmp_path)
    gateway.app.state.platform = SimpleNamespace(idempotency=IdempotencyStore(db.collection("idempotency")))
    recorded = []

    def record(kw):
        recorded.append(kw)
        return {
            "reminder_id": f"01REMINDER{len(recorded)}",
            **kw["reminder"],
            "by": "督查室",
            "at": "2026-11-23T03:00:00Z",
        }

    gateway.broker.answers[("supervision", "record_reminder")] = record
    gateway.recorded = recorded
    yield gateway
    asyncio.run(db.close())


def post(gateway, key: str | None, url: str = URL, body: dict = BODY, **kwargs):
    headers = {"Idempotency-Key": key} if key else {}
    return gateway.request("POST", url, json=body, headers=headers, **kwargs)


def test_a_retried_reminder_is_recorded_once_and_answered_alike(gateway):
    first, retry = post(gateway, "retry-1"), post(gateway, "retry-1")
    assert first.status_code == retry.status_code == 201
    assert first.json() == retry.json() and first.json()["reminder_id"] == "01REMINDER1"
    assert len(gateway.recorded) == 1


def test_without_a_key_each_request_records_and_a_new_key_is_a_new_reminder(gateway):
    post(gateway, None)
    post(gateway, None)
    post(gateway, "visit-2", body={"method": "visit"})
    assert [kw["reminder"]["method"] for kw in gateway.recorded] == ["phone", "phone", "visit"]


def test_a_key_belongs_to_one_case(gateway):
    post(gateway, "same-key")
    other = post(gateway, "same-key", url="/v1/supervision/cases/AAAA-BBBB-CCCC/reminders")
    assert other.status_code == 201 and [kw["case_id"] for kw in gateway.recorded] == [
        "7K3P-9XTA-2MQD",
        "AAAA-BBBB-CCCC",
    ]


def test_a_key_reused_with_another_body_or_malformed_is_refused_and_records_nothing(gateway):
    post(gateway, "once")
    reused = post(gateway, "once", body={"method": "letter"})
    malformed = post(gateway, "a key with spaces")
    for answer in (reused, malformed):
        assert answer.status_code == 422 and answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["field"] == "Idempotency-Key" and answer.json()["title"].startswith("幂等键")
    assert len(gateway.recorded) == 1


def test_a_refused_reminder_frees_its_key_for_the_retry(gateway):
    gateway.broker.refusal = ServiceError(ErrorCode.CONFLICT, "案件正被同时更新，请重试", "case_id")
    assert post(gateway, "after-conflict").status_code == 409
    gateway.broker.refusal = None
    assert post(gateway, "after-conflict").status_code == 201
    assert post(gateway, "after-conflict").json()["reminder_id"] == "01REMINDER1"
    assert len(gateway.recorded) == 1


def test_the_reminder_route_documents_the_idempotency_key(gateway):
    operation = gateway.app.openapi()["paths"]["/v1/supervision/cases/{case_id}/reminders"]["post"]
    assert "Idempotency-Key" in {parameter["name"] for parameter in operation["parameters"]}
