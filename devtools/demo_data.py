"""A small demo data set: 海宁市 (330481) with townships, villages and communities, grids, liaison
stations, deputies, units, rules.

Township and village codes follow the GB/T 2260 extension pattern; names are real places, the codes and
people are illustrative.
"""

from datetime import date, timedelta

import httpx

from devtools.close_loop_demo import load_close_the_loop
from devtools.demo_http import DemoClient, client_like
from devtools.legislation_comments_demo import load_comments
from devtools.legislation_demo import load_legislation
from devtools.meeting_request_demo import load_meeting_requests
from devtools.notify_delivery_demo import load_notify_delivery
from devtools.notify_demo import load_notify_templates
from devtools.statistics_demo import load_statistics
from devtools.watch_demo import load_watch
from infra.clock import local_today

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
# 硖石街道's communities and 长安镇's villages and communities (村、社区), with a few of their grids
# (网格) and the grid officers (网格员) who collect what residents raise
AREAS = [
    *({"level": "township", "code": code, "name": name} for code, name in TOWNSHIPS),
    {"level": "community", "code": "330481001001", "name": "东山社区"},
    {"level": "community", "code": "330481001002", "name": "西山社区"},
    {"level": "community", "code": "330481001003", "name": "南关厢社区"},
    {"level": "community", "code": "330481001004", "name": "文苑社区"},
    {"level": "community", "code": "330481102001", "name": "修川社区"},
    {"level": "village", "code": "330481102201", "name": "辛江村"},
    {"level": "village", "code": "330481102202", "name": "褚石村"},
    {"level": "village", "code": "330481102203", "name": "天明村"},
    {"level": "village", "code": "330481102204", "name": "兴福村"},
]
GRIDS = [
    {"id": "wenyuan-01", "name": "文苑社区第一网格", "area": "330481001004", "officer": "周丽"},
    {"id": "dongshan-02", "name": "东山社区第二网格", "area": "330481001001", "officer": "沈建明"},
    {"id": "xinjiang-01", "name": "辛江村第一网格", "area": "330481102201", "officer": "朱晓燕"},
    {"id": "chushi-03", "name": "褚石村第三网格", "area": "330481102202", "officer": "吴国强"},
]
# 五级代表: a municipal deputy receives at the stations of both townships; a provincial one at 长安
DEPUTIES = [
    {
        "id": "deputy-zhang-wei",
        "name": "张伟",
        "division": "330481001",
        "level": "county",
        "station_ids": ["xiashi-station"],
    },
    {
        "id": "deputy-li-hong",
        "name": "李红",
        "division": "330481001",
        "level": "municipal",
        "station_ids": ["xiashi-station", "changan-station"],
    },
    {
        "id": "deputy-wang-jun",
        "name": "王军",
        "division": "330481102",
        "level": "township",
        "station_ids": ["changan-station"],
    },
    {
        "id": "deputy-chen-guoqiang",
        "name": "陈国强",
        "division": "330481102",
        "level": "provincial",
        "station_ids": ["changan-station"],
    },
    {
        "id": "deputy-zhu-lijuan",
        "name": "朱丽娟",
        "division": "330481102",
        "level": "township",
        "station_ids": ["changan-station"],
    },
]


def load_directory(client: httpx.Client) -> None:
    """Areas (townships before their villages), grids, stations, then deputies; an entry created
    before (a load interrupted and run again) is left as it is."""
    for path, entries in [("areas", AREAS), ("grids", GRIDS), ("stations", STATIONS), ("deputies", DEPUTIES)]:
        for entry in entries:
            created = client.post(f"/v1/directory/{path}", json=entry)
            if created.status_code != 409:
                created.raise_for_status()


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

