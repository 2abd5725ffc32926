"""A draft law's consultation walked through in a real browser, against the whole platform: the
office pastes a draft (first with a broken numbering, refused with the line shown) and asks a
contact point for comments; a citizen comments on article 3 from the public page; the contact point
records a comment heard at a drum-tower meeting in Dong with its translation, accepts it and
submits; the office sees the aggregate and marks adoption. A contact point asking for the
supervisor's statistics gets a 403 page."""

import re
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from infra.clock import SHANGHAI
from tests.browser.test_web_pages import sign_in_first_time
from tests.conftest import wait_until

OFFICE = {
    "office_id": "web-gx-office",
    "division": "450000",
    "name": "广西壮族自治区人大常委会法工委",
    "level": "provincial",
}
POINT = {"point_id": "web-sanjiang", "division": "451226", "name": "三江侗族自治县基层立法联系点"}
TITLE = "广西壮族自治区传统村落保护条例（草案）"
BROKEN = "第一章 总则\n第一条 为了保护传统村落，制定本条例。\n第三条 本条例适用于本自治区。"
TEXT = """第一章 总则
第一条 为了保护传统村落，传承民族文化，制定本条例。
第二条 本条例适用于本自治区行政区域内传统村落的保护。
第二章 保护措施
第三条 县级人民政府应当组织编制传统村落保护规划，并向社会公开征求意见。
第四条 禁止在鼓楼、风雨桥周边新建与传统风貌不协调的建筑。"""


@pytest.fixture(scope="module")
def consultation(platform):
    """An office, a contact point, and their users (first passwords)."""
    with platform.admin() as admin:
        for code, name in (("450000", "广西壮族自治区"), ("451226", "三江侗族自治县")):
            assert admin.put(f"/v1/admin/divisions/{code}", json={"name": name}).status_code < 300
        assert admin.post("/v1/legislation/offices", json=OFFICE).status_code in (201, 409)
        assert admin.post("/v1/legislation/points", json=POINT).status_code in (201, 409)
        users = {}
        for username, role, scope in [
            ("web.office", "legislative_office", "450000"),
            ("web.point", "contact_point", "451226"),
        ]:
            body = {"username": username, "role": role, "scope": scope, "label": username}
            answer = admin.post("/v1/admin/users", json=body)
            assert answer.status_code == 201, answer.text
            users[username] = answer.json()["first_password"]
    return users


