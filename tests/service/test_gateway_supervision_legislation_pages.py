"""The pages of supervision and legislation on their own, the services answering from memory: the
public ledger and draft pages, the supervisor's and the legislative office's and the contact
point's console, each under the API's role and scope rules, with forms whose refusals stand beside
their fields and change nothing."""

import re
from html import unescape

import pytest

from contracts.errors import ErrorCode, ServiceError
from contracts.vocabulary import Role
from gateway.clients import LegislationClient, SupervisionClient
from tests.service.pages_harness import Pages, csrf_of

DRAFT_ID = "01KAR2V7Q8M3XN5D4T6B9C0E1F"
TASK_ID = f"{DRAFT_ID}-sanjiang"
ARTICLES = [
    {"number": 1, "chapter": "第一章 总则", "section": None, "text": "为了促进乡村旅游，制定本条例。"},
    {"number": 2, "chapter": "第一章 总则", "section": None, "text": "本条例适用于本县行政区域。"},
    {"number": 3, "chapter": "第二章 规划", "section": None, "text": "县人民政府应当编制乡村旅游发展规划。"},
]
DRAFT = {
    "draft_id": DRAFT_ID,
    "division": "451226",
    "office_id": "sj-fgw",
    "title": "三江侗族自治县乡村旅游促进条例（草案）",
    "level": "municipal",
    "version": "征求意见稿",
    "explanation": "",
    "articles": ARTICLES,
    "opens_at": "2026-11-20T09:00:00+08:00",
    "closes_at": "2026-12-20T17:00:00+08:00",
    "status": "open",
    "comment_counts": {
        "draft_id": DRAFT_ID,
        "comments": 5,
        "participants": 31,
        "articles": [{"article": 3, "comments": 4, "participants": 30}],
    },
}
SUMMARY = {k: v for k, v in DRAFT.items() if k not in ("articles", "explanation", "comment_counts")} | {
    "article_count": 3,
    "comments": 5,
    "participants": 31,
}
LEDGER_ENTRY = {
    "tracking_code": "7K3P-9XTA-2MQD",
    "case_number": "330481-2026-000123",
    "category": "道路交通",
    "division": "330481001",
    "township": "330481001",
    "unit": "海宁市交通运输局",
    "status": "replied",
    "assigned_on": "2026-11-02",
    "due_date": "2026-11-30",
    "replied_on": "2026-11-20",
    "rating": "satisfied",
}
RATE = {"numerator": 3, "denominator": 4, "percent": 75.0}
ROW = {
    "key": "330481001",
    "label": "硖石街道",
    "assigned": 4,
    "replied": 3,
    "met": 1,
    "completed": 2,
    "resolved": 2,
    "on_time": 3,
    "evaluated": 2,
    "satisfied": 1,
    "basically_satisfied": 0,
    "unsatisfied": 1,
    "overdue": 1,
    "returned": 0,
    "reopened": 1,
    "classes": {},
    **{
        name: RATE
        for name in (
            "reply_rate",
            "face_to_face_rate",
            "satisfaction_rate",
            "completion_rate",
            "resolution_rate",
            "on_time_rate",
            "overdue_rate",
        )
    },
    "class_shares": {},
}
STATISTICS = {
    "division": "330481",
    "from": "2026-01",
    "to": "2026-11",
    "by": "division",
    "as_of": "2026-11-24",
    "total": {**ROW, "key": "330481", "label": "合计", "assigned": 17},
    "rows": [ROW],
}
OVERDUE = {
    "case_id": "7K3P-9XTA-2MQD",
    "case_number": "330481-2026-000123",
    "division": "330481001",
    "category": "道路交通",
    "lead_unit": {"id": "hn-transport", "name": "海宁市交通运输局"},
    "assigned_at": "2026-11-02T02:00:00Z",
    "due_date": "2026-11-20",
    "days_overdue": 4,
    "status": "accepted",
    "notices": {},
    "reminders": [],
}
TASK = {
    "task_id": TASK_ID,
    "draft_id": DRAFT_ID,
    "draft_title": DRAFT["title"],
    "office_id": "sj-fgw",
    "point_id": "sanjiang",
    "division": "451226",
    "due_date": "2026-12-15",
    "focus_questions": ["鼓楼周边建设如何管控？"],
    "note": "",
    "forwarded_from": None,
    "assigned_at": "2026-11-21T09:00:00+08:00",
    "chain": [{"task_id": TASK_ID, "point_id": "sanjiang", "name": "三江县基层立法联系点", "division": "451226"}],
    "forwards": [],
}
POINT = {
    "point_id": "sanjiang",
    "division": "451226",
    "name": "三江县基层立法联系点",
    "address": "古宜镇",
    "partners": [],
    "active": True,
}
COMMENT = {
    "comment_id": "01jd3y0q9z8x7w6v5t4s3r2q1p",
    "draft_id": DRAFT_ID,
    "division": "451226",
    "point_id": "sanjiang",
    "task_id": TASK_ID,
    "channel": "drum_tower",
    "articles": [3],
    "stance": "amend",
    "text": "Gul laox yangc…",
    "language": "kmc",
    "translation": "希望保留鼓楼周边的老榕树。",
    "edited": None,
    "meeting": {"held_on": "2026-11-22", "place": "程阳八寨鼓楼", "participants": 23},
    "participants": 23,
    "status": "submitted",
    "merged_into": None,
    "duplicates": [],
    "reject_reason": None,
    "submission_id": "01sub",
    "adoption": None,
    "has_contact": False,
    "received_at": "2026-11-22T03:00:00Z",
    "seq": 2,
    "version": 2,
}
TALLY = {"comments": 5, "participants": 31, "by_division": {}, "by_point": {}, "by_channel": {}, "by_stance": {}}
AGGREGATE = {
    "draft_id": DRAFT_ID,
    "title": DRAFT["title"],
    "totals": {**TALLY, "by_stance": {"amend": 4, "none": 1}},
    "articles": [
        {
            **TALLY,
            "comments": 4,
            "participants": 30,
            "by_channel": {"drum_tower": 1, "online": 3},
            "article": 3,
            "themes": [{"term": "鼓楼", "count": 2}],
            "representatives": [],
        }
    ],
}
FIGURES = {
    "scope": f"draft:{DRAFT_ID}",
    "submitted": 1,
    "adopted": 0,
    "fully_adopted": 0,
    "partly_adopted": 0,
    "not_adopted": 0,
    "undecided": 1,
    "rate": 0.0,
}
DIRECTORY = {
    "division": "451226",
    "offices": [
        {
            "office_id": "sj-fgw",
            "division": "451226",
            "name": "三江县人大常委会法工委",
            "level": "municipal",
            "active": True,
        }
    ],
    "points": [POINT],
    "officers": [],
    "collection_points": [],
}


