"""Health, readiness, metrics and the correlation id carried from HTTP through every event."""

import httpx

from tests.conftest import wait_until


def test_health_and_readiness(platform):
    with platform.client() as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        ready = client.get("/readyz").json()
    assert ready["status"] == "ready" and ready["broker"] is True
    assert set(ready["services"]) == {"intake", "routing", "supervision", "legislation", "notify"}


def test_gateway_and_services_expose_metrics(platform):
    with platform.client() as client:
        client.post("/v1/public/opinions", json={"division": "330481001", "channel": "qr", "content": "噪音扰民"})
        gateway_metrics = client.get("/metrics").text
    assert 'http_requests_total{method="POST",route="/v1/public/opinions",status="202"}' in gateway_metrics
    intake_port = platform.processes.metrics_ports["intake"]
    intake_metrics = wait_until(
        lambda: (
            (text := httpx.get(f"http://127.0.0.1:{intake_port}/metrics").text)
            and 'opinions_received_total{channel="qr"}' in text
            and text
        )
    )
    assert 'entrypoint_calls_total{entrypoint="submit_opinion",outcome="ok",service="intake"}' in intake_metrics


def test_correlation_id_travels_from_the_request_through_every_service(platform):
    correlation = "corr-" + platform.vhost
    with platform.client() as client:
        answer = client.post(
            "/v1/public/opinions",
            json={"division": "330481001", "channel": "web", "content": "公交车改线后不方便"},
            headers={"X-Correlation-ID": correlation},
        )
    assert answer.headers["x-correlation-id"] == correlation
    for service in ("intake", "routing", "supervision", "notify"):
        wait_until(lambda service=service: f'"correlation_id": "{correlation}"' in platform.log_of(service))


def test_polling_a_code_not_found_yet_is_a_404_and_one_info_line_each_time(platform):
    correlation = "poll-" + platform.vhost
    with platform.client() as client:
        answers = [
            client.get("/v1/public/opinions/AAAA-BBBB-CCCC", headers={"X-Correlation-ID": f"{correlation}-{n}"})
            for n in range(3)
        ]
    assert {answer.status_code for answer in answers} == {404}
    assert {answer.headers["content-type"] for answer in answers} == {"application/problem+json"}
    assert answers[0].json()["field"] == "tracking_code"

    lines = wait_until(
        lambda: (
            (found := [line for line in platform.log_of("intake").splitlines() if correlation in line])
            and len(found) >= 3
            and found
        )
    )
    assert len(lines) == 3 and all('"level": "INFO"' in line and "refused: not_found" in line for line in lines)
    assert "(expected)" not in platform.log_of("intake") and "Traceback" not in platform.log_of("intake")
