"""Walks the rest of the case's loop in a real browser, against the whole platform: after the station
assigns, the unit signs, records a meeting (三见面) and progress on the case's page and replies; the
citizen opens the evaluation from tracking, is first told what is missing beside the fields, then
proves the item with the last four digits of the phone, rates the reply unsatisfied, and tracking shows
the case reopened (不满意件再办理).

A county of its own (嘉善县 330421, no routing rules), so its item waits in the manual triage queue.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import county_with_staff
from tests.browser.test_web_pages import sign_in_first_time, wait_for_status

COUNTY, TOWNSHIP = "330421", "330421001"
DEPUTY = {"id": "js-deputy-li-na", "name": "李娜", "division": TOWNSHIP, "level": "county"}
STATION = {
    "id": "weitang-station",
    "name": "魏塘街道人大代表联络站",
    "division": TOWNSHIP,
    "address": "魏塘街道解放东路",
    "reception_day": "每周三 代表接待日",
}
UNIT = {"id": "js-housing", "name": "嘉善县住房和城乡建设局", "division": COUNTY}


@pytest.fixture(scope="module")
def jiashan(platform):
    """嘉善县 with a station, a deputy, a unit, and a station user and a unit user (first passwords)."""
    return county_with_staff(
        platform,
        {COUNTY: "嘉善县", TOWNSHIP: "魏塘街道"},
        STATION,
        DEPUTY,
        UNIT,
        [("js.station", "station", TOWNSHIP, None), ("js.handler", "handler", COUNTY, UNIT["id"])],
    )


def test_the_citizen_evaluates_a_reply_as_unsatisfied_and_the_case_reopens(visitor_factory, jiashan, look):
    citizen = visitor_factory("phone").page
    citizen.goto(f"/s/{TOWNSHIP}?deputy={DEPUTY['id']}")
    citizen.get_by_label("反映内容").fill("解放东路人行道地砖松动，雨天踩上去会溅水，老人容易摔倒")
    citizen.get_by_label("手机号码").fill("13912345678")
    citizen.get_by_label("我已阅读并同意《个人信息处理告知》").check()
    citizen.get_by_role("button", name="提交").click()
    code = citizen.locator("#tracking-code").inner_text().strip()
    citizen.get_by_role("link", name="查看办理进度").click()
    wait_for_status(citizen, "案件编号")

    station = visitor_factory("desktop").page
    station.goto("/console/triage")
    sign_in_first_time(station, "js.station", jiashan["js.station"])
    item = station.locator(f"#case-{code}")
    item.get_by_label("主办单位").select_option(UNIT["id"])
    item.get_by_role("button", name="交办").click()
    expect(station.get_by_role("status")).to_contain_text(f"事项 {code} 已处理")

    # the unit signs, then on the case's page records a meeting and progress, then replies
    unit = visitor_factory("desktop").page
    unit.goto("/console/cases")
    sign_in_first_time(unit, "js.handler", jiashan["js.handler"])
    unit.locator(f"#case-{code}").get_by_role("button", name="签收").click()
    unit.locator(f"#case-{code}").get_by_role("link").click()
    expect(unit).to_have_url(re.compile(rf"/console/cases/{code}$"))
    meeting = unit.locator("#action-record-meeting")
    meeting.get_by_label("阶段").select_option("during")
    meeting.get_by_label("见面日期").fill("2026-11-24")
    meeting.get_by_label("见面形式").fill("现场察看")
    meeting.get_by_label("参加人员（每行一位）").fill("住建局 王科长\n李娜代表")
    meeting.get_by_role("button", name="提交三见面").click()
    expect(unit.get_by_role("status")).to_contain_text("已完成：三见面")
    expect(unit.locator(".meetings")).to_contain_text("现场察看")
    progress = unit.locator("#action-record-progress")
    progress.get_by_label("进展情况").fill("已安排施工队，本周内重铺地砖")
    progress.get_by_role("button", name="提交办理进展").click()
    expect(unit.get_by_role("status")).to_contain_text("已完成：办理进展")
    look(unit, "21-unit-case")
    unit.goto("/console/cases")
    case = unit.locator(f"#case-{code}")
    case.get_by_label("答复内容").fill("已重铺解放东路人行道地砖 120 平方米。")
    case.get_by_label("结果分类").select_option("A")
    case.get_by_role("button", name="提交答复").click()
    expect(unit.get_by_role("status")).to_contain_text(f"事项 {code} 已处理")

    # the citizen evaluates: first with nothing chosen, then unsatisfied with the phone's last four digits
    wait_for_status(citizen, "已答复")
    citizen.get_by_role("link", name="评价办理结果").click()
    expect(citizen.get_by_role("heading", name="评价办理结果")).to_be_visible()
    look(citizen, "22-evaluate")
    citizen.get_by_label("意见（选填）").fill("靠近路口的一段仍然松动")
    citizen.get_by_role("button", name="提交评价").click()
    expect(citizen.locator("#rating-error")).to_have_text("此项必填")
    expect(citizen.locator("#phone_last_four-error")).to_have_text("此项必填")
    expect(citizen.get_by_label("意见（选填）")).to_have_value("靠近路口的一段仍然松动")
    look(citizen, "23-evaluate-errors")
    citizen.get_by_label("手机号后四位", exact=True).fill("5678")
    citizen.get_by_label("不满意", exact=True).check()
    citizen.get_by_role("button", name="提交评价").click()
    expect(citizen.get_by_role("status")).to_contain_text("感谢您的评价")
    wait_for_status(citizen, "重新办理")
    expect(citizen.locator(".facts")).to_contain_text("重新办理")
    assert "13912345678" not in citizen.content()
    look(citizen, "24-track-reopened")


def test_the_station_deputy_and_administrator_pages_render_accessibly(visitor_factory, jiashan, platform, look):
    with platform.admin() as admin:
        made = {}
        for username, role, scope, extra in [
            ("js.admin", "admin", COUNTY, {}),
            ("js.deputy", "deputy", TOWNSHIP, {}),
            ("js.station2", "station", TOWNSHIP, {}),
        ]:
            body = {"username": username, "role": role, "scope": scope, "label": username, **extra}
            answer = admin.post("/v1/admin/users", json=body)
            assert answer.status_code == 201, answer.text
            made[username] = answer.json()["first_password"]

    station = visitor_factory("desktop").page
    station.goto("/console/receptions")
    sign_in_first_time(station, "js.station2", made["js.station2"])
    expect(station.get_by_role("heading", name="接待活动")).to_be_visible()
    look(station, "25-station-receptions")
    station.goto("/console/entry")
    station.get_by_label("来源").select_option("hotline")
    station.get_by_label("接听话务员").fill("话务员 07 号")
    station.get_by_role("button", name="录入").click()
    expect(station.locator("#content-error")).to_have_text("此项必填")
    expect(station.get_by_label("接听话务员")).to_have_value("话务员 07 号")
    look(station, "26-station-entry-errors")
    station.get_by_label("反映内容").fill("魏塘街道热线来电：解放东路路灯连续三晚不亮")
    station.get_by_role("button", name="录入").click()
    expect(station.get_by_role("status")).to_contain_text("已录入，查询编号")

    deputy = visitor_factory("phone").page
    deputy.goto("/console/deputy")
    sign_in_first_time(deputy, "js.deputy", made["js.deputy"])
    expect(deputy.get_by_role("heading", name="代表履职")).to_be_visible()
    look(deputy, "27-deputy")

    administrator = visitor_factory("desktop").page
    administrator.goto("/console/admin/users")
    sign_in_first_time(administrator, "js.admin", made["js.admin"])
    expect(administrator.locator("#user-js\\.station2")).to_contain_text("正常")
    look(administrator, "28-admin-users")
    administrator.goto("/console/admin/setup")
    look(administrator, "29-admin-setup")