# Parents and contact people of the units (staff data: names and office phones are illustrative),
# and rules that use the triage levels, areas, channels and deadline policies (rules helper)
UNIT_GOVERNMENT = {"id": "hn-gov", "name": "海宁市人民政府", "division": "330481"}
UNIT_CONTACTS = {
    "hn-transport": {"name": "沈国平", "post": "办公室主任", "office_phone": "0573-87212301"},
    "hn-housing": {"name": "陆海燕", "post": "信访科科长", "office_phone": "0573-87212402"},
    "hn-ecology": {"name": "钱伟", "post": "综合科科长", "office_phone": "0573-87212503"},
    "hn-education": {"name": "许文静", "post": "办公室副主任", "office_phone": "0573-87212604"},
    "hn-enforcement": {"name": "顾志强", "post": "法规科科长", "office_phone": "0573-87212705"},
    "hn-office": {"name": "朱丽萍", "post": "督查科科长", "office_phone": "0573-87212806"},
    "changan-gov": {"name": "褚建华", "post": "党政办主任", "office_phone": "0573-87081001"},
}
TRIAGE_RULES = [
    {"division": "330481", "keywords": ["征地", "拆迁补偿", "跨村"], "triage": "escalate", "priority": 10},
    {"division": "330481", "keywords": ["政策咨询", "咨询如何办理"], "triage": "on_the_spot", "priority": 10},
    {"division": "330481", "keywords": ["邻里纠纷"], "triage": "station", "priority": 10},
    {
        "division": "330481",
        "keywords": ["停车难", "消防通道"],
        "triage": "joint",
        "lead_unit": "hn-transport",
        "co_units": ["hn-enforcement", "hn-housing"],
        "priority": 10,
    },
    {
        "division": "330481",
        "keywords": ["菜场", "农贸市场"],
        "areas": ["330481003"],
        "lead_unit": "hn-enforcement",
        "co_units": ["hn-ecology"],
        "priority": 10,
    },
    {
        "division": "330481",
        "keywords": ["路灯"],
        "channels": ["county_system"],
        "lead_unit": "hn-housing",
        "deadline": {"kind": "working_days", "amount": 5},
        "priority": 10,
    },
]


def load_routing(client: httpx.Client) -> None:
    """The county government as the units' parent, each unit's contact person, the county's deadline
    policies, and the rules with triage levels; a rule loaded before (same keywords) is left as it is."""
    client.post("/v1/admin/units", json=UNIT_GOVERNMENT).raise_for_status()
    for unit in UNITS:
        contacts = [UNIT_CONTACTS[unit["id"]]] if unit["id"] in UNIT_CONTACTS else []
        client.post("/v1/admin/units", json={**unit, "parent": "hn-gov", "contacts": contacts}).raise_for_status()
    policies = {"division": COUNTY[0], "citizen": {"kind": "working_days", "amount": 15}}
    client.put("/v1/admin/deadline-policies", json=policies).raise_for_status()
    loaded = client.get("/v1/admin/routing-rules", params={"division": COUNTY[0]}).json()
    known = {tuple(rule["keywords"]) for rule in loaded}
    for rule in TRIAGE_RULES:
        if tuple(rule["keywords"]) not in known:
            client.post("/v1/admin/routing-rules", json=rule).raise_for_status()


def load(base_url: str, admin_key: str) -> None:
    """Loads the set through the admin API, as an operator would; a service (re)starting meanwhile is
    waited for (demo_http.py)."""
    with DemoClient(base_url, {"X-API-Key": admin_key}) as client:
        for code, name in [COUNTY, *TOWNSHIPS]:
            client.put(f"/v1/admin/divisions/{code}", json={"name": name}).raise_for_status()
        load_directory(client)
        for path, items in [("units", UNITS), ("routing-rules", RULES)]:
            for item in items:
                client.post(f"/v1/admin/{path}", json=item).raise_for_status()
        load_routing(client)
        load_receptions(client)
        load_suggestions(client)
        load_staff_items(client)
        load_grouping(client)
        load_statistics(client, local_today().isoformat())
        load_watch(client)
        load_close_the_loop(client, local_today().isoformat())
        load_meeting_requests(client)
        draft_id = load_legislation(client)
        load_comments(client, draft_id, local_today().isoformat())
        load_notify_templates(client)
        load_notify_delivery(client)
        load_users(client)


def next_weekday(earliest: date, weekday: int) -> date:
    """The first day on or after `earliest` that falls on `weekday` (Monday is 0)."""
    return earliest + timedelta(days=(weekday - earliest.weekday()) % 7)


def beijing(day: date, clock: str) -> str:
    return f"{day.isoformat()}T{clock}:00+08:00"


