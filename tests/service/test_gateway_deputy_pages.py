"""The deputy's console page: the items it received (its own inbox), its suggestions with their
pre-review, and the replies to its suggestions to evaluate, as `POST /v1/cases/{id}/evaluation` does:
only a deputy (or an administrator), with bad input beside its field and nothing evaluated."""

import asyncio

import pytest

from contracts.errors import ErrorCode, ServiceError
from contracts.vocabulary import Role
from gateway.clients import SupervisionClient
from tests.service.pages_harness import PASSWORD, Pages, csrf_of, sign_in
from tests.service.test_gateway_pages import field_errors
from tests.service.test_gateway_routers import CASE

ZHANG = {"id": "deputy-zhang-wei", "name": "张伟", "division": "330481001"}
LI = {"id": "deputy-li-na", "name": "李娜", "division": "330481001"}


def suggestion(number: int, lead: dict, title: str, status: str, comment: str = "") -> dict:
    return {
        "id": f"JY-7K3P-9XTA-000{number}",
        "number": number,
        "label": f"建议第{number}号",
        "division": "330481001",
        "session": {"term": 17, "meeting": 3},
        "session_name": "第十七届人民代表大会第三次会议",
        "title": title,
        "text": "……",
        "lead_deputy": lead,
        "co_signers": [],
        "status": status,
        "filed_at": "2026-11-01T02:00:00Z",
        "history": [{"status": status, "at": "2026-11-02T02:00:00Z", "actor": "supervisor:x", "comment": comment}],
        "version": 2,
    }


REPLIED = {**CASE, "case_id": "JY-7K3P-9XTA-0001", "channel": "session_suggestion", "status": "replied"}
NOTICE = {
    "id": "01EVENT:deputy:deputy-zhang-wei",
    "recipient": "deputy:deputy-zhang-wei",
    "division": "330481001",
    "kind": "opinion.received",
    "title": "收到新的民情事项",
    "body": "文苑路公交站台的顶棚坏了",
    "created_at": "2026-11-23T02:00:00Z",
}


@pytest.fixture
def pages():
    pages = Pages()
    pages.app.state.platform.supervision = SupervisionClient(pages.broker)
    pages.broker.answers.update(
        {
            ("intake", "list_suggestions"): lambda kw: {
                "items": [
                    suggestion(1, ZHANG, "加快文苑路公交站台改造", "returned", "请补充站台位置"),
                    suggestion(2, LI, "增设社区养老食堂", "under_review"),
                ],
                "next": None,
            },
            ("routing", "find_cases"): lambda kw: {"items": [REPLIED], "next": None},
            ("notify", "inbox"): lambda kw: {"items": [NOTICE], "next": None},
            ("supervision", "evaluate_case"): lambda kw: {
                "case_id": kw["case_id"],
                "round": 1,
                "evaluator_kind": "deputy",
                **kw["evaluation"],
                "evaluated_at": "2026-11-30T03:00:00Z",
            },
        }
    )
    return pages


def deputy(pages, username="zhang.wei", deputy_id="deputy-zhang-wei"):
    asyncio.run(pages.users.create(username, Role.DEPUTY, "330481001", "张伟", None, PASSWORD, deputy_id))
    asyncio.run(pages.users.change_password(username, PASSWORD))
    browser = pages.browser()
    assert sign_in(browser, username, PASSWORD).status_code == 303
    return browser


def test_the_deputy_sees_what_it_received_its_suggestions_and_replies_to_evaluate(pages):
    page = deputy(pages).get("/console/deputy")
    assert page.status_code == 200
    assert pages.calls("inbox")[-1]["recipient"] == "deputy:deputy-zhang-wei"
    assert "收到新的民情事项" in page.text
    assert "加快文苑路公交站台改造" in page.text and "请补充站台位置" in page.text and "退回修改" in page.text
    assert "增设社区养老食堂" not in page.text  # 李娜's, not signed by 张伟
    query = pages.calls("find_cases")[-1]["query"]
    assert query["status"] == ["replied"] and query["channel"] == "session_suggestion"
    assert 'action="/console/deputy/cases/JY-7K3P-9XTA-0001/evaluation"' in page.text


def test_the_deputy_evaluates_a_reply_as_its_actor(pages):
    browser = deputy(pages)
    token = csrf_of(browser.get("/console/deputy").text)
    form = {"rating": "unsatisfied", "comment": "站台仍未改造", "csrf_token": token}
    done = browser.post("/console/deputy/cases/jy-7k3p-9xta-0001/evaluation", data=form)
    assert done.status_code == 303 and done.headers["location"] == "/console/deputy?done=JY-7K3P-9XTA-0001"
    call = pages.calls("evaluate_case")[-1]
    assert call["case_id"] == "JY-7K3P-9XTA-0001"
    assert call["evaluation"] == {"rating": "unsatisfied", "comment": "站台仍未改造"}
    assert call["actor"]["deputy"] == "deputy-zhang-wei" and call["actor"]["role"] == "deputy"


@pytest.mark.parametrize(
    ("fields", "errors"),
    [({"comment": "还行"}, {"rating": "此项必填"}), ({"rating": "meh"}, {"rating": "请从列表中选择"})],
)
def test_bad_input_is_shown_beside_its_field_and_nothing_is_evaluated(pages, fields, errors):
    browser = deputy(pages)
    token = csrf_of(browser.get("/console/deputy").text)
    refused = browser.post("/console/deputy/cases/JY-7K3P-9XTA-0001/evaluation", data={**fields, "csrf_token": token})
    assert refused.status_code == 422 and field_errors(refused.text) == errors
    assert pages.calls("evaluate_case") == []


def test_a_second_evaluation_is_refused_in_the_page(pages):
    def refuse(kwargs):
        raise ServiceError(ErrorCode.CONFLICT, "该答复已测评过，不能重复测评", "evaluation")

    pages.broker.answers[("supervision", "evaluate_case")] = refuse
    browser = deputy(pages)
    token = csrf_of(browser.get("/console/deputy").text)
    form = {"rating": "satisfied", "comment": "很好", "csrf_token": token}
    refused = browser.post("/console/deputy/cases/JY-7K3P-9XTA-0001/evaluation", data=form)
    assert refused.status_code == 422 and "不能重复测评" in refused.text and "很好</textarea>" in refused.text


@pytest.mark.parametrize(
    ("role", "reads", "evaluates"),
    [
        (Role.SUPERVISOR, 200, 403),
        (Role.STATION, 403, 403),
        (Role.HANDLER, 403, 403),
        (Role.INFO_OFFICER, 403, 403),
        (Role.LEGISLATIVE_OFFICE, 403, 403),
    ],
)
def test_other_roles_are_refused_as_the_api_refuses_them(pages, role, reads, evaluates):
    unit = "hn-transport" if role is Role.HANDLER else None
    browser = pages.signed_in(role.value, role, "330481001", unit=unit)
    assert browser.get("/console/deputy").status_code == reads
    token = csrf_of(browser.get("/console/password").text)
    form = {"rating": "satisfied", "csrf_token": token}
    answer = browser.post("/console/deputy/cases/JY-7K3P-9XTA-0001/evaluation", data=form)
    assert answer.status_code == evaluates and pages.calls("evaluate_case") == []
