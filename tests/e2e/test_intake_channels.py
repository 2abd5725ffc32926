"""Every channel end to end over HTTP: staff keys enter items with the channel's own details, the
citizen uses the QR code of a deputy; each item gets its case number, receiver and origin, is routed,
and the contact stays encrypted, masked or erased as the caller may see it."""

import concurrent.futures

import pytest

from tests.conftest import wait_until

CITIZEN = {"name": "陈小明", "phone": "13812345678"}
CHANNELS = {
    "station_visit": ("station", {"station_id": "xiashi-station", "deputy_id": "deputy-zhang-wei"}, "张伟"),
    "village_meeting": (
        "station",
        {"place": "东山社区文化家园", "held_on": "2026-11-20", "participants": 18},
        "硖石街道联络站 工作人员",
    ),
    "mailbox": ("station", {"box": "文苑社区 民情法治箱"}, "硖石街道联络站 工作人员"),
    "hotline": ("station", {"operator": "话务员 07 号"}, "话务员 07 号"),
    "grid_officer": ("info_officer", {"grid_id": "wenyuan-01", "officer": "周丽", "consent_to_contact": True}, "周丽"),
    "deputy": ("deputy", {"deputy_id": "deputy-li-hong"}, "李红"),
    "county_system": (
        "county_system",
        {"system": "海宁市 12345 平台", "external_id": "HN12345-E2E-1"},
        "海宁市 12345 平台",
    ),
}
LABELS = {
    "station": "硖石街道联络站 工作人员",
    "info_officer": "文苑社区网格员",
    "deputy": "李红代表",
    "county_system": "海宁市 12345 平台",
    "supervisor": "海宁市人大常委会 督查室",
}


@pytest.fixture(scope="module")
def keys(platform) -> dict[str, str]:
    with platform.admin() as admin:
        issued = {}
        for role, label in LABELS.items():
            answer = admin.post("/v1/admin/api-keys", json={"role": role, "scope": "330481", "label": label})
            issued[role] = answer.json()["key"]
        return issued


def staff_view(platform, key: str, code: str, status: str = "assigned"):
    with platform.client(key) as client:
        answer = client.get(f"/v1/opinions/{code}")
    return answer.json() if answer.status_code == 200 and answer.json()["status"] == status else None


@pytest.mark.parametrize("channel", list(CHANNELS))
def test_each_staff_channel_end_to_end(platform, keys, channel):
    role, details, receiver = CHANNELS[channel]
    body = {
        "division": "330481001",
        "content": f"东山社区5幢门口的路灯不亮（{channel}）",
        "category": "市政设施",
        "details": {"channel": channel, **details},
        "grid_id": "wenyuan-01",
    }
    if channel != "mailbox":
        body["contact"] = CITIZEN
    with platform.client(keys[role]) as client:
        answer = client.post("/v1/opinions", json=body)
    assert answer.status_code == 201, answer.text
    receipt = answer.json()
    assert receipt["case_number"].startswith("330481-2026-") or receipt["case_number"].startswith("330481-2027-")

    view = wait_until(lambda: staff_view(platform, keys["supervisor"], receipt["tracking_code"]))
    assert view["channel"] == channel and view["case_number"] == receipt["case_number"]
    assert view["receiver"]["name"] == receiver and view["origin"] == {"division": "330481001", "grid_id": "wenyuan-01"}
    given = {name: value for name, value in view["details"].items() if value is not None}
    assert view["entered_by"] == LABELS[role] and given == {"channel": channel, **details}
    assert view["lead_unit"] is not None
    if channel != "mailbox":
        assert view["contact"] == {"name": "陈**", "phone": "138****5678", "masked": True}


def test_a_role_may_not_use_another_roles_channel(platform, keys):
    body = {
        "division": "330481001",
        "content": "路灯不亮",
        "details": {"channel": "deputy", "deputy_id": "deputy-li-hong"},
    }
    with platform.client(keys["station"]) as client:
        answer = client.post("/v1/opinions", json=body)
    assert answer.status_code == 403 and answer.json()["field"] == "details.channel"