@pytest.fixture
def pages():
    harness = Pages()
    harness.broker.answers.update(
        {
            ("supervision", "public_ledger"): lambda kw: {"items": [LEDGER_ENTRY], "next": "bmV4dA"},
            ("supervision", "statistics"): lambda kw: STATISTICS,
            ("supervision", "overdue_cases"): lambda kw: {"items": [OVERDUE], "next": None},
            ("supervision", "half_time_cases"): lambda kw: {"items": [], "next": None},
            ("supervision", "record_reminder"): lambda kw: {
                "reminder_id": "r1",
                "method": "phone",
                "by": "督查室",
                "at": "2026-11-24T02:00:00Z",
            },
            ("supervision", "key_items"): lambda kw: {"items": [], "next": None},
            ("supervision", "reviews"): lambda kw: {"items": [], "next": None},
            ("legislation", "public_drafts"): lambda kw: {"items": [SUMMARY], "next": None},
            ("legislation", "public_draft"): lambda kw: DRAFT,
            ("legislation", "submit_public_comment"): lambda kw: {
                "comment_id": "01c",
                "draft_id": DRAFT_ID,
                "articles": kw["comment"]["articles"],
                "received_at": "2026-11-24T02:00:00Z",
            },
            ("legislation", "drafts"): lambda kw: {"items": [SUMMARY], "next": None},
            ("legislation", "draft"): lambda kw: DRAFT,
            ("legislation", "legislative_directory"): lambda kw: DIRECTORY,
            ("legislation", "comment_aggregates"): lambda kw: AGGREGATE,
            ("legislation", "comment_feed"): lambda kw: {"items": [COMMENT], "cursor": "c", "more": False},
            ("legislation", "tasks"): lambda kw: {"items": [TASK], "next": None},
            ("legislation", "task"): lambda kw: TASK,
            ("legislation", "contact_point"): lambda kw: POINT,
            ("legislation", "adoption_figures"): lambda kw: FIGURES,
            ("legislation", "comment"): lambda kw: {**COMMENT, "status": "received", "submission_id": None},
            ("legislation", "point_comments"): lambda kw: [COMMENT],
            ("legislation", "decide_adoption"): lambda kw: {
                **COMMENT,
                "adoption": {**kw["decision"], "decided_at": "2026-11-24T02:00:00Z", "decided_by": "法工委"},
            },
        }
    )
    harness.app.state.platform.supervision = SupervisionClient(harness.broker)
    harness.app.state.platform.legislation = LegislationClient(harness.broker)
    return harness


