"""A small demo data set: 海宁市 (330481) with townships, liaison stations, deputies, units, rules.

Township codes follow the GB/T 2260 extension pattern; names are real places, the codes and
people are illustrative.
"""

import httpx

COUNTY = ("330481", "海宁市")
TOWNSHIPS = [
    ("330481001", "硖石街道"),
    ("330481002", "海洲街道"),
    ("330481003", "海昌街道"),
    ("330481101", "许村镇"),
    ("330481102", "长安镇"),
]
STATIONS = [
    {
        "id": "xiashi-station",
        "name": "硖石街道人大代表联络站",
        "division": "330481001",
        "address": "硖石街道文苑南路",
        "reception_day": "每周二 代表有约",
    },
    {
        "id": "changan-station",
        "name": "长安镇人大代表联络站",
        "division": "330481102",
        "address": "长安镇政府一楼",
        "reception_day": "每月5日、20日 进站接待",
    },
]
DEPUTIES = [
    {"id": "deputy-zhang-wei", "name": "张伟", "division": "330481001", "station_id": "xiashi-station"},
    {"id": "deputy-li-hong", "name": "李红", "division": "330481001", "station_id": "xiashi-station"},
    {
        "id": "deputy-wang-jun",
        "name": "王军",
        "division": "330481102",
        "station_id": "changan-station",
        "level": "township",
    },
]
UNITS = [
    {"id": "hn-transport", "name": "海宁市交通运输局", "division": "330481"},
    {"id": "hn-housing", "name": "海宁市住房和城乡建设局", "division": "330481"},
    {"id": "hn-ecology", "name": "海宁市生态环境局", "division": "330481"},
    {"id": "hn-education", "name": "海宁市教育局", "division": "330481"},
    {"id": "hn-enforcement", "name": "海宁市综合行政执法局", "division": "330481"},
    {"id": "hn-office", "name": "海宁市人民政府办公室", "division": "330481"},
    {"id": "changan-gov", "name": "长安镇人民政府", "division": "330481102"},
]
RULES = [
    {
        "division": "330481",
        "keywords": ["公交", "道路", "红绿灯", "停车"],
        "lead_unit": "hn-transport",
        "co_units": ["hn-enforcement"],
    },
    {"division": "330481", "keywords": ["路灯", "小区", "加装电梯", "老旧"], "lead_unit": "hn-housing"},
    {"division": "330481", "keywords": ["污水", "噪音", "垃圾", "河道"], "lead_unit": "hn-ecology"},
    {"division": "330481", "keywords": ["学校", "幼儿园", "上学"], "lead_unit": "hn-education"},
    {"division": "330481", "keywords": [], "lead_unit": "hn-office"},
    {"division": "330481102", "keywords": [], "lead_unit": "changan-gov"},
]


def load(base_url: str, admin_key: str) -> None:
    """Loads the set through the admin API, as an operator would."""
    with httpx.Client(base_url=base_url, headers={"X-API-Key": admin_key}, timeout=30) as client:
        for code, name in [COUNTY, *TOWNSHIPS]:
            client.put(f"/v1/admin/divisions/{code}", json={"name": name}).raise_for_status()
        for path, items in [("stations", STATIONS), ("deputies", DEPUTIES), ("units", UNITS), ("routing-rules", RULES)]:
            for item in items:
                client.post(f"/v1/admin/{path}", json=item).raise_for_status()


def present(base_url: str) -> bool:
    """Whether the platform still holds the set's liaison stations (a store in memory forgets them)."""
    answer = httpx.get(f"{base_url}/v1/public/stations", params={"division": COUNTY[0]}, timeout=30)
    answer.raise_for_status()
    return {station["id"] for station in STATIONS} <= {station["id"] for station in answer.json()}
