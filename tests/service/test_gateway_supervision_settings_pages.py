"""The supervisor's pending extension requests (延期审批), the 红黑榜 rules form and the public ledger's
setting, the services answering from memory: what each shows, what reaches the services, refusals
beside their fields with what was typed kept, and the role, scope and CSRF checks."""

import re
from html import unescape

import pytest

from contracts.errors import ErrorCode, ServiceError
from contracts.vocabulary import Role
from gateway.clients import SupervisionClient
from tests.service.pages_harness import Pages, csrf_of
from tests.service.test_gateway_routers import CASE

PENDING_CASE = {
    **CASE,
    "status": "accepted",
    "extensions": [
        {
            "requested_by": "unit:hn-transport",
            "requested_at": "2026-11-20T02:00:00Z",
            "reason": "第一次申请",
            "working_days": 5,
            "status": "refused",
        },
        {
            "requested_by": "unit:hn-transport",
            "requested_at": "2026-11-23T02:00:00Z",
            "reason": "需等待规划调整批复",
            "working_days": 10,
        },
    ],
}
RULES = {
    "division": "default",
    "text": "交办 5 件以上的单位参与排名",
    "min_cases": 5,
    "black_on_time": 70.0,
    "black_satisfaction": 60.0,
    "black_return_rate": 20.0,
    "red_on_time": 95.0,
    "red_satisfaction": 90.0,
    "red_max_return_rate": 5.0,
}
RANKINGS = {
    "division": "330481",
    "period": "2026-Q4",
    "from": "2026-10",
    "to": "2026-12",
    "rules": RULES,
    "red": [],
    "black": [],
    "ranked": [],
    "too_few_cases": [],
}
TYPED_RULES = {
    "min_cases": "3",
    "red_on_time": "96",
    "red_satisfaction": "92.5",
    "red_max_return_rate": "4",
    "black_on_time": "72",
    "black_satisfaction": "61",
    "black_return_rate": "18",
}
EMPTY_PAGE = {"items": [], "next": None}


@pytest.fixture
def pages():
    harness = Pages()
    harness.broker.answers.update(
        {
            ("routing", "find_cases"): lambda kw: {"items": [PENDING_CASE], "next": None},
            ("supervision", "overdue_cases"): lambda kw: EMPTY_PAGE,
            ("supervision", "half_time_cases"): lambda kw: EMPTY_PAGE,
            ("supervision", "rankings"): lambda kw: {**RANKINGS, "division": kw["division"]},
            ("supervision", "ranking_rules"): lambda kw: RULES,
            ("supervision", "set_ranking_rules"): lambda kw: {**kw["rules"], "division": kw["division"], "text": ""},
            ("supervision", "ledger_settings"): lambda kw: {"division": kw["division"], "show_text": False},
            ("supervision", "set_ledger_settings"): lambda kw: {"division": kw["division"], **kw["settings"]},
        }
    )
    harness.app.state.platform.supervision = SupervisionClient(harness.broker)
    return harness


def field_errors(html: str) -> dict[str, str]:
    return {name: unescape(text) for name, text in re.findall(r'id="([\w.-]+)-error" role="alert">([^<]*)<', html)}


def value_of(html: str, input_id: str) -> str:
    return unescape(re.search(rf'id="{input_id}" name="[\w-]+"[^>]* value="([^"]*)"', html).group(1))


# ---- 延期审批


def test_the_pending_request_is_listed_with_its_case_unit_due_date_days_and_reason(pages):
    browser = pages.signed_in("hn.supervisor", Role.SUPERVISOR, "330481")
    page = browser.get("/console/supervision?division=330481001")
    assert page.status_code == 200
    query = pages.calls("find_cases")[-1]["query"]
    assert query["extension"] == "pending" and query["division"] == "330481001"
    listed = page.text[page.text.index('id="extension-7K3P-9XTA-2MQD"') :]
    for shown in ("330481-2026-000123", "海宁市交通运输局", "2026-12-14", "10 个工作日", "需等待规划调整批复"):
        assert shown in listed[: listed.index("</article>")], shown
    assert "第一次申请" not in page.text  # the refused request is history, not pending
    assert 'name="approve" value="true"' in listed and 'name="approve" value="false"' in listed


def test_approving_a_listed_request_sends_the_decision_for_that_case(pages):
    browser = pages.signed_in("hn.supervisor", Role.SUPERVISOR, "330481")
    page = browser.get("/console/supervision")
    form = {"csrf_token": csrf_of(page.text), "case_id": "7K3P-9XTA-2MQD", "listed": "1", "approve": "true"}
    answer = browser.post("/console/supervision/extensions?division=330481", data={**form, "note": "同意顺延"})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/console/supervision?division=330481&done=7K3P-9XTA-2MQD"
    call = pages.calls("act_on_case")[-1]
    assert call["case_id"] == "7K3P-9XTA-2MQD" and call["action"] == "decide-extension"
    assert call["command"] == {"approve": True, "note": "同意顺延", "expected_version": None}
    assert call["actor"]["role"] == "supervisor"


