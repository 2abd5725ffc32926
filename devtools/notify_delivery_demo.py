"""notify's delivery part of the demo set: 海宁市's channel policy and two units' channel preferences.

Loaded with notify's templates, last (a notify that is down then fails the load last, after the other
services' data): the demo's own items were planned with the defaults, their units' division robot,
which a development run does not configure (`DINGTALK_ROBOTS`), so those deliveries are dead at once,
with the reason, in `GET /v1/deliveries`; so are citizens' SMS without a provider. From then on the
transport bureau hears of new assignments on its own DingTalk robot, here a local address nobody
answers (retried with backoff, then dead: replayable by an admin once the robot is fixed), and the
housing bureau in its inbox alone.
"""

import httpx

from devtools.demo_http import client_like

COUNTY = "330481"
UNANSWERED_ROBOT = "http://127.0.0.1:9/robot/send?access_token=demo"  # the discard port: nobody answers
POLICY = {"allowed_channels": ["in_app", "sms", "email", "dingtalk", "wecom", "webhook"], "quiet_hours": None}
PREFERENCES = [
    (
        "hn-transport",
        {
            "channels": {"case.assigned": ["in_app", "dingtalk"], "case.reopened": ["in_app", "dingtalk"]},
            "addresses": {
                "dingtalk": {"address": "http://127.0.0.1:9/robot/send?access_token=demo", "secret": "SECdemo"}
            },
        },
    ),
    ("hn-housing", {"channels": {"case.assigned": ["in_app"], "case.reopened": ["in_app"]}}),
]


def load_notify_delivery(client: httpx.Client) -> None:
    """PUTs are idempotent: loading twice changes nothing (each run issues its handler keys anew)."""
    client.put(f"/v1/admin/notify/divisions/{COUNTY}", json=POLICY).raise_for_status()
    for unit, preferences in PREFERENCES:
        body = {"role": "handler", "scope": COUNTY, "label": f"{unit} 通知偏好", "unit": unit}
        created = client.post("/v1/admin/api-keys", json=body)
        created.raise_for_status()
        headers = {"X-API-Key": created.json()["key"]}
        with client_like(client, headers) as handler:
            handler.put("/v1/notify/preferences", json=preferences).raise_for_status()