def field_errors(html: str) -> dict[str, str]:
    return {name: unescape(text) for name, text in re.findall(r'id="([\w.-]+)-error" role="alert">([^<]*)<', html)}


# ---- the public portal


def test_the_public_ledger_shows_a_page_of_entries_and_a_link_to_the_next(pages):
    answer = pages.browser().get("/ledger?division=330481")
    assert answer.status_code == 200
    assert "330481-2026-000123" in answer.text and "海宁市交通运输局" in answer.text and "满意" in answer.text
    assert 'href="/ledger?division=330481&amp;after=bmV4dA"' in answer.text
    assert pages.calls("public_ledger")[-1] | {} == {"division_prefix": "330481", "limit": 20, "after": None}
    pages.browser().get("/ledger?division=330481&after=bmV4dA")
    assert pages.calls("public_ledger")[-1]["after"] == "bmV4dA"


def test_a_bad_division_on_the_ledger_is_shown_beside_its_field(pages):
    answer = pages.browser().get("/ledger?division=33x")
    assert answer.status_code == 422
    assert field_errors(answer.text)["division"] == "行政区划代码应为 6、9 或 12 位数字"
    assert pages.calls("public_ledger") == []


def test_an_open_draft_shows_its_articles_their_counts_and_a_form_under_each(pages):
    answer = pages.browser().get(f"/drafts/{DRAFT_ID}")
    assert answer.status_code == 200
    html = answer.text
    assert "第三条" in html and "县人民政府应当编制乡村旅游发展规划。" in html
    assert re.search(r'data-article-counts="3">意见条数 4 · 参与人数 30', html)
    assert re.search(r'data-article-counts="1">意见条数 0 · 参与人数 0', html)
    assert html.count('name="article" value=') == 4  # each article and the draft as a whole
    assert "个人信息处理告知" in html


def test_a_citizen_comments_on_article_3_with_a_contact_sealed_before_it_travels(pages):
    browser = pages.browser()
    page = browser.get(f"/drafts/{DRAFT_ID}?point=sanjiang")
    form = {
        "csrf_token": csrf_of(page.text),
        "article": "3",
        "stance": "amend",
        "text": "建议写明规划公开征求意见的期限",
        "contact_name": "陈小明",
        "contact_phone": "13812345678",
        "consent": "yes",
    }
    answer = browser.post(f"/drafts/{DRAFT_ID}/comments?point=sanjiang", data=form)
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/drafts/{DRAFT_ID}?point=sanjiang&commented=3#article-3"
    sent = pages.calls("submit_public_comment")[-1]["comment"]
    assert sent["articles"] == [3] and sent["stance"] == "amend" and sent["point_id"] == "sanjiang"
    assert "13812345678" not in str(sent) and "陈小明" not in str(sent) and sent["contact"]["ciphertext"]
    assert "已收到您对第三条的意见" in browser.get(answer.headers["location"]).text


def test_a_bad_comment_is_refused_beside_its_fields_keeping_what_was_typed(pages):
    browser = pages.browser()
    page = browser.get(f"/drafts/{DRAFT_ID}")
    form = {"csrf_token": csrf_of(page.text), "article": "3", "text": "", "contact_phone": "13812345678"}
    answer = browser.post(f"/drafts/{DRAFT_ID}/comments", data=form)
    assert answer.status_code == 422
    errors = field_errors(answer.text)
    assert errors["text-3"] == "此项必填"
    assert "个人信息处理告知" in errors["consent-3"]
    assert 'id="contact_phone-3" name="contact_phone"' in answer.text and 'value="13812345678"' in answer.text
    assert pages.calls("submit_public_comment") == []