def test_a_refused_decision_is_shown_beside_its_listed_request_with_the_note_kept(pages):
    pages.broker.answers[("routing", "act_on_case")] = lambda kw: (_ for _ in ()).throw(
        ServiceError(ErrorCode.INVALID, "没有待审批的延期申请 (no extension request is pending)", "extension")
    )
    browser = pages.signed_in("hn.supervisor", Role.SUPERVISOR, "330481")
    page = browser.get("/console/supervision")
    form = {"csrf_token": csrf_of(page.text), "case_id": "7K3P-9XTA-2MQD", "listed": "1", "approve": "false"}
    answer = browser.post("/console/supervision/extensions", data={**form, "note": "理由不充分"})
    assert answer.status_code == 422
    listed = answer.text[answer.text.index('id="extension-7K3P-9XTA-2MQD"') :]
    assert "没有待审批的延期申请" in listed[: listed.index("</article>")]
    assert value_of(answer.text, "note-extension-7K3P-9XTA-2MQD") == "理由不充分"


def test_a_decision_without_its_csrf_token_is_refused_and_sends_nothing(pages):
    browser = pages.signed_in("hn.supervisor", Role.SUPERVISOR, "330481")
    browser.get("/console/supervision")
    form = {"case_id": "7K3P-9XTA-2MQD", "listed": "1", "approve": "true"}
    answer = browser.post("/console/supervision/extensions", data=form)
    assert answer.status_code == 403 and "防伪造令牌" in answer.text
    assert pages.calls("act_on_case") == []


def test_a_unit_cannot_decide_nor_see_the_pending_requests(pages):
    browser = pages.signed_in("hn.transport", Role.HANDLER, "330481", unit="hn-transport")
    assert browser.get("/console/supervision").status_code == 403
    page = browser.get("/console")
    form = {"csrf_token": csrf_of(page.text), "case_id": "7K3P-9XTA-2MQD", "listed": "1", "approve": "true"}
    answer = browser.post("/console/supervision/extensions", data=form)
    assert answer.status_code == 403 and "无权访问此页面" in answer.text
    assert pages.calls("act_on_case") == [] and pages.calls("find_cases") == []


# ---- 红黑榜评比规则


def test_the_rules_form_shows_the_rules_in_force_and_saves_the_divisions_own(pages):
    browser = pages.signed_in("hn.supervisor", Role.SUPERVISOR, "330481")
    page = browser.get("/console/supervision/rankings?period=2026-Q4")
    assert page.status_code == 200 and "目前沿用平台默认规则" in page.text
    assert value_of(page.text, "min_cases") == "5" and value_of(page.text, "red_on_time") == "95"
    form = {"csrf_token": csrf_of(page.text), **TYPED_RULES}
    answer = browser.post("/console/supervision/rankings/rules?division=330481&period=2026-Q4", data=form)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/console/supervision/rankings?division=330481&period=2026-Q4&done=rules"
    call = pages.calls("set_ranking_rules")[-1]
    assert call["division"] == "330481"
    assert call["rules"] == {
        "min_cases": 3,
        "red_on_time": 96.0,
        "red_satisfaction": 92.5,
        "red_max_return_rate": 4.0,
        "black_on_time": 72.0,
        "black_satisfaction": 61.0,
        "black_return_rate": 18.0,
    }
    assert "本级评比规则已保存" in browser.get(answer.headers["location"]).text


def test_a_negative_threshold_is_refused_beside_its_field_with_every_value_kept(pages):
    browser = pages.signed_in("hn.supervisor", Role.SUPERVISOR, "330481")
    page = browser.get("/console/supervision/rankings")
    typed = {**TYPED_RULES, "black_satisfaction": "-5", "min_cases": "三"}
    answer = browser.post("/console/supervision/rankings/rules", data={"csrf_token": csrf_of(page.text), **typed})
    assert answer.status_code == 422 and pages.calls("set_ranking_rules") == []
    errors = field_errors(answer.text)
    assert errors["black_satisfaction"] == "不能小于 0" and errors["min_cases"] == "请填写数字"
    assert 'aria-describedby="black_satisfaction-hint black_satisfaction-error"' in answer.text
    for name, value in typed.items():
        assert value_of(answer.text, name) == value, name


def test_a_red_threshold_below_the_black_one_is_refused_beside_it(pages):
    browser = pages.signed_in("hn.supervisor", Role.SUPERVISOR, "330481")
    page = browser.get("/console/supervision/rankings")
    typed = {**TYPED_RULES, "red_on_time": "60"}
    answer = browser.post("/console/supervision/rankings/rules", data={"csrf_token": csrf_of(page.text), **typed})
    assert answer.status_code == 422 and pages.calls("set_ranking_rules") == []
    assert field_errors(answer.text)["red_on_time"].startswith("红榜门槛不能低于黑榜门槛 72")