def reception_schedule(today: date) -> list[tuple[dict, str | None, int | None]]:
    """(session, reason for a late announcement, visitors if already held), dated from `today` in Beijing."""
    tuesday = next_weekday(today + timedelta(days=8), 1)
    thursday = next_weekday(today + timedelta(days=10), 3)
    soon, past = today + timedelta(days=3), today - timedelta(days=12)
    return [
        (
            {
                "station_id": "xiashi-station",
                "starts_at": beijing(tuesday, "09:00"),
                "ends_at": beijing(tuesday, "11:30"),
                "deputy_ids": ["deputy-zhang-wei", "deputy-li-hong"],
                "theme": "周二代表有约",
                "place": "硖石街道人大代表联络站 接待室",
            },
            None,
            None,
        ),
        (
            {
                "station_id": "xiashi-station",
                "starts_at": beijing(thursday, "14:30"),
                "ends_at": beijing(thursday, "16:30"),
                "deputy_ids": ["deputy-zhang-wei", "deputy-li-hong"],
                "theme": "老旧小区加装电梯专题接待",
                "place": "硖石街道人大代表联络站 议事厅",
                "officials": [
                    {"name": "刘建国", "post": "海宁市住房和城乡建设局 副局长"},
                    {"name": "沈丽", "post": "硖石街道城市建设管理办公室 主任"},
                ],
            },
            None,
            None,
        ),
        (
            {
                "station_id": "changan-station",
                "starts_at": beijing(soon, "09:00"),
                "ends_at": beijing(soon, "11:00"),
                "deputy_ids": ["deputy-wang-jun"],
                "theme": "出租房管理与消防安全",
                "officials": [{"name": "周建华", "post": "长安镇应急管理办公室 主任"}],
            },
            "配合全镇出租房消防安全专项整治，临时增加一场接待",
            None,
        ),
        (
            {
                "station_id": "changan-station",
                "starts_at": beijing(past, "09:00"),
                "ends_at": beijing(past, "11:30"),
                "deputy_ids": ["deputy-wang-jun"],
                "theme": "企业人才招引留用",
                "place": "长安镇政府一楼 代表联络站",
            },
            "补录：接待前已在站内张贴公告，事后补登",
            9,
        ),
    ]


def load_receptions(client: httpx.Client) -> None:
    """The stations' reception schedule (主题接待清单), announced; the one of last month also held.
    A session created before (a load interrupted and run again) is left as it is."""
    for session, reason, visitors in reception_schedule(local_today()):
        created = client.post("/v1/receptions", json=session)
        if created.status_code == 409:
            continue
        created.raise_for_status()
        reception_id = created.json()["id"]
        client.post(f"/v1/receptions/{reception_id}/announce", json={"reason": reason}).raise_for_status()
        if visitors is not None:
            client.post(f"/v1/receptions/{reception_id}/hold", json={"visitors": visitors}).raise_for_status()


COUNTY_SESSION = {"term": 17, "meeting": 3}  # 海宁市第十七届人民代表大会第三次会议
TOWNSHIP_SESSION = {"term": 18, "meeting": 2}  # 长安镇第十八届人民代表大会第二次会议
SUGGESTIONS = [
    (
        {
            "division": "330481",
            "session": COUNTY_SESSION,
            "lead_deputy": "deputy-zhang-wei",
            "co_signers": ["deputy-li-hong"],
            "title": "关于加快老旧小区加装电梯的建议",
            "text": "我市2000年以前建成的老旧小区多为六层以下住宅，没有电梯，老年居民上下楼十分困难。"
            "硖石街道文苑、西山等小区居民多次反映，希望加装电梯，但审批环节多、费用分摊难、补助标准低。\n\n"
            "建议：一、简化既有住宅加装电梯审批流程，推行“一窗受理、并联审批”；"
            "二、提高财政补助标准，允许提取住房公积金用于加装电梯；三、由街道、社区牵头协调低层住户的意见。",
        },
        "accepted",
        None,
    ),
    (
        {
            "division": "330481102",
            "session": TOWNSHIP_SESSION,
            "lead_deputy": "deputy-wang-jun",
            "co_signers": [],
            "title": "关于改善长安镇中心小学周边交通的建议",
            "text": "长安镇中心小学位于镇区主干道旁，上下学高峰时段接送车辆临时停靠，人车混行，存在安全隐患。\n\n"
            "建议：一、在校门两侧施划临时停车泊位，设置护学岗；二、增设人行横道和减速带；"
            "三、错峰放学，引导家长在指定区域接送。",
        },
        "under_review",
        None,
    ),
    (
        {
            "division": "330481",
            "session": COUNTY_SESSION,
            "lead_deputy": "deputy-li-hong",
            "co_signers": ["deputy-zhang-wei"],
            "title": "关于规范硖石街道背街小巷停车管理的建议",
            "text": "硖石街道背街小巷车辆乱停乱放现象突出，消防通道被占用，居民出行不便。"
            "建议统筹设置停车泊位，加强巡查，对占用消防通道的车辆依法处理。",
        },
        "returned",
        "请补充涉及的街巷名单和现有泊位数量，并与交通运输局沟通后完善建议内容。",
    ),
]


