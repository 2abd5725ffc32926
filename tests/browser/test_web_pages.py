"""Walks through the pages in a real browser, against the whole platform:
a QR landing → submit with a photo → receipt → track; the station signs in (first password changed),
triages and assigns; the unit signs and replies; the citizen sees the reply. And sign-in's lockout and
CSRF refusal, and the API docs with nothing loaded from elsewhere.

The walk uses a county of its own (海盐县 330424, no routing rules), so that its item waits in the
manual triage queue whatever the demo set's rules send elsewhere.
"""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import county_with_staff
from tests.conftest import wait_until

COUNTY, TOWNSHIP = "330424", "330424001"
DEPUTY = {"id": "hy-deputy-zhang-wei", "name": "张伟", "division": TOWNSHIP, "level": "county"}
STATION = {
    "id": "wuyuan-station",
    "name": "武原街道人大代表联络站",
    "division": TOWNSHIP,
    "address": "武原街道向阳路",
    "reception_day": "每周四 代表接待日",
}
UNIT = {"id": "hy-transport", "name": "海盐县交通运输局", "division": COUNTY}
NEW_PASSWORD = "武原-2026-web-walk"


@pytest.fixture(scope="module")
def county(platform):
    """海盐县 with one station, one deputy, one unit, and a station user and a unit user (first passwords)."""
    return county_with_staff(
        platform,
        {COUNTY: "海盐县", TOWNSHIP: "武原街道"},
        STATION,
        DEPUTY,
        UNIT,
        [
            ("web.station", "station", TOWNSHIP, None),
            ("web.handler", "handler", COUNTY, UNIT["id"]),
            ("web.locked", "station", TOWNSHIP, None),
        ],
    )


def photo_file(tmp_path):
    path = tmp_path / "站台.png"
    image = Image.new("RGB", (64, 48), (166, 27, 27))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return path


def wait_for_status(page, status: str) -> None:
    """Reloads the tracking page until the item reaches `status` (the services work asynchronously)."""

    seen = []

    def reached() -> bool:
        page.reload()
        seen.append(page.locator("main").inner_text())
        return status in seen[-1]

    try:
        wait_until(reached, timeout=60)
    except AssertionError:
        raise AssertionError(f"never {status}; the page says: {seen[-1]}") from None