def minute(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def test_a_draft_is_commented_on_submitted_and_its_adoption_marked(visitor_factory, consultation, look):
    now = datetime.now(SHANGHAI)

    # the office pastes the draft: a broken numbering first, refused beside the text with its line
    office = visitor_factory("desktop").page
    office.goto("/console/legislation")
    sign_in_first_time(office, "web.office", consultation["web.office"])
    expect(office).to_have_url(re.compile(r"/console/legislation$"))
    office.get_by_label("立法机关").select_option(OFFICE["office_id"])
    office.get_by_label("草案名称").fill(TITLE)
    office.get_by_label("层级").select_option("provincial")
    office.get_by_label("开始征求意见（北京时间）").fill(minute(now - timedelta(minutes=2)))
    office.get_by_label("截止（北京时间）").fill(minute(now + timedelta(days=30)))
    office.get_by_label("草案全文").fill(BROKEN)
    office.get_by_role("button", name="发布草案").click()
    expect(office.locator("#text-error")).to_contain_text("第 3 行")
    expect(office.locator("#broken-line")).to_contain_text("第三条 本条例适用于本自治区。")
    expect(office.get_by_label("草案名称")).to_have_value(TITLE)
    look(office, "21-draft-refused")
    office.get_by_label("草案全文").fill(TEXT)
    office.get_by_role("button", name="发布草案").click()
    expect(office.get_by_role("status")).to_contain_text("草案已发布")
    draft_id = re.search(r"/console/legislation/drafts/([A-Za-z0-9_-]+)", office.url).group(1)

    # …and asks the contact point for comments
    office.get_by_label("基层立法联系点").select_option(POINT["point_id"])
    office.get_by_label("反馈截止日期").fill((now + timedelta(days=20)).date().isoformat())
    office.get_by_label("重点征询问题（每行一个，选填）").fill("鼓楼周边的建设如何管控？")
    office.get_by_role("button", name="下达征询任务").click()
    expect(office.get_by_role("status")).to_contain_text("征询任务已下达")

    # a citizen comments on article 3 from the public page
    citizen = visitor_factory("phone").page
    citizen.goto("/drafts")
    citizen.get_by_role("link", name=TITLE).click()
    article = citizen.locator("#article-3")
    expect(article).to_contain_text("县级人民政府应当组织编制传统村落保护规划")
    look(citizen, "22-public-draft")
    article.get_by_text("对第三条提意见").click()
    article.get_by_role("button", name="提交对第三条的意见").click()  # nothing written: refused beside the field
    article = citizen.locator("#article-3")
    expect(article.locator("#text-3-error")).to_have_text("此项必填")
    article.get_by_label("修改建议").check()
    article.get_by_label("意见内容").fill("建议规划公开征求意见不少于三十日，并在村里张贴。")
    article.get_by_label("手机号码").fill("13907721234")
    article.get_by_label("我已阅读并同意《个人信息处理告知》").check()
    article.get_by_role("button", name="提交对第三条的意见").click()
    expect(citizen.get_by_role("status")).to_contain_text("已收到您对第三条的意见")
    assert "13907721234" not in citizen.content()
    look(citizen, "23-public-draft-commented")

    # the contact point records a meeting's comment in Dong with its translation, accepts it, submits
    point = visitor_factory("desktop").page
    point.goto("/console/legislation/tasks")
    sign_in_first_time(point, "web.point", consultation["web.point"])
    expect(point).to_have_url(re.compile(r"/console/legislation/tasks$"))
    look(point, "24-point-tasks")
    point.get_by_role("link", name=TITLE).click()
    expect(point.locator("main")).to_contain_text("鼓楼周边的建设如何管控？")
    point.get_by_label("所涉条文").select_option("3")
    point.get_by_label("收集方式").select_option("drum_tower")
    point.get_by_label("地点").fill("程阳八寨鼓楼")
    point.get_by_label("参加人数").fill("23")
    point.get_by_label("原话语种").select_option("kmc")
    point.get_by_label("原话", exact=True).fill("Dah jaengl gul laox, nyenc xaih lis dongc.")
    point.get_by_role("button", name="记录意见").click()
    expect(point.locator("#translation-error")).to_be_visible()  # Dong without its translation: refused
    point.get_by_label("普通话译文（原话非普通话时必填）").fill("鼓楼周边建房要先听寨老和村民的意见。")
    point.get_by_role("button", name="记录意见").click()
    recorded = point.locator("#recorded")
    expect(recorded).to_contain_text("译文：鼓楼周边建房要先听寨老和村民的意见。")
    look(point, "25-point-recorded")
    recorded.get_by_role("button", name="采用").click()
    expect(point.get_by_role("status")).to_contain_text("意见已采用")
    point.get_by_role("button", name="上报已采用的意见").click()
    expect(point.get_by_role("status")).to_contain_text("已上报 1 条意见")

    # the office sees the aggregate of article 3 and marks adoption of the submitted comment
    office.goto(f"/console/legislation/drafts/{draft_id}")

    def counted() -> bool:
        office.reload()
        return "第三条：2 条" in office.locator("#aggregate").inner_text()

    wait_until(counted, timeout=60)
    expect(office.locator("#aggregate svg title").first).to_contain_text("第三条 2 条")
    submitted = office.locator("#feed article", has_text="鼓楼周边建房要先听寨老和村民的意见")
    expect(submitted).to_contain_text("已上报")
    look(office, "26-office-aggregate")
    submitted.get_by_label("部分采纳").check()
    submitted.get_by_label("说明").fill("第四条已增加征求村民意见的程序。")
    submitted.get_by_role("button", name="记录采纳情况").click()
    expect(office.get_by_role("status")).to_contain_text("采纳情况已记录")
    expect(office.locator("#feed article", has_text="鼓楼周边建房要先听寨老和村民的意见")).to_contain_text("部分采纳")

    # a contact point may not see the supervisor's statistics: a 403 page, not a stack trace
    refused = point.goto("/console/supervision/statistics")
    assert refused.status == 403
    expect(point.get_by_role("heading", name="无权访问此页面")).to_be_visible()
    look(point, "27-forbidden")