def keyed(client: httpx.Client, role: str, label: str) -> httpx.Client:
    """A client with a new key of `role` for the county, issued with the admin's."""
    created = client.post("/v1/admin/api-keys", json={"role": role, "scope": COUNTY[0], "label": label})
    created.raise_for_status()
    return client_like(client, {"X-API-Key": created.json()["key"]})


def load_suggestions(client: httpx.Client) -> None:
    """Deputies' formal suggestions (代表建议), filed with a deputy key and pre-reviewed with the
    congress office's key: one accepted (routing then has its case), one under review, one returned.
    A suggestion filed before (a load interrupted and run again) is left as it is."""

    filed_before = {s["title"] for s in client.get("/v1/suggestions", params={"division": COUNTY[0]}).json()}
    deputy, office = keyed(client, "deputy", "海宁市人大代表"), keyed(client, "supervisor", "海宁市人大常委会代表工委")
    with deputy, office:
        for filing, status, comment in SUGGESTIONS:
            if filing["title"] in filed_before:
                continue
            created = deputy.post("/v1/suggestions", json=filing)
            created.raise_for_status()
            path = f"/v1/suggestions/{created.json()['id']}"
            deputy.post(f"{path}/submit", json={}).raise_for_status()
            if status == "accepted":
                office.post(f"{path}/accept", json={}).raise_for_status()
            elif status == "returned":
                office.post(f"{path}/return", json={"comment": comment}).raise_for_status()


# 海宁市 adds its own category to the national list, and items of it go to 住建局 whatever their words
CATEGORIES = [
    "道路交通",
    "市政设施",
    "加装电梯",
    "环境保护",
    "教育",
    "医疗卫生",
    "社会保障",
    "农业农村",
    "安全生产",
    "其他",
]
CATEGORY_RULE = {"division": COUNTY[0], "categories": ["加装电梯"], "lead_unit": "hn-housing", "priority": 50}
CITIZEN = {"name": "沈阿姨", "phone": "13967351208"}
STAFF_ITEMS = [
    (
        "station",
        {
            "division": "330481001004",
            "content": "文苑小区12幢是六层老楼，住着不少七八十岁的老人，希望尽快启动加装电梯，居民签名已过三分之二",
            "category": "加装电梯",
            "details": {"channel": "station_visit", "station_id": "xiashi-station", "deputy_id": "deputy-zhang-wei"},
            "grid_id": "wenyuan-01",
            "contact": CITIZEN,
        },
    ),
    (
        "station",
        {
            "division": "330481001001",
            "content": "东山社区议事会上大家反映：菜场门口早晚高峰电动车乱停，人行道被占，老人孩子只能走机动车道",
            "category": "道路交通",
            "details": {
                "channel": "village_meeting",
                "place": "东山社区文化家园",
                "held_on": "2026-11-18",
                "participants": 26,
            },
        },
    ),
    (
        "station",
        {
            "division": "330481001004",
            "content": "民情法治箱来信：文苑路夜宵摊油烟和噪音影响居民休息，夜里12点后还很吵",
            "category": "环境保护",
            "details": {"channel": "mailbox", "box": "文苑社区 民情法治箱"},
        },
    ),
    (
        "station",
        {
            "division": "330481102",
            "content": "来电反映：长安镇中心小学放学时校门口接送车辆拥堵，希望增设临时停车点和交通协管",
            "category": "道路交通",
            "details": {"channel": "hotline", "operator": "民生365 话务员 07 号"},
            "contact": {"name": "褚先生", "phone": "0573-87081234"},
        },
    ),
    (
        "info_officer",
        {
            "division": "330481102201",
            "content": "辛江村3组的灌溉渠堵塞，下雨后水排不出去，几户人家的菜地被淹",
            "category": "农业农村",
            "details": {
                "channel": "grid_officer",
                "grid_id": "xinjiang-01",
                "officer": "朱晓燕",
                "consent_to_contact": True,
            },
            "grid_id": "xinjiang-01",
            "contact": {"name": "朱大伯", "phone": "15858310027"},
        },
    ),
    (
        "deputy",
        {
            "division": "330481001",
            "content": "走访中多位居民反映硖石街道社区卫生服务站周末不开门，老人配药要跑到市区医院",
            "category": "医疗卫生",
            "details": {"channel": "deputy", "deputy_id": "deputy-li-hong"},
        },
    ),
    (
        "county_system",
        {
            "division": "330481002",
            "content": "12345 转办：海洲街道西山路段窨井盖缺失，夜间存在安全隐患",
            "category": "市政设施",
            "details": {
                "channel": "county_system",
                "system": "海宁市 12345 平台",
                "external_id": "HN12345-2026-118734",
            },
        },
    ),
]
LABELS = {
    "station": "硖石街道人大代表联络站",
    "info_officer": "辛江村网格民情信息员",
    "deputy": "李红代表",
    "county_system": "海宁市 12345 平台",
}


