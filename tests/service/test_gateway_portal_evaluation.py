"""The portal's evaluation of a reply: the proof (last four digits or a one-time code by SMS), the
rating and comment, through the same intake and supervision calls as the public API; refusals beside
the field they name, with what was typed kept and nothing evaluated."""

import pytest

from contracts.errors import ErrorCode, ServiceError
from gateway.clients import SupervisionClient
from tests.service.pages_harness import Pages, csrf_of
from tests.service.test_gateway_pages import field_errors, value_of
from tests.service.test_gateway_routers import OPINION

CODE = "7K3P-9XTA-2MQD"
REPLIED = {
    **{k: v for k, v in OPINION.items() if k != "contact"},
    "status": "replied",
    "lead_unit": {"id": "hn-transport", "name": "海宁市交通运输局"},
    "reply": {
        "unit": {"id": "hn-transport", "name": "海宁市交通运输局"},
        "text": "已修复顶棚。",
        "result_class": "A",
        "label": "已经解决或基本解决",
        "completed": True,
        "resolved": True,
        "replied_at": "2026-11-30T02:00:00Z",
    },
}


def refuse(error: ServiceError):
    def answer(kwargs):
        raise error

    return answer


@pytest.fixture
def pages():
    pages = Pages()
    pages.app.state.platform.supervision = SupervisionClient(pages.broker)
    pages.broker.answers.update(
        {
            ("intake", "public_view"): lambda kw: REPLIED,
            ("intake", "prove_evaluator"): lambda kw: {"case_id": CODE},
            ("intake", "issue_evaluation_code"): lambda kw: {
                "tracking_code": CODE,
                "expires_at": "2026-11-30T02:10:00Z",
                "sent_to": "138****5678",
            },
            ("supervision", "evaluate_as_citizen"): lambda kw: {
                "case_id": CODE,
                "round": 1,
                "evaluator_kind": "citizen",
                **kw["evaluation"],
                "evaluated_at": "2026-11-30T03:00:00Z",
            },
        }
    )
    return pages


def evaluation_form(browser, **fields):
    page = browser.get(f"/track/{CODE}/evaluate")
    assert page.status_code == 200
    return {"csrf_token": csrf_of(page.text), "proof": "phone_last_four", **fields}


def test_the_tracking_page_of_a_replied_item_leads_to_the_evaluation(pages):
    track = pages.browser().get(f"/track?code={CODE}")
    assert f'href="/track/{CODE}/evaluate"' in track.text
    page = pages.browser().get(f"/track/{CODE}/evaluate")
    assert page.status_code == 200 and "已修复顶棚。" in page.text and "不满意" in page.text


def test_unsatisfied_with_the_last_four_digits_evaluates_through_the_apis_calls(pages):
    browser = pages.browser()
    form = evaluation_form(browser, phone_last_four="5678", rating="unsatisfied", comment="顶棚还在漏雨")
    done = browser.post(f"/track/{CODE}/evaluate", data=form)
    assert done.status_code == 303 and done.headers["location"] == f"/track?code={CODE}&evaluated=1"
    assert pages.calls("prove_evaluator") == [
        {
            "tracking_code": CODE,
            "proof": {"one_time_code": None, "phone_last_four": "5678"},
            "address": "192.0.2.10",
        }
    ]
    assert pages.calls("evaluate_as_citizen") == [
        {"case_id": CODE, "evaluation": {"rating": "unsatisfied", "comment": "顶棚还在漏雨"}}
    ]
    assert "感谢您的评价" in browser.get(done.headers["location"]).text


def test_a_one_time_code_is_sent_and_shown_masked_then_used(pages):
    browser = pages.browser()
    form = evaluation_form(browser)
    sent = browser.post(f"/track/{CODE}/evaluation-code", data={"csrf_token": form["csrf_token"]})
    assert sent.status_code == 202 and "验证码已发送至 138****5678" in sent.text
    assert pages.calls("issue_evaluation_code") == [{"tracking_code": CODE}]
    form.update(proof="one_time_code", one_time_code="402913", phone_last_four="12", rating="satisfied")
    done = browser.post(f"/track/{CODE}/evaluate", data=form)
    assert done.status_code == 303
    assert pages.calls("prove_evaluator")[0]["proof"] == {"one_time_code": "402913", "phone_last_four": None}


