"""Demo data for 约见请求 (`make run`): an item a deputy received at the 硖石 station is assigned, its lead
unit signs and asks the deputy to meet during handling; the deputy's inbox then shows "约见请求"."""

from datetime import timedelta

import httpx

from devtools.statistics_demo import COUNTY, assigned, unit_client, wait_for
from infra.clock import local_today

ITEM = {
    "division": "330481001",
    "content": "硖石街道西山路人行道路灯多处不亮，夜间出行不便",
    "category": "道路交通",
    "details": {"channel": "station_visit", "station_id": "xiashi-station", "deputy_id": "deputy-zhang-wei"},
}


def load_meeting_requests(client: httpx.Client) -> None:
    created = client.post("/v1/admin/api-keys", json={"role": "station", "scope": COUNTY, "label": "约见演示 联络站"})
    created.raise_for_status()
    with httpx.Client(base_url=client.base_url, headers={"X-API-Key": created.json()["key"]}, timeout=30) as station:
        answer = station.post("/v1/opinions", json=ITEM)
        answer.raise_for_status()
        code = answer.json()["tracking_code"]
    case = wait_for(lambda: assigned(client, code))
    if case is None:
        return
    ask = {
        "stage": "during",
        "on": (local_today() + timedelta(days=2)).isoformat(),
        "place": "硖石街道人大代表联络站",
        "note": "当面向代表通报路灯检修方案并听取意见",
    }
    with unit_client(client, case["lead_unit"]["id"]) as unit:
        unit.post(f"/v1/cases/{code}/accept", json={}).raise_for_status()
        unit.post(f"/v1/cases/{code}/request-meeting", json=ask).raise_for_status()