def load_staff_items(client: httpx.Client) -> None:
    """海宁's own category list and a rule on it, then items entered on every staff channel, each with
    the key of the role that uses that channel."""
    client.put(f"/v1/admin/categories/{COUNTY[0]}", json={"names": CATEGORIES}).raise_for_status()
    client.post("/v1/admin/routing-rules", json=CATEGORY_RULE).raise_for_status()
    staff = {role: keyed(client, role, label) for role, label in LABELS.items()}
    try:
        for role, item in STAFF_ITEMS:
            staff[role].post("/v1/opinions", json=item).raise_for_status()
    finally:
        for key in staff.values():
            key.close()


NEAR_DUPLICATES = [
    "文苑路中段有个大坑，电动车经过很危险",
    "文苑路路面坑洼，中间那个坑很深，骑电动车容易摔",
    "文苑路上的坑好久没人补了，晚上骑车差点摔倒",
    "文苑路的路灯晚上不亮",
    "海昌路菜场门口的垃圾桶满了没人清运，臭气熏天",
    "海昌路菜市场旁边垃圾好几天没人收，味道很大",
]


def load_grouping(client: httpx.Client) -> None:
    """Citizens raising the same problems in their own words (合并处置 groups them; 民情热词 counts
    them), submitted as citizens do; waits until routing has their cases, for at most 30 s."""
    from time import monotonic, sleep  # only this loader waits

    codes = []
    for content in NEAR_DUPLICATES:
        answer = client.post(
            "/v1/public/opinions", json={"division": "330481001", "channel": "web", "content": content}
        )
        answer.raise_for_status()
        codes.append(answer.json()["tracking_code"])
    deadline = monotonic() + 30
    while codes and monotonic() < deadline:
        views = [client.get(f"/v1/public/opinions/{code}") for code in codes]
        codes = [
            code
            for code, view in zip(codes, views, strict=True)
            if view.status_code != 200 or view.json()["status"] == "received"
        ]
        sleep(0.2)


# one console user per role (web pages: /console), each with a first password it must change
DEMO_USERS = [
    {"username": "demo.admin", "role": "admin", "scope": COUNTY[0], "label": "海宁市人大 系统管理员"},
    {"username": "demo.station", "role": "station", "scope": "330481001", "label": "硖石街道人大代表联络站 沈晓红"},
    {
        "username": "demo.handler",
        "role": "handler",
        "scope": COUNTY[0],
        "label": "海宁市交通运输局 王建国",
        "unit": "hn-transport",
    },
    {
        "username": "demo.supervisor",
        "role": "supervisor",
        "scope": COUNTY[0],
        "label": "海宁市人大常委会代表工委 督查室",
    },
    {
        "username": "demo.deputy",
        "role": "deputy",
        # a county congress's deputy: their suggestions are county cases
        "scope": COUNTY[0],
        "label": "张伟 代表",
        "deputy_id": "deputy-zhang-wei",  # the lead deputy of the accepted suggestion: evaluates its reply
    },
    {"username": "demo.officer", "role": "info_officer", "scope": "330481001", "label": "文苑社区网格员 周丽"},
    {
        "username": "demo.legislation",
        "role": "legislative_office",
        "scope": COUNTY[0],
        "label": "海宁市人大常委会法工委",
    },
    {"username": "demo.contact", "role": "contact_point", "scope": "330481102", "label": "长安镇基层立法联系点"},
]


def load_users(client: httpx.Client) -> None:
    """The console users, printed with their first passwords (shown once: a user made before is left)."""
    lines = []
    for user in DEMO_USERS:
        answer = client.post("/v1/admin/users", json=user)
        if answer.status_code == 409:
            continue
        answer.raise_for_status()
        lines.append(f"  {user['username']:<18} {answer.json()['first_password']}  {user['role']} {user['scope']}")
    if lines:
        print("演示用户（首次登录须修改密码）/ demo console users (change the password at first sign-in):", flush=True)
        print("\n".join(lines), flush=True)


def present(base_url: str) -> bool:
    """Whether the platform still holds the set's liaison stations (a store in memory forgets them)."""
    answer = httpx.get(f"{base_url}/v1/public/stations", params={"division": COUNTY[0]}, timeout=30)
    answer.raise_for_status()
    return {station["id"] for station in STATIONS} <= {station["id"] for station in answer.json()}
