"""The anonymous submission endpoint limits each client address."""

BODY = {"division": "330481001", "channel": "web", "content": "路灯坏了"}


def test_a_client_over_the_limit_gets_429_with_retry_after(platform_factory):
    limited = platform_factory("rate-limit", services=[], PUBLIC_RATE_LIMIT="3/minute")
    with limited.admin() as admin:
        admin.put("/v1/admin/divisions/330481001", json={"name": "硖石街道"}).raise_for_status()
    with limited.client() as citizen:
        answers = [citizen.post("/v1/public/opinions", json=BODY) for _ in range(4)]
        tracking = citizen.get("/healthz")
    assert [a.status_code for a in answers] == [202, 202, 202, 429]
    refused = answers[-1]
    assert refused.headers["content-type"] == "application/problem+json"
    assert 1 <= int(refused.headers["retry-after"]) <= 20
    assert tracking.status_code == 200  # other endpoints are not counted
    assert 'route="/v1/public/opinions",status="429"} 1.0' in limited.client().get("/metrics").text