def test_a_comment_on_a_closed_draft_shows_the_services_refusal(pages):
    browser = pages.browser()
    page = browser.get(f"/drafts/{DRAFT_ID}")
    pages.broker.answers[("legislation", "submit_public_comment")] = lambda kw: (_ for _ in ()).throw(
        ServiceError(ErrorCode.CONFLICT, "草案已截止征求意见 (closed)", "draft_id")
    )
    form = {"csrf_token": csrf_of(page.text), "article": "2", "text": "同意"}
    answer = browser.post(f"/drafts/{DRAFT_ID}/comments", data=form)
    assert answer.status_code == 422 and "草案已截止征求意见" in answer.text


def test_a_comment_without_its_csrf_token_is_refused(pages):
    answer = pages.browser().post(f"/drafts/{DRAFT_ID}/comments", data={"article": "3", "text": "同意"})
    assert answer.status_code == 403 and pages.calls("submit_public_comment") == []


# ---- the supervisor


def test_the_statistics_page_shows_the_counts_charts_and_export_links(pages):
    browser = pages.signed_in("hn.supervisor", Role.SUPERVISOR, "330481")
    answer = browser.get("/console/supervision/statistics")
    assert answer.status_code == 200
    assert re.search(r'data-figure="assigned">17<', answer.text)
    assert answer.text.count('<svg class="chart" role="img"') == 4
    assert "交办件数：硖石街道 4 件" in answer.text
    csv_link = unescape(re.search(r'href="([^"]+format=csv)"', answer.text).group(1))
    exported = browser.get(csv_link)
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    assert "硖石街道" in exported.content.decode("utf-8-sig")


def test_a_bad_month_on_the_statistics_page_is_shown_beside_its_field(pages):
    browser = pages.signed_in("hn.supervisor", Role.SUPERVISOR, "330481")
    answer = browser.get("/console/supervision/statistics?from=2026-13")
    assert answer.status_code == 422 and "from" in field_errors(answer.text)
    assert pages.calls("statistics") == []


def test_a_supervisor_records_a_reminder_and_a_bad_one_changes_nothing(pages):
    browser = pages.signed_in("hn.supervisor", Role.SUPERVISOR, "330481")
    page = browser.get("/console/supervision")
    assert "超期 4 天" in page.text
    url = "/console/supervision/cases/7K3P-9XTA-2MQD/reminders?division=330481"
    refused = browser.post(url, data={"csrf_token": csrf_of(page.text), "method": "fax", "note": "已联系"})
    assert refused.status_code == 422 and field_errors(refused.text)["method-7K3P-9XTA-2MQD"] == "请从列表中选择"
    assert 'value="已联系"' in refused.text and pages.calls("record_reminder") == []
    done = browser.post(url, data={"csrf_token": csrf_of(page.text), "method": "phone", "note": "已联系"})
    assert done.status_code == 303
    assert pages.calls("record_reminder")[-1]["reminder"] == {"method": "phone", "note": "已联系"}


# ---- the legislative office and the contact point


def test_a_draft_whose_numbering_breaks_is_refused_with_the_line_shown(pages):
    browser = pages.signed_in("sj.office", Role.LEGISLATIVE_OFFICE, "451226")
    page = browser.get("/console/legislation")
    pages.broker.answers[("legislation", "create_draft")] = lambda kw: (_ for _ in ()).throw(
        ServiceError(ErrorCode.INVALID, "草案文本无法解析 (the text cannot be parsed)：第 3 行：应为第二条", "text")
    )
    text = "第一章 总则\n第一条 为了促进乡村旅游，制定本条例。\n第三条 本条例适用于本县。"
    form = {
        "csrf_token": csrf_of(page.text),
        "office_id": "sj-fgw",
        "title": "三江侗族自治县乡村旅游促进条例（草案）",
        "level": "municipal",
        "version": "征求意见稿",
        "opens_at": "2026-11-20T09:00",
        "closes_at": "2026-12-20T17:00",
        "text": text,
    }
    answer = browser.post("/console/legislation/drafts", data=form)
    assert answer.status_code == 422
    assert "应为第二条" in field_errors(answer.text)["text"]
    assert "第 3 行：<code>第三条 本条例适用于本县。</code>" in answer.text
    assert f">{text}</textarea>" in answer.text


