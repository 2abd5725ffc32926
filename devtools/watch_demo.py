"""Demo data for the deadline watch and the public ledger (`make run`).

海宁 handles gas leaks and safety hazards as 急事急办: a rule gives them two working days. The
station enters three such items; within a minute the watch's timer sends their due-soon reminders
(临期提醒) to 综合行政执法局's inbox, and a supervisor records 催办 on two of them (a call and a
visit), so `GET /v1/supervision/overdue` has cases with reminder records once their due date has
passed (the embedded store keeps them: the third working day of a kept `.data`), and
`GET /v1/supervision/half-time` lists them from the next working day. 综合行政执法局 asks for five
more working days on the third (延期申请), which waits on the supervisors' page
(`GET /v1/cases?extension=pending`). 硖石街道 shows the citizens' own words on its public ledger; the
rest of the county does not.
"""

import time

import httpx

COUNTY = "330481"
URGENT_RULE = {
    "division": COUNTY,
    "keywords": ["燃气", "安全隐患"],
    "lead_unit": "hn-enforcement",
    "deadline": {"kind": "working_days", "amount": 2},
    "priority": 5,
}
VISIT = {"channel": "station_visit", "station_id": "xiashi-station", "deputy_id": "deputy-zhang-wei"}
CONTACT = {"name": "褚阿姨", "phone": "13575321864"}
ITEMS = [
    ("330481001", "文苑路菜场门口的燃气管道有一股味道，怕是漏气了", "安全生产"),
    ("330481001", "东山小区3幢楼道堆满杂物还有电瓶车充电，安全隐患很大", "安全生产"),
    ("330481002", "海州路一家小饭店门口放着好几个燃气罐，没有防护", "安全生产"),
]
# (item index, 催办 method, note)
REMINDERS = [
    (0, "phone", "已电话联系综合行政执法局法规科，要求今日派人到场处置"),
    (1, "visit", "督查室会同硖石街道到现场查看，要求限期清理"),
]
# (item index, the lead unit's reason, working days asked for)
EXTENSION = (2, "燃气罐存放点涉及多家商户，需会同市场监管局联合检查后统一整改", 5)
WAIT_SECONDS = 30


def keyed(client: httpx.Client, role: str, label: str, unit: str | None = None) -> httpx.Client:
    body = {"role": role, "scope": COUNTY, "label": label, **({"unit": unit} if unit else {})}
    created = client.post("/v1/admin/api-keys", json=body)
    created.raise_for_status()
    return httpx.Client(base_url=client.base_url, headers={"X-API-Key": created.json()["key"]}, timeout=30)


def assigned(client: httpx.Client, code: str) -> bool:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        answer = client.get(f"/v1/cases/{code}")
        if answer.status_code == 200 and answer.json()["status"] == "assigned":
            return True
        time.sleep(0.3)
    return False


def remind(supervisor: httpx.Client, code: str, method: str, note: str) -> None:
    """A 催办 once supervision has the case (404 until its case.assigned arrived)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        answer = supervisor.post(f"/v1/supervision/cases/{code}/reminders", json={"method": method, "note": note})
        if answer.status_code == 201:
            return
        time.sleep(0.3)


def load_watch(client: httpx.Client) -> None:
    known = {
        tuple(rule["keywords"]) for rule in client.get("/v1/admin/routing-rules", params={"division": COUNTY}).json()
    }
    if tuple(URGENT_RULE["keywords"]) not in known:
        client.post("/v1/admin/routing-rules", json=URGENT_RULE).raise_for_status()
    with keyed(client, "station", "硖石街道人大代表联络站（急事急办演示）") as station:
        codes = []
        for division, content, category in ITEMS:
            item = {
                "division": division,
                "content": content,
                "category": category,
                "details": VISIT,
                "contact": CONTACT,
            }
            answer = station.post("/v1/opinions", json=item)
            answer.raise_for_status()
            codes.append(answer.json()["tracking_code"])
    with keyed(client, "supervisor", "海宁市人大常委会督查室") as supervisor:
        supervisor.put("/v1/supervision/ledger-settings/330481001", json={"show_text": True}).raise_for_status()
        for index, method, note in REMINDERS:
            if assigned(client, codes[index]):
                remind(supervisor, codes[index], method, note)
    index, reason, working_days = EXTENSION
    with keyed(client, "handler", "海宁市综合行政执法局 办理员（延期演示）", URGENT_RULE["lead_unit"]) as unit:
        if assigned(client, codes[index]):
            asked = unit.post(
                f"/v1/cases/{codes[index]}/request-extension", json={"reason": reason, "working_days": working_days}
            )
            asked.raise_for_status()
