"""The station's console pages: reception sessions (listed for the roles the API lets read them,
planned by a station only) and items entered from visits, meetings, the hotline and mailboxes, through
the API's own route, with bad input beside its field and nothing sent."""

import pytest

from contracts.errors import ErrorCode, ServiceError
from contracts.vocabulary import Role
from tests.service.pages_harness import Pages, csrf_of
from tests.service.test_gateway_pages import field_errors, value_of

SESSION = {
    "id": "rcp-20261201-k3p9xt",
    "division": "330481001",
    "station": {"id": "xiashi-station", "name": "硖石街道人大代表联络站"},
    "starts_at": "2026-12-01T01:00:00Z",
    "ends_at": "2026-12-01T03:30:00Z",
    "theme": "老旧小区加装电梯专题接待",
    "place": None,
    "deputies": [{"id": "deputy-zhang-wei", "name": "张伟"}],
    "officials": [],
    "status": "announced",
    "items_received": 2,
    "created_at": "2026-11-20T01:00:00Z",
    "created_by": "xiashi",
    "version": 2,
}
STATION = {
    "id": "xiashi-station",
    "name": "硖石街道人大代表联络站",
    "division": "330481001",
    "address": "",
    "reception_day": "",
    "deputies": ["张伟"],
}
DEPUTY = {"id": "deputy-zhang-wei", "name": "张伟", "division": "330481001", "station_ids": ["xiashi-station"]}
PLAN = {
    "station_id": "xiashi-station",
    "starts_at": "2026-12-08T09:00",
    "ends_at": "2026-12-08T11:30",
    "deputy_ids": "deputy-zhang-wei",
    "theme": "加装电梯",
}


@pytest.fixture
def pages():
    pages = Pages()
    pages.broker.answers.update(
        {
            ("intake", "receptions"): lambda kw: {"items": [SESSION], "next": None},
            ("intake", "stations"): lambda kw: {"items": [STATION], "next": None},
            ("intake", "directory_entries"): lambda kw: {"items": [DEPUTY], "next": None},
            ("intake", "create_reception"): lambda kw: {**SESSION, "status": "draft", "version": 1},
            ("intake", "submit_staff_opinion"): lambda kw: {
                "tracking_code": kw["command"]["tracking_code"],
                "case_number": None,
                "status": "received",
                "status_url": "/v1/public/opinions/x",
            },
        }
    )
    return pages


def station(pages):
    return pages.signed_in("xiashi", Role.STATION, "330481001")


def test_the_station_sees_its_divisions_sessions(pages):
    page = station(pages).get("/console/receptions")
    assert page.status_code == 200
    assert "老旧小区加装电梯专题接待" in page.text and "已公告" in page.text and "2026-12-01 09:00" in page.text
    assert pages.calls("receptions")[-1]["division_prefix"] == "330481001"
    assert 'action="/console/receptions"' in page.text


def test_the_station_plans_a_session_in_beijing_time_as_its_actor(pages):
    browser = station(pages)
    token = csrf_of(browser.get("/console/receptions").text)
    created = browser.post("/console/receptions", data={**PLAN, "csrf_token": token})
    assert created.status_code == 201 and "已创建接待活动" in created.text
    call = pages.calls("create_reception")[-1]
    assert call["reception"]["starts_at"].startswith("2026-12-08T01:00:00")  # 09:00 in Beijing
    assert call["reception"]["deputy_ids"] == ["deputy-zhang-wei"]
    assert call["actor"]["role"] == "station" and call["actor"]["scope"] == "330481001"


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"ends_at": "2026-12-08T08:00"}, {"ends_at": "结束时间应晚于开始时间 (ends_at must be after starts_at)"}),
        ({"deputy_ids": ""}, {"deputy_ids": "此项必填"}),
        ({"starts_at": "明天上午"}, {"starts_at": "填写不正确"}),
    ],
)
def test_a_bad_session_is_shown_beside_its_field_and_nothing_is_planned(pages, change, errors):
    browser = station(pages)
    token = csrf_of(browser.get("/console/receptions").text)
    refused = browser.post("/console/receptions", data={**PLAN, **change, "csrf_token": token})
    assert refused.status_code == 422
    shown = field_errors(refused.text)
    assert set(shown) == set(errors) and all(shown[k].startswith(v) for k, v in errors.items()), shown
    assert value_of(refused.text, "theme") == "加装电梯"
    assert pages.calls("create_reception") == []