def test_the_office_sees_the_aggregate_and_marks_adoption(pages):
    browser = pages.signed_in("sj.office", Role.LEGISLATIVE_OFFICE, "451226")
    page = browser.get(f"/console/legislation/drafts/{DRAFT_ID}")
    assert page.status_code == 200
    assert "第三条：4 条，30 人" in page.text and "各条意见条数：第三条 4 条 / 30 人" in page.text
    assert f"/console/legislation/drafts/{DRAFT_ID}/report.pdf" in page.text
    url = f"/console/legislation/comments/{COMMENT['comment_id']}/adoption"
    form = {"csrf_token": csrf_of(page.text), "draft_id": DRAFT_ID, "decision": "partly_adopted", "reason": ""}
    refused = browser.post(url, data=form)
    assert refused.status_code == 422 and pages.calls("decide_adoption") == []
    assert field_errors(refused.text)[f"reason-{COMMENT['comment_id']}"] == "此项必填"
    done = browser.post(url, data={**form, "reason": "第三条已增加规划公开的期限"})
    assert done.status_code == 303
    assert pages.calls("decide_adoption")[-1]["decision"] == {
        "decision": "partly_adopted",
        "reason": "第三条已增加规划公开的期限",
    }


def test_a_contact_point_records_a_bilingual_comment_and_a_missing_translation_is_refused(pages):
    browser = pages.signed_in("sj.point", Role.CONTACT_POINT, "451226")
    page = browser.get(f"/console/legislation/tasks/{TASK_ID}")
    assert page.status_code == 200 and "鼓楼周边建设如何管控？" in page.text
    pages.broker.answers[("legislation", "record_offline_comment")] = lambda kw: COMMENT
    form = {
        "csrf_token": csrf_of(page.text),
        "article": "3",
        "channel": "drum_tower",
        "held_on": "2026-11-22",
        "place": "程阳八寨鼓楼",
        "participants": "23",
        "language": "kmc",
        "text": "Gul laox yangc…",
        "translation": "",
    }
    url = f"/console/legislation/tasks/{TASK_ID}/comments"
    refused = browser.post(url, data=form)
    assert refused.status_code == 422 and "translation" in field_errors(refused.text)
    assert pages.calls("record_offline_comment") == []
    done = browser.post(url, data={**form, "translation": "希望保留鼓楼周边的老榕树。"})
    assert done.status_code == 303
    sent = pages.calls("record_offline_comment")[-1]["comment"]
    assert sent["articles"] == [3] and sent["task_id"] == TASK_ID and sent["point_id"] == "sanjiang"
    assert sent["meeting"] == {"held_on": "2026-11-22", "place": "程阳八寨鼓楼", "participants": 23}
    shown = browser.get(done.headers["location"])
    assert "原话：Gul laox yangc…" in shown.text and "译文：希望保留鼓楼周边的老榕树。" in shown.text


# ---- who may see what


CONSOLE_PAGES = [
    ("/console/supervision", {Role.SUPERVISOR}),
    ("/console/supervision/statistics", {Role.SUPERVISOR}),
    ("/console/supervision/rankings", {Role.SUPERVISOR}),
    ("/console/supervision/key-items", {Role.SUPERVISOR}),
    ("/console/supervision/reviews", {Role.SUPERVISOR}),
    (f"/console/legislation/drafts/{DRAFT_ID}", {Role.LEGISLATIVE_OFFICE}),
    ("/console/legislation", {Role.LEGISLATIVE_OFFICE, Role.CONTACT_POINT, Role.INFO_OFFICER}),
    ("/console/legislation/tasks", {Role.LEGISLATIVE_OFFICE, Role.CONTACT_POINT, Role.INFO_OFFICER}),
]
STAFF = [role for role in Role if role not in (Role.CITIZEN, Role.COUNTY_SYSTEM)]