def test_a_code_asked_for_too_soon_is_refused_beside_the_code_field(pages):
    pages.broker.answers[("intake", "issue_evaluation_code")] = refuse(
        ServiceError(ErrorCode.CONFLICT, "验证码已发送，请 1 分钟后再试", "tracking_code")
    )
    browser = pages.browser()
    form = evaluation_form(browser)
    refused = browser.post(f"/track/{CODE}/evaluation-code", data={"csrf_token": form["csrf_token"]})
    assert refused.status_code == 422
    assert "1 分钟后再试" in field_errors(refused.text)["one_time_code"]


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"phone_last_four": "5678"}, {"rating": "此项必填"}),
        ({"rating": "satisfied"}, {"phone_last_four": "此项必填"}),
        ({"rating": "satisfied", "phone_last_four": "56a8"}, {"phone_last_four": "格式不正确"}),
        ({"rating": "great", "phone_last_four": "5678"}, {"rating": "请从列表中选择"}),
        ({"rating": "satisfied", "proof": "one_time_code", "one_time_code": "12"}, {"one_time_code": "格式不正确"}),
    ],
)
def test_bad_input_is_shown_beside_its_field_kept_and_nothing_is_evaluated(pages, fields, errors):
    browser = pages.browser()
    form = evaluation_form(browser, comment="顶棚还在漏雨", **fields)
    refused = browser.post(f"/track/{CODE}/evaluate", data=form)
    assert refused.status_code == 422
    assert field_errors(refused.text) == errors
    assert value_of(refused.text, "comment") == "顶棚还在漏雨"
    assert pages.calls("prove_evaluator") == [] and pages.calls("evaluate_as_citizen") == []


def test_a_wrong_proof_is_refused_beside_its_field_and_nothing_is_evaluated(pages):
    pages.broker.answers[("intake", "prove_evaluator")] = refuse(
        ServiceError(ErrorCode.FORBIDDEN, "手机号后四位不正确", "phone_last_four")
    )
    browser = pages.browser()
    form = evaluation_form(browser, phone_last_four="0000", rating="unsatisfied")
    refused = browser.post(f"/track/{CODE}/evaluate", data=form)
    assert refused.status_code == 422
    assert "手机号后四位不正确" in field_errors(refused.text)["phone_last_four"]
    assert value_of(refused.text, "phone_last_four") == "0000"
    assert pages.calls("evaluate_as_citizen") == []


def test_a_second_evaluation_is_refused_in_the_page(pages):
    pages.broker.answers[("supervision", "evaluate_as_citizen")] = refuse(
        ServiceError(ErrorCode.CONFLICT, "该答复已测评过，不能重复测评", "evaluation")
    )
    browser = pages.browser()
    refused = browser.post(
        f"/track/{CODE}/evaluate", data=evaluation_form(browser, phone_last_four="5678", rating="satisfied")
    )
    assert refused.status_code == 422 and "不能重复测评" in refused.text


def test_without_the_forms_token_nothing_is_sent(pages):
    browser = pages.browser()
    form = evaluation_form(browser, phone_last_four="5678", rating="satisfied", csrf_token="forged")
    assert browser.post(f"/track/{CODE}/evaluate", data=form).status_code == 403
    assert browser.post(f"/track/{CODE}/evaluation-code", data={"csrf_token": "forged"}).status_code == 403
    assert pages.calls("prove_evaluator") == [] and pages.calls("issue_evaluation_code") == []


def test_a_malformed_code_answers_a_404_page(pages):
    assert pages.browser().get("/track/hello/evaluate").status_code == 404
