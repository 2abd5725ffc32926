"""A citizen's app that retries with the same Idempotency-Key gets one item, not two."""

import time

from tests.conftest import wait_until

BODY = {"division": "330481003", "channel": "web", "content": "海昌街道学校门口的红绿灯时间太短"}


def cases_with(platform, code: str) -> list[dict]:
    with platform.admin() as admin:
        return [c for c in admin.get("/v1/cases?division=330481003&limit=500").json() if c["case_id"] == code]


def test_a_retry_with_the_same_key_gets_the_same_tracking_code_and_one_case(platform):
    key = "retry-" + platform.vhost
    with platform.client() as citizen:
        first = citizen.post("/v1/public/opinions", json=BODY, headers={"Idempotency-Key": key})
        second = citizen.post("/v1/public/opinions", json=BODY, headers={"Idempotency-Key": key})
    assert first.status_code == second.status_code == 202
    assert first.json() == second.json()
    wait_until(lambda: cases_with(platform, first.json()["tracking_code"]))
    time.sleep(0.5)
    assert len(cases_with(platform, first.json()["tracking_code"])) == 1


def test_the_same_key_with_another_body_is_refused(platform):
    key = "reused-" + platform.vhost
    with platform.client() as citizen:
        assert citizen.post("/v1/public/opinions", json=BODY, headers={"Idempotency-Key": key}).status_code == 202
        answer = citizen.post(
            "/v1/public/opinions", json={**BODY, "content": "另一件事"}, headers={"Idempotency-Key": key}
        )
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["field"] == "Idempotency-Key"


def test_a_rejected_request_does_not_use_up_its_key(platform):
    key = "fixable-" + platform.vhost
    with platform.client() as citizen:
        bad = citizen.post("/v1/public/opinions", json={**BODY, "division": "330499"}, headers={"Idempotency-Key": key})
        assert bad.status_code == 422 and bad.json()["field"] == "division"
        good = citizen.post("/v1/public/opinions", json=BODY, headers={"Idempotency-Key": key})
    assert good.status_code == 202


def test_without_a_key_each_post_is_a_new_item(platform):
    with platform.client() as citizen:
        codes = {citizen.post("/v1/public/opinions", json=BODY).json()["tracking_code"] for _ in range(2)}
    assert len(codes) == 2


def test_a_malformed_key_is_422(platform):
    with platform.client() as citizen:
        answer = citizen.post("/v1/public/opinions", json=BODY, headers={"Idempotency-Key": "x" * 129})
    assert answer.status_code == 422 and answer.json()["field"] == "Idempotency-Key"