def test_rules_without_the_csrf_token_are_refused(pages):
    browser = pages.signed_in("hn.supervisor", Role.SUPERVISOR, "330481")
    answer = browser.post("/console/supervision/rankings/rules", data=TYPED_RULES)
    assert answer.status_code == 403 and pages.calls("set_ranking_rules") == []


# ---- 公示设置


def test_the_ledger_setting_shows_the_current_choice_and_saves_the_new_one(pages):
    browser = pages.signed_in("hn.supervisor", Role.SUPERVISOR, "330481")
    page = browser.get("/console/supervision/ledger-settings?division=330481001")
    assert page.status_code == 200 and pages.calls("ledger_settings")[-1]["division"] == "330481001"
    assert "当前：<strong>不显示群众原话</strong>" in page.text
    assert re.search(r'name="show_text" value="false" checked', page.text)
    form = {"csrf_token": csrf_of(page.text), "show_text": "true"}
    answer = browser.post("/console/supervision/ledger-settings?division=330481001", data=form)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/console/supervision/ledger-settings?division=330481001&done=ledger"
    assert pages.calls("set_ledger_settings")[-1] == {"division": "330481001", "settings": {"show_text": True}}


def test_a_ledger_setting_without_a_choice_is_refused_beside_its_field(pages):
    browser = pages.signed_in("hn.supervisor", Role.SUPERVISOR, "330481")
    page = browser.get("/console/supervision/ledger-settings")
    answer = browser.post("/console/supervision/ledger-settings", data={"csrf_token": csrf_of(page.text)})
    assert answer.status_code == 422 and field_errors(answer.text)["show_text"] == "此项必填"
    assert pages.calls("set_ledger_settings") == []
    maybe = browser.post(
        "/console/supervision/ledger-settings", data={"csrf_token": csrf_of(page.text), "show_text": "maybe"}
    )
    assert maybe.status_code == 422 and "show_text" in field_errors(maybe.text)
    assert 'value="true" checked' not in maybe.text and 'value="false" checked' not in maybe.text


def test_a_ledger_setting_without_the_csrf_token_is_refused(pages):
    browser = pages.signed_in("hn.supervisor", Role.SUPERVISOR, "330481")
    answer = browser.post("/console/supervision/ledger-settings", data={"show_text": "true"})
    assert answer.status_code == 403 and pages.calls("set_ledger_settings") == []


# ---- who may use the settings


SETTINGS = [
    ("/console/supervision/rankings/rules?division={division}", TYPED_RULES, "set_ranking_rules"),
    ("/console/supervision/ledger-settings?division={division}", {"show_text": "true"}, "set_ledger_settings"),
]


@pytest.mark.parametrize(("url", "form", "rpc"), SETTINGS, ids=["rules", "ledger"])
def test_a_unit_gets_a_403_page_and_changes_nothing(pages, url, form, rpc):
    browser = pages.signed_in("hn.transport", Role.HANDLER, "330481", unit="hn-transport")
    page = browser.get("/console")
    for answer in (
        browser.get(url.format(division="330481").replace("/rules", "")),
        browser.post(url.format(division="330481"), data={"csrf_token": csrf_of(page.text), **form}),
    ):
        assert answer.status_code == 403 and "无权访问此页面" in answer.text
    assert pages.calls(rpc) == []


@pytest.mark.parametrize(("url", "form", "rpc"), SETTINGS, ids=["rules", "ledger"])
def test_a_supervisor_of_another_county_gets_a_403_page_and_changes_nothing(pages, url, form, rpc):
    browser = pages.signed_in("ph.supervisor", Role.SUPERVISOR, "330482")
    page = browser.get(url.format(division="330482").replace("/rules", ""))
    assert page.status_code == 200
    for answer in (
        browser.get(url.format(division="330481").replace("/rules", "")),
        browser.post(url.format(division="330481"), data={"csrf_token": csrf_of(page.text), **form}),
    ):
        assert answer.status_code == 403 and "超出管辖范围" in answer.text
    assert pages.calls(rpc) == []


def test_a_supervisor_of_another_county_sees_none_of_its_pending_requests(pages):
    browser = pages.signed_in("ph.supervisor", Role.SUPERVISOR, "330482")
    answer = browser.get("/console/supervision?division=330481")
    assert answer.status_code == 403 and "超出管辖范围" in answer.text
    assert pages.calls("find_cases") == []


def test_only_a_supervisor_or_an_administrator_opens_the_ledger_setting(pages):
    for index, role in enumerate(role for role in Role if role not in (Role.CITIZEN, Role.COUNTY_SYSTEM)):
        browser = pages.signed_in(f"user{index}.{role.value.replace('_', '')}", role, "330481")
        answer = browser.get("/console/supervision/ledger-settings")
        expected = 200 if role in (Role.SUPERVISOR, Role.ADMIN) else 403
        assert answer.status_code == expected, (role, answer.status_code)
