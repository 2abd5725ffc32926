"""Demo data for 督办 statistics and 红黑榜 (`make run`): the station enters nine items of its own
(the other demo items are left as they are); 海宁's rules send them to four units, which handle them
through the API as they would: sign, meet the deputy or not, reply in different classes, give one
back (退回); citizens rate three replies. The county publishes its red/black list rules with a low
minimum, so these few cases are ranked."""

import time

import httpx

COUNTY = "330481"
RULES = {
    "min_cases": 2,
    "black_on_time": 70,
    "black_satisfaction": 60,
    "black_return_rate": 30,
    "red_on_time": 95,
    "red_satisfaction": 90,
    "red_max_return_rate": 10,
}
VISIT = {"channel": "station_visit", "station_id": "xiashi-station", "deputy_id": "deputy-zhang-wei"}
CONTACT = {"name": "钱师傅", "phone": "13857312468"}
# (township, content, category, meets the deputy, what the unit does, the citizen's rating)
ITEMS = [
    ("330481001", "西山路公交站没有候车亭，下雨天老人等车只能淋雨", "道路交通", True, "A", "satisfied"),
    ("330481001", "到火车站的公交末班车太早，晚班工人下班后没车回家", "道路交通", True, "B", "basically_satisfied"),
    ("330481002", "海州路人行道道路破损，井盖松动，晚上走路容易绊倒", "道路交通", False, "A", None),
    ("330481001", "东山小区楼道灯坏了大半年，晚上上下楼一片漆黑", "市政设施", True, "A", "satisfied"),
    ("330481003", "老旧小区外墙瓷砖脱落，楼下行人有被砸伤的危险", "市政设施", True, "C", "unsatisfied"),
    ("330481002", "洛塘河边有污水直排，夏天气味很重", "环境保护", True, "A", None),
    ("330481003", "夜间工地施工噪音扰民，凌晨还在打桩", "环境保护", False, "return", None),
    ("330481001", "实验小学校门口早上接送车辆占道，学生过马路危险", "教育", True, "A", None),
    ("330481002", "新建小区附近幼儿园学位不够，孩子上学要跑很远", "教育", False, "B", None),
]
WAIT_SECONDS = 30


def wait_for(probe, interval: float = 0.3):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(interval)
    return None


def submit(station: httpx.Client) -> list[str]:
    codes = []
    for township, content, category, *_ in ITEMS:
        item = {"division": township, "content": content, "category": category, "details": VISIT, "contact": CONTACT}
        answer = station.post("/v1/opinions", json=item)
        answer.raise_for_status()
        codes.append(answer.json()["tracking_code"])
    return codes


def assigned(client: httpx.Client, code: str) -> dict | None:
    answer = client.get(f"/v1/cases/{code}")
    return answer.json() if answer.status_code == 200 and answer.json()["status"] == "assigned" else None


def unit_client(client: httpx.Client, unit: str) -> httpx.Client:
    body = {"role": "handler", "scope": COUNTY, "label": f"{unit} 办理员（演示）", "unit": unit}
    created = client.post("/v1/admin/api-keys", json=body)
    created.raise_for_status()
    return httpx.Client(base_url=client.base_url, headers={"X-API-Key": created.json()["key"]}, timeout=30)


def handle(unit: httpx.Client, code: str, meets: bool, outcome: str, today: str) -> None:
    path = f"/v1/cases/{code}"
    if outcome == "return":
        unit.post(f"{path}/return", json={"reason": "属于住建部门职责，建议改交（演示）"}).raise_for_status()
        return
    unit.post(f"{path}/accept", json={}).raise_for_status()
    if meets:
        meeting = {"stage": "during", "on": today, "form": "上门走访", "participants": ["承办科室"], "met": "deputy"}
        unit.post(f"{path}/record-meeting", json=meeting).raise_for_status()
    reply = {"text": "经现场调查，已研究办理并答复（演示）。", "result_class": outcome}
    if outcome == "B":
        reply["promised"] = [{"item": "完成改造", "by": f"{int(today[:4]) + 1}-06-30"}]
    unit.post(f"{path}/reply", json=reply).raise_for_status()


def rate(citizen: httpx.Client, code: str, rating: str) -> None:
    """The citizen rates once the reply has reached supervision (a 409 until then)."""
    body = {"rating": rating, "phone_last_four": CONTACT["phone"][-4:]}
    wait_for(lambda: citizen.post(f"/v1/public/opinions/{code}/evaluation", json=body).status_code == 201, 1.0)


def load_statistics(client: httpx.Client, today: str) -> None:
    client.put(f"/v1/supervision/rankings/rules/{COUNTY}", json=RULES).raise_for_status()
    created = client.post("/v1/admin/api-keys", json={"role": "station", "scope": COUNTY, "label": "统计演示 联络站"})
    created.raise_for_status()
    headers = {"X-API-Key": created.json()["key"]}
    with httpx.Client(base_url=client.base_url, headers=headers, timeout=30) as station:
        codes = submit(station)
    units: dict[str, httpx.Client] = {}
    try:
        for code, (_, _, _, meets, outcome, _) in zip(codes, ITEMS, strict=True):
            case = wait_for(lambda code=code: assigned(client, code))
            if case is None:
                continue
            lead = case["lead_unit"]["id"]
            if lead not in units:
                units[lead] = unit_client(client, lead)
            handle(units[lead], code, meets, outcome, today)
    finally:
        for unit in units.values():
            unit.close()
    with httpx.Client(base_url=client.base_url, timeout=30) as citizen:
        for code, (*_, rating) in zip(codes, ITEMS, strict=True):
            if rating:
                rate(citizen, code, rating)
