"""Demo data for 督办 closing the loop (`make run`): the county's supervisors put two cases on the key
supervision list (one led by a standing-committee vice-chair, one 大督办) with a plan, a site visit
and progress; a unit replies to an item with work promised for today, so its follow-up review
(回头看) falls due at once; the statistics demo's planned replies fill the promised-items ledger."""

import httpx

from devtools.statistics_demo import COUNTY, assigned, unit_client, wait_for

KEY_ITEMS = [
    (
        {
            "level": "leader_led",
            "lead_supervisor": "常委会副主任 王建国",
            "committees": ["人大常委会代表工委", "城建环资工委"],
            "reason": "群众反映强烈，涉及多个部门，列入常委会领导领衔督办",
        },
        [
            ("plan", "制定督办方案：每两周听取一次办理进展，年底前完成整改"),
            ("site_visit", "王建国副主任带队实地督查，现场听取承办单位汇报"),
        ],
    ),
    (
        {
            "level": "major",
            "lead_supervisor": "常委会主任 陈志华",
            "committees": ["人大常委会代表工委"],
            "reason": "关系群众切身利益的民生难点，纳入大督办",
        },
        [("progress", "承办单位报告：已完成方案设计，正在招标")],
    ),
]
REVIEWED_ITEM = {
    "division": "330481001",
    "content": "硖石街道文苑路公交站台改造一再拖延，请督促落实",
    "category": "道路交通",
    "details": {"channel": "station_visit", "station_id": "xiashi-station", "deputy_id": "deputy-zhang-wei"},
}


def open_cases(client: httpx.Client) -> list[str]:
    answer = client.get("/v1/supervision/deadlines", params={"division": COUNTY, "limit": 50})
    return [c["case_id"] for c in answer.json() if c["status"] in ("assigned", "accepted")] if answer.is_success else []


def load_close_the_loop(client: httpx.Client, today: str) -> None:
    created = client.post(
        "/v1/admin/api-keys", json={"role": "supervisor", "scope": COUNTY, "label": "海宁市人大代表工委"}
    )
    created.raise_for_status()
    headers = {"X-API-Key": created.json()["key"]}
    with httpx.Client(base_url=client.base_url, headers=headers, timeout=30) as supervisor:
        cases = wait_for(lambda: open_cases(supervisor)[: len(KEY_ITEMS)] if len(open_cases(supervisor)) > 1 else None)
        for case_id, (mark, records) in zip(cases or [], KEY_ITEMS, strict=False):
            supervisor.post(f"/v1/supervision/key-items/{case_id}/mark", json=mark).raise_for_status()
            for kind, text in records:
                record = {"kind": kind, "on": today, "text": text}
                supervisor.post(f"/v1/supervision/key-items/{case_id}/records", json=record).raise_for_status()
    reply_with_a_promise_due_today(client, today)


def reply_with_a_promise_due_today(client: httpx.Client, today: str) -> None:
    created = client.post("/v1/admin/api-keys", json={"role": "station", "scope": COUNTY, "label": "回头看演示 联络站"})
    created.raise_for_status()
    with httpx.Client(base_url=client.base_url, headers={"X-API-Key": created.json()["key"]}, timeout=30) as station:
        answer = station.post("/v1/opinions", json=REVIEWED_ITEM)
        answer.raise_for_status()
        code = answer.json()["tracking_code"]
    case = wait_for(lambda: assigned(client, code))
    if case is None:
        return
    with unit_client(client, case["lead_unit"]["id"]) as unit:
        unit.post(f"/v1/cases/{code}/accept", json={}).raise_for_status()
        reply = {
            "text": "站台改造已列入计划，承诺今日完工（演示）。",
            "result_class": "B",
            "promised": [{"item": "完成文苑路公交站台改造", "by": today}],
        }
        unit.post(f"/v1/cases/{code}/reply", json=reply).raise_for_status()
