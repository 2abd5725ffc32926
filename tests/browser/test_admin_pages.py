"""The administrator's directory and API key pages in a real browser, against the whole platform with
its demo data: 海宁市's townships, stations and deputies are listed with their QR codes, a station is
added (after a refused code, kept as typed) and deactivated, and a key is issued, shown once and
revoked."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_web_pages import sign_in_first_time

DIVISION = "330481"


@pytest.fixture
def admin_user(platform):
    """A new county administrator's user for each test: (username, first password)."""

    def create(username: str) -> tuple[str, str]:
        with platform.admin() as admin:
            body = {"username": username, "role": "admin", "scope": DIVISION, "label": "海宁市人大常委会办公室"}
            user = admin.post("/v1/admin/users", json=body)
            assert user.status_code == 201, user.text
        return username, user.json()["first_password"]

    return create


def test_the_admin_keeps_the_directory(visitor_factory, admin_user, look):
    page = visitor_factory("desktop").page
    page.goto("/console/admin/directory/stations")
    sign_in_first_time(page, *admin_user("web.admin.directory"))
    expect(page).to_have_url(re.compile(r"/console/admin/directory/stations"))
    expect(page.locator("h1")).to_contain_text("名录管理")
    first_qr = page.get_by_role("link", name=re.compile("SVG")).first
    assert page.request.get(first_qr.get_attribute("href")).headers["content-type"].startswith("image/svg+xml")
    look(page, "41-directory-stations")

    page.locator("#create-id").fill("web-test-station")
    page.locator("#create-name").fill("浏览器测试联络站")
    page.locator("#create-division").fill("3304810")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#division-error")).to_be_visible()
    expect(page.locator("#create-name")).to_have_value("浏览器测试联络站")
    look(page, "42-directory-errors")

    page.locator("#create-division").fill("330481001")
    page.get_by_role("button", name="保存").click()
    row = page.locator("tr", has_text="浏览器测试联络站")
    expect(row).to_contain_text("启用中")
    row.get_by_role("button", name=re.compile("^停用")).click()
    expect(page.locator("tr", has_text="浏览器测试联络站")).to_contain_text("已停用")

    for plural, name in [("areas", "43-directory-areas"), ("deputies", "44-directory-deputies")]:
        page.goto(f"/console/admin/directory/{plural}")
        expect(page.locator("table")).to_be_visible()
        look(page, name)


def test_the_admin_issues_a_key_shown_once_and_revokes_it(visitor_factory, platform, admin_user, look):
    page = visitor_factory("desktop").page
    page.goto("/console/admin/api-keys")
    sign_in_first_time(page, *admin_user("web.admin.keys"))
    expect(page.locator("h1")).to_have_text("API 密钥")
    look(page, "45-api-keys")

    page.get_by_label("角色").select_option("supervisor")
    page.locator("#key-label").fill("浏览器测试督查系统")
    page.get_by_role("button", name="签发").click()
    expect(page.locator("h1")).to_contain_text("密钥已签发")
    key = page.get_by_label("密钥").input_value()
    assert key.startswith("rdk_")
    with platform.client(key) as client:
        assert client.get("/v1/supervision/overdue", params={"division": DIVISION}).status_code == 200
    look(page, "46-api-key-issued")

    page.get_by_role("link", name="返回密钥列表").click()
    assert key not in page.content()
    page.get_by_role("button", name="吊销 浏览器测试督查系统").click()
    expect(page.locator("tr", has_text="浏览器测试督查系统")).to_contain_text("已吊销")
    with platform.client(key) as client:
        assert client.get("/v1/supervision/overdue", params={"division": DIVISION}).status_code == 401