@pytest.mark.parametrize(("url", "roles"), CONSOLE_PAGES, ids=[page[0] for page in CONSOLE_PAGES])
def test_each_role_sees_only_its_pages(pages, url, roles):
    pages.broker.answers[("supervision", "rankings")] = lambda kw: (_ for _ in ()).throw(
        ServiceError(ErrorCode.NOT_FOUND, "no rankings here")
    )
    for index, role in enumerate(STAFF):
        browser = pages.signed_in(f"user{index}.{role.value.replace('_', '')}", role, "330481")
        answer = browser.get(url)
        allowed = role in roles or role is Role.ADMIN
        if allowed:
            assert answer.status_code in (200, 404), (role, answer.status_code)
        else:
            assert answer.status_code == 403, (role, answer.status_code)
            assert "无权访问此页面" in answer.text and "Traceback" not in answer.text


def test_a_supervisor_outside_the_division_asked_gets_a_403_page(pages):
    browser = pages.signed_in("hn.supervisor", Role.SUPERVISOR, "330481")
    answer = browser.get("/console/supervision/statistics?division=330482")
    assert answer.status_code == 403 and "超出管辖范围" in answer.text
    assert pages.calls("statistics") == []


def test_a_supervisor_decides_an_extension_and_a_missing_case_number_changes_nothing(pages):
    browser = pages.signed_in("hn.supervisor", Role.SUPERVISOR, "330481")
    page = browser.get("/console/supervision")
    form = {"csrf_token": csrf_of(page.text), "case_id": "", "approve": "true", "note": "同意顺延"}
    refused = browser.post("/console/supervision/extensions", data=form)
    assert refused.status_code == 422 and field_errors(refused.text)["extension-case"].startswith("请填写事项编号")
    assert 'value="同意顺延"' in refused.text and pages.calls("act_on_case") == []
    done = browser.post("/console/supervision/extensions", data={**form, "case_id": "7k3p-9xta-2mqd"})
    assert done.status_code == 303
    call = pages.calls("act_on_case")[-1]
    assert call["case_id"] == "7K3P-9XTA-2MQD" and call["action"] == "decide-extension"
    assert call["command"] | {} == {"approve": True, "note": "同意顺延", "expected_version": None}


def test_the_office_accepts_and_submits_a_comment_sent_online_with_no_point(pages):
    online = {**COMMENT, "comment_id": "01online", "point_id": None, "task_id": None, "channel": "online"}
    online |= {"status": "received", "submission_id": None, "language": "zh", "translation": None, "meeting": None}
    pages.broker.answers[("legislation", "comment_feed")] = lambda kw: {"items": [online], "cursor": "c", "more": False}
    pages.broker.answers[("legislation", "review_comment")] = lambda kw: {**online, "status": "accepted"}
    pages.broker.answers[("legislation", "submit_comments")] = lambda kw: {
        "submission_id": "01sub",
        "draft_id": DRAFT_ID,
        "division": "451226",
        "point_id": None,
        "comment_ids": ["01online"],
        "note": "",
        "submitted_at": "2026-11-24T02:00:00Z",
        "submitted_by": "法工委",
    }
    browser = pages.signed_in("sj.office", Role.LEGISLATIVE_OFFICE, "451226")
    page = browser.get(f"/console/legislation/drafts/{DRAFT_ID}")
    assert "采用（网上直报）" in page.text
    accepted = browser.post(
        f"/console/legislation/drafts/{DRAFT_ID}/comments/01online/accept", data={"csrf_token": csrf_of(page.text)}
    )
    assert accepted.status_code == 303
    assert pages.calls("review_comment")[-1] | {} == {
        "comment_id": "01online",
        "action": "accept",
        "body": None,
        "actor": pages.calls("review_comment")[-1]["actor"],
    }
    submitted = browser.post(f"/console/legislation/drafts/{DRAFT_ID}/submit", data={"csrf_token": csrf_of(page.text)})
    assert submitted.status_code == 303
    assert pages.calls("submit_comments")[-1]["submission"] == {"point_id": None, "comment_ids": None, "note": ""}
    forged = browser.post(f"/console/legislation/drafts/{DRAFT_ID}/submit", data={"csrf_token": "forged"})
    assert forged.status_code == 403 and len(pages.calls("submit_comments")) == 1