def test_references_from_elsewhere_or_deactivated_are_refused_naming_the_field(platform, keys):
    with platform.admin() as admin:
        admin.post(
            "/v1/directory/deputies",
            json={"id": "deputy-leaving", "name": "钱离任", "division": "330481001", "station_ids": ["xiashi-station"]},
        )
        assert admin.patch("/v1/directory/deputies/deputy-leaving", json={"active": False}).status_code == 200
    visit = {"channel": "station_visit", "station_id": "xiashi-station", "deputy_id": "deputy-leaving"}
    with platform.client(keys["station"]) as client:
        refused = client.post("/v1/opinions", json={"division": "330481001", "content": "路灯不亮", "details": visit})
        assert refused.status_code == 422 and refused.json()["field"] == "details.deputy_id"
        other = {**visit, "deputy_id": "deputy-wang-jun"}  # receives at 长安, not 硖石
        refused = client.post("/v1/opinions", json={"division": "330481001", "content": "路灯不亮", "details": other})
        assert refused.status_code == 422 and refused.json()["field"] == "details.deputy_id"
        grid = {"channel": "hotline", "operator": "07"}
        refused = client.post(
            "/v1/opinions", json={"division": "330481001", "content": "路灯不亮", "details": grid, "grid_id": "nowhere"}
        )
        assert refused.status_code == 422 and refused.json()["field"] == "grid_id"


def test_a_citizen_scanning_a_deputys_code_is_received_by_that_deputy(platform):
    body = {
        "division": "330481001",
        "channel": "qr",
        "deputy_id": "deputy-zhang-wei",
        "category": "道路交通",
        "content": "文苑路公交站台的顶棚坏了，下雨天没法等车",
        "contact": CITIZEN,
    }
    with platform.client() as citizen:
        accepted = citizen.post("/v1/public/opinions", json=body)
        assert accepted.status_code == 202, accepted.text
        code = accepted.json()["tracking_code"]
        view = wait_until(lambda: (v := citizen.get(f"/v1/public/opinions/{code}").json()).get("case_number") and v)
        refused = citizen.post("/v1/public/opinions", json={**body, "deputy_id": "deputy-nobody"})
        assert refused.status_code == 422 and refused.json()["field"] == "deputy_id"
        unknown = citizen.post("/v1/public/opinions", json={**body, "category": "无此类别"})
        assert unknown.status_code == 422 and unknown.json()["field"] == "category"
    assert view["receiver"] == {"kind": "deputy", "id": "deputy-zhang-wei", "name": "张伟"}
    assert view["category"] == "道路交通" and "contact" not in view


def test_concurrent_staff_submissions_get_distinct_gap_free_case_numbers(platform, keys):
    def enter(n: int) -> str:
        body = {
            "division": "330481002",
            "content": f"海洲街道第{n}号路灯不亮",
            "details": {"channel": "hotline", "operator": "07"},
        }
        with platform.client(keys["station"]) as client:
            answer = client.post("/v1/opinions", json=body)
        assert answer.status_code == 201, answer.text
        return answer.json()["case_number"]

    with concurrent.futures.ThreadPoolExecutor(max_workers=12) as pool:
        numbers = list(pool.map(enter, range(40)))
    sequences = sorted(int(number.rsplit("-", 1)[1]) for number in numbers)
    assert len(set(numbers)) == 40 and sequences == list(range(sequences[0], sequences[0] + 40))


def test_the_citizen_erases_their_contact_and_the_item_stays(platform, keys):
    body = {"division": "330481001", "channel": "web", "content": "东山社区垃圾清运不及时", "contact": CITIZEN}
    with platform.client() as citizen:
        code = citizen.post("/v1/public/opinions", json=body).json()["tracking_code"]
        wait_until(lambda: citizen.get(f"/v1/public/opinions/{code}").status_code == 200)
        wrong = citizen.post(f"/v1/public/opinions/{code}/erase-contact", json={"phone_last_four": "0000"})
        assert wrong.status_code == 403 and wrong.json()["field"] == "phone_last_four"
        erased = citizen.post(f"/v1/public/opinions/{code}/erase-contact", json={"phone_last_four": "5678"})
        assert erased.status_code == 200 and erased.json() == {"tracking_code": code, "contact_erased": True}
        assert citizen.get(f"/v1/public/opinions/{code}").json()["content"] == "东山社区垃圾清运不及时"
    view = staff_view(platform, keys["station"], code, wait_until(lambda: staff_status(platform, keys, code)))
    assert view["contact"] is None and view["contact_erased"] is True


def staff_status(platform, keys, code):
    with platform.client(keys["station"]) as client:
        return client.get(f"/v1/opinions/{code}").json()["status"]