def sign_in_first_time(page, username: str, first_password: str) -> None:
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码", exact=True).fill(first_password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="修改密码")).to_be_visible()
    page.get_by_label("当前密码").fill(first_password)
    page.get_by_label("新密码", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("再次输入新密码").fill(NEW_PASSWORD)
    page.get_by_role("button", name="保存新密码").click()


def test_a_citizens_item_goes_from_the_qr_code_to_a_reply(visitor_factory, county, look, tmp_path):
    citizen = visitor_factory("phone").page
    citizen.goto(f"/s/{TOWNSHIP}?deputy={DEPUTY['id']}")
    expect(citizen.locator(".receiver-line")).to_have_text("您的意见将由 张伟 代表 接收")
    look(citizen, "01-qr-landing")

    # bad input first: the errors stand beside their fields and what was typed stays
    citizen.get_by_label("手机号码").fill("13812345678")
    citizen.get_by_role("button", name="提交").click()
    expect(citizen.locator("#content-error")).to_have_text("此项必填")
    expect(citizen.locator("#consent-error")).to_contain_text("个人信息处理告知")
    expect(citizen.get_by_label("手机号码")).to_have_value("13812345678")
    look(citizen, "02-submit-errors")

    citizen.get_by_label("问题类别（选填）").select_option("道路交通")
    citizen.get_by_label("反映内容").fill("向阳路公交站台的顶棚被台风吹坏了，下雨天老人孩子等车都淋雨")
    citizen.get_by_label("照片（选填，最多 3 张）").set_input_files(photo_file(tmp_path))
    citizen.get_by_label("称呼").fill("陈小明")
    citizen.get_by_label("我已阅读并同意《个人信息处理告知》").check()
    citizen.get_by_role("button", name="提交").click()
    expect(citizen.get_by_role("heading", name="提交成功")).to_be_visible()
    code = citizen.locator("#tracking-code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    look(citizen, "03-receipt")

    citizen.get_by_role("link", name="查看办理进度").click()
    wait_for_status(citizen, "案件编号")  # routing has the case: it waits in the triage queue
    assert "13812345678" not in citizen.content() and "陈小明" not in citizen.content()
    look(citizen, "04-track-waiting")

    # the station: sign-in (first password changed), back to the queue, assign
    station = visitor_factory("desktop").page
    station.goto("/console/triage")
    expect(station).to_have_url(re.compile(r"/console/sign-in\?next=%2Fconsole%2Ftriage$"))
    look(station, "05-sign-in")
    sign_in_first_time(station, "web.station", county["web.station"])
    expect(station).to_have_url(re.compile(r"/console/triage$"))
    item = station.locator(f"#case-{code}")
    expect(item).to_contain_text("向阳路公交站台的顶棚")
    look(station, "06-triage")
    item.get_by_label("主办单位").select_option(UNIT["id"])
    item.get_by_role("button", name="交办").click()
    expect(station.get_by_role("status")).to_contain_text(f"事项 {code} 已处理")
    expect(station.locator(f"#case-{code}")).to_have_count(0)

    # the unit: signs, then replies
    unit = visitor_factory("desktop").page
    unit.goto("/console/cases")
    sign_in_first_time(unit, "web.handler", county["web.handler"])
    expect(unit).to_have_url(re.compile(r"/console/cases$"))
    case = unit.locator(f"#case-{code}")
    look(unit, "07-unit-inbox")
    case.get_by_role("button", name="签收").click()
    case = unit.locator(f"#case-{code}")
    expect(case).to_contain_text("承办单位已签收")
    case.get_by_label("答复内容").fill("已于本周更换站台顶棚，并安排每月巡查一次。")
    case.get_by_label("结果分类").select_option("A")
    case.get_by_role("button", name="提交答复").click()
    expect(unit.get_by_role("status")).to_contain_text(f"事项 {code} 已处理")
    unit.goto("/console/notifications")
    expect(unit.get_by_role("heading", name="消息")).to_be_visible()
    look(unit, "08-notifications")

    # the citizen sees the unit, the reply and every step
    wait_for_status(citizen, "已答复")
    expect(citizen.locator(".reply")).to_contain_text("已于本周更换站台顶棚")
    expect(citizen.locator(".facts")).to_contain_text("海盐县交通运输局（主办）")
    expect(citizen.locator(".timeline li")).to_have_count(5)  # received, triaged, assigned, accepted, replied
    look(citizen, "09-track-replied")


def test_the_public_schedule_and_home_pages(visitor_factory, look):
    page = visitor_factory("phone").page
    page.goto("/")
    look(page, "10-home")
    page.goto("/receptions?division=330481")
    expect(page.get_by_role("heading", name="代表联络站", exact=True)).to_be_visible()
    expect(page.locator("body")).to_contain_text("硖石街道人大代表联络站")
    look(page, "11-receptions")


def test_sign_in_locks_after_repeated_failures_and_a_form_without_its_token_is_refused(visitor_factory, county, look):
    page = visitor_factory("phone").page
    page.goto("/console/sign-in")
    for _ in range(5):
        page.get_by_label("用户名").fill("web.locked")
        page.get_by_label("密码", exact=True).fill("wrong password")
        page.get_by_role("button", name="登录").click()
        expect(page.locator("#password-error")).to_contain_text("用户名或密码不正确")
    page.get_by_label("用户名").fill("web.locked")
    page.get_by_label("密码", exact=True).fill(county["web.locked"])
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#password-error")).to_contain_text("登录失败次数过多")
    look(page, "12-sign-in-locked")

    page.goto("/console/sign-in")
    page.evaluate("document.querySelector('input[name=csrf_token]').value = 'forged'")
    page.get_by_label("用户名").fill("web.station")
    page.get_by_label("密码", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="页面已过期，请返回重新提交")).to_be_visible()
    assert not [c for c in page.context.cookies() if c["name"] == "rd_session"]


@pytest.mark.parametrize(("path", "ready"), [("/docs", ".swagger-ui .info"), ("/redoc", "redoc .api-info")])
def test_the_api_docs_render_with_nothing_from_elsewhere(visitor_factory, path, ready):
    visitor = visitor_factory("desktop")
    visitor.page.goto(path)
    expect(visitor.page.locator(ready).first).to_contain_text("人大民情平台 gateway", timeout=60000)
    assert visitor.elsewhere == []
