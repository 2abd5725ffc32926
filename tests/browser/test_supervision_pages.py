"""The supervisor's console and the public ledger in a real browser, against the whole platform
with its demo data: the statistics page shows the same counts as the API, with its charts and
export links; the overdue lists, key items, red/black lists and reviews open; the public ledger of
海宁市 pages on."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_web_pages import sign_in_first_time
from tests.conftest import wait_until

DIVISION = "330481"


@pytest.fixture(scope="module")
def supervisor(platform):
    """A supervisor's user (first password) and an API key of the same role and scope."""
    with platform.admin() as admin:
        body = {"username": "web.supervisor", "role": "supervisor", "scope": DIVISION, "label": "海宁市人大督查室"}
        user = admin.post("/v1/admin/users", json=body)
        assert user.status_code == 201, user.text
        key = admin.post("/v1/admin/api-keys", json={"role": "supervisor", "scope": DIVISION, "label": "督查室"})
        assert key.status_code == 201, key.text
    return {"password": user.json()["first_password"], "key": key.json()["key"]}


def test_the_supervisor_opens_statistics_and_sees_the_counts(visitor_factory, platform, supervisor, look):
    page = visitor_factory("desktop").page
    page.goto("/console/supervision/statistics")
    sign_in_first_time(page, "web.supervisor", supervisor["password"])
    expect(page).to_have_url(re.compile(r"/console/supervision/statistics$"))

    def same_as_the_api() -> bool:
        page.reload()
        with platform.client(supervisor["key"]) as client:
            total = client.get("/v1/supervision/statistics", params={"division": DIVISION}).json()["total"]
        shown = {name: page.locator(f'[data-figure="{name}"]').inner_text() for name in ("assigned", "replied")}
        return total["assigned"] > 0 and shown == {"assigned": str(total["assigned"]), "replied": str(total["replied"])}

    wait_until(same_as_the_api, timeout=60)
    expect(page.locator("svg.chart").first).to_be_visible()
    look(page, "31-statistics")
    csv_link = page.get_by_role("link", name="导出 CSV").get_attribute("href")
    exported = page.request.get(csv_link)
    assert exported.status == 200 and exported.headers["content-type"].startswith("text/csv")
    assert "交办" in exported.body().decode("utf-8-sig")

    page.get_by_label("分组").select_option("unit")
    page.get_by_role("button", name="统计").click()
    expect(page.get_by_role("heading", name="按主办单位")).to_be_visible()
    page.get_by_label("开始月份").fill("2026-13")
    page.get_by_role("button", name="统计").click()
    expect(page.locator("#from-error")).to_contain_text("YYYY-MM")
    expect(page.get_by_label("开始月份")).to_have_value("2026-13")

    for path, heading, name in [
        ("/console/supervision", "超期与时间过半", "32-overdue"),
        ("/console/supervision/key-items", "重点督办清单", "33-key-items"),
        ("/console/supervision/rankings", "红黑榜", "34-rankings"),
        ("/console/supervision/ledger-settings", "挂单销号公示设置", "37-ledger-settings"),
        ("/console/supervision/reviews", "回头看", "35-reviews"),
    ]:
        page.goto(path)
        expect(page.locator("h1")).to_contain_text(heading)
        look(page, name)
    expect(page.get_by_role("heading", name="答复承诺解决事项台账", exact=False)).to_be_visible()


def test_the_public_ledger_of_a_division(visitor_factory, look):
    page = visitor_factory("phone").page
    page.goto("/ledger")
    page.get_by_label("行政区划代码").fill("33x")
    page.get_by_role("button", name="查看").click()
    expect(page.locator("#division-error")).to_have_text("行政区划代码应为 6、9 或 12 位数字")
    page.get_by_label("行政区划代码").fill(DIVISION)
    page.get_by_role("button", name="查看").click()
    expect(page.get_by_role("heading", name="交办事项")).to_be_visible()
    look(page, "36-ledger")
    assert not re.search(r"1[3-9]\d{9}", page.locator("main").inner_text())  # never a phone number