def test_a_station_outside_its_scope_is_refused_by_intake_and_says_so(pages):
    def refuse(kwargs):
        raise ServiceError(ErrorCode.FORBIDDEN, "联络站不在管辖范围内", "station_id")

    pages.broker.answers[("intake", "create_reception")] = refuse
    browser = station(pages)
    token = csrf_of(browser.get("/console/receptions").text)
    refused = browser.post("/console/receptions", data={**PLAN, "csrf_token": token})
    assert refused.status_code == 422 and "联络站不在管辖范围内" in field_errors(refused.text)["station_id"]


@pytest.mark.parametrize(
    ("role", "reads", "plans", "enters"),
    [
        (Role.STATION, True, True, True),
        (Role.SUPERVISOR, True, False, False),
        (Role.DEPUTY, True, False, False),
        (Role.HANDLER, False, False, False),
        (Role.INFO_OFFICER, False, False, False),
        (Role.ADMIN, True, True, None),  # an administrator passes every role rule; no channel is its own
    ],
)
def test_each_role_sees_and_does_only_what_the_api_lets_it(pages, role, reads, plans, enters):
    unit = "hn-transport" if role is Role.HANDLER else None
    browser = pages.signed_in(role.value, role, "330481001" if role is not Role.ADMIN else "", unit=unit)
    listing = browser.get("/console/receptions")
    assert listing.status_code == (200 if reads else 403)
    token = csrf_of(browser.get("/console/password").text)
    planned = browser.post("/console/receptions", data={**PLAN, "csrf_token": token})
    assert planned.status_code == (201 if plans else 403)
    assert browser.get("/console/entry").status_code == (403 if enters is False else 200)
    entered = browser.post(
        "/console/entry", data={"channel": "hotline", "content": "路灯不亮", "operator": "07", "csrf_token": token}
    )
    assert entered.status_code == {True: 201, False: 403, None: 422}[enters]
    assert len(pages.calls("create_reception")) == int(plans)
    assert len(pages.calls("submit_staff_opinion")) == int(enters is True)


@pytest.mark.parametrize(
    ("fields", "details"),
    [
        (
            {
                "channel": "station_visit",
                "station_id": "xiashi-station",
                "deputy_id": "deputy-zhang-wei",
                "operator": "x",
            },
            {"channel": "station_visit", "station_id": "xiashi-station", "deputy_id": "deputy-zhang-wei"},
        ),
        (
            {"channel": "village_meeting", "place": "联丰村文化礼堂", "held_on": "2026-11-20", "participants": "35"},
            {"channel": "village_meeting", "place": "联丰村文化礼堂", "held_on": "2026-11-20", "participants": 35},
        ),
        ({"channel": "hotline", "operator": "话务员 07 号"}, {"channel": "hotline", "operator": "话务员 07 号"}),
        ({"channel": "mailbox", "box": "文苑社区 民情箱"}, {"channel": "mailbox", "box": "文苑社区 民情箱"}),
    ],
)
def test_the_station_enters_an_item_of_each_channel_with_its_details(pages, fields, details):
    browser = station(pages)
    token = csrf_of(browser.get("/console/entry").text)
    form = {"content": "文苑社区3幢楼道灯坏了", "contact_phone": "13812345678", "csrf_token": token, **fields}
    entered = browser.post("/console/entry", data=form)
    assert entered.status_code == 201 and "已录入，查询编号" in entered.text
    command = pages.calls("submit_staff_opinion")[-1]["command"]
    assert command["channel"] == fields["channel"] and command["division"] == "330481001"
    assert {k: v for k, v in command["details"].items() if v is not None} == details
    assert "13812345678" not in str(command)  # sealed, as the API seals it


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"channel": "hotline", "operator": "", "content": "路灯不亮"}, {"operator": "此项必填"}),
        ({"channel": "hotline", "operator": "07", "content": ""}, {"content": "此项必填"}),
        (
            {
                "channel": "village_meeting",
                "place": "礼堂",
                "held_on": "上周",
                "participants": "很多",
                "content": "x路",
            },
            {"held_on": "请填写日期", "participants": "请填写数字"},
        ),
        ({"channel": "grid_officer", "content": "路灯不亮"}, {"channel": "请从列表中选择"}),
    ],
)
def test_a_bad_entry_is_shown_beside_its_field_and_nothing_is_entered(pages, fields, errors):
    browser = station(pages)
    token = csrf_of(browser.get("/console/entry").text)
    refused = browser.post("/console/entry", data={**fields, "csrf_token": token})
    assert refused.status_code == 422
    shown = field_errors(refused.text)
    assert set(shown) == set(errors), shown
    assert all(shown[name].startswith(message[:4]) for name, message in errors.items()), shown
    assert pages.calls("submit_staff_opinion") == []
