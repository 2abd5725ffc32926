"""The contact point's consolidation (整理) on its task page, the legislation service answering from
memory: its comments listed with their state, the original words beside the edited ones, and the
edit and merge forms, which send the API's commands under the API's role rule and whose refusals
stand beside their fields with what was typed kept."""

import re
from html import unescape

import pytest

from contracts.errors import ErrorCode, ServiceError
from contracts.vocabulary import Role
from gateway.clients import LegislationClient
from tests.service.pages_harness import Pages, csrf_of
from tests.service.test_gateway_supervision_legislation_pages import COMMENT, DRAFT, POINT, TASK, TASK_ID, field_errors

TASK_PAGE = f"/console/legislation/tasks/{TASK_ID}"
DONG = {
    **COMMENT,
    "comment_id": "01dong",
    "status": "received",
    "submission_id": None,
    "text": "Gul laox yangc, nyenc xaih lis dongc.",
    "translation": "鼓楼周边建房要先听寨老和村民的意见。",
}
MANDARIN = {
    **DONG,
    "comment_id": "01mandarin",
    "channel": "symposium",
    "language": "zh",
    "translation": None,
    "text": "建议规划草案公示不少于三十日。",
    "status": "accepted",
    "edited": {
        "text": "建议第三条写明规划草案公示期不少于三十日。",
        "translation": None,
        "edited_at": "2026-11-23T02:00:00Z",
        "edited_by": "contact_point:01POINT",
    },
}
MERGED = {**DONG, "comment_id": "01merged", "status": "merged", "merged_into": "01mandarin"}


def refuse(detail: str, field: str):
    def answer(kw):
        raise ServiceError(ErrorCode.INVALID, detail, field)

    return answer


@pytest.fixture
def pages():
    harness = Pages()
    harness.broker.answers.update(
        {
            ("legislation", "task"): lambda kw: TASK,
            ("legislation", "draft"): lambda kw: DRAFT,
            ("legislation", "contact_point"): lambda kw: POINT,
            ("legislation", "point_comments"): lambda kw: [DONG, MANDARIN, MERGED],
            ("legislation", "review_comment"): lambda kw: DONG,
        }
    )
    harness.app.state.platform.legislation = LegislationClient(harness.broker)
    return harness


def article(html: str, comment_id: str) -> str:
    return re.search(rf'<article class="item" id="comment-{comment_id}".*?</article>', html, re.S).group(0)


def cells(html: str) -> dict[str, str]:
    return {name: unescape(text).strip() for name, text in re.findall(r"<td[^>]* data-(\w+)>([^<]*)</td>", html)}


def point_browser(pages: Pages):
    return pages.signed_in("sj.point", Role.CONTACT_POINT, "451226", "sanjiang")


def test_the_task_page_lists_the_points_comments_with_the_original_beside_the_edited_text(pages):
    page = point_browser(pages).get(TASK_PAGE)

    assert page.status_code == 200
    assert pages.calls("point_comments")[-1]["draft_id"] == DRAFT["draft_id"]
    assert pages.calls("point_comments")[-1]["point_id"] == "sanjiang"
    dong, mandarin, merged = (article(page.text, c) for c in ("01dong", "01mandarin", "01merged"))
    assert "待整理" in dong and "原话（侗语）" in dong and 'lang="kmc"' in dong
    assert cells(dong) == {
        "original": "Gul laox yangc, nyenc xaih lis dongc.",
        "translation": "鼓楼周边建房要先听寨老和村民的意见。",
        "edited": "（未整理，以原话及译文为准）",
    }
    assert "已采用，待上报" in mandarin and "原话（普通话）" in mandarin and "普通话译文" not in mandarin
    assert cells(mandarin) == {
        "original": "建议规划草案公示不少于三十日。",
        "edited": "建议第三条写明规划草案公示期不少于三十日。",
    }
    assert "已合并" in merged and '已合并到 <a href="#comment-01mandarin">意见 2</a>' in merged
    assert "/merge" not in merged and "/edit" not in merged  # a merged comment is no longer reviewed
    assert (
        f'action="{TASK_PAGE}/comments/01dong/edit"' in dong and f'action="{TASK_PAGE}/comments/01dong/merge"' in dong
    )
    assert '<option value="01mandarin">意见 2：' in dong and 'value="01merged"' not in dong  # only open ones


def test_an_edit_sends_only_the_edited_text_and_the_original_stays(pages):
    browser = point_browser(pages)
    page = browser.get(TASK_PAGE)
    edited = {**MANDARIN["edited"], "text": "建议鼓楼周边建房先征求寨老和村民意见。"}
    pages.broker.answers[("legislation", "review_comment")] = lambda kw: {**DONG, "edited": edited}
    form = {"csrf_token": csrf_of(page.text), "text": "建议鼓楼周边建房先征求寨老和村民意见。"}

    done = browser.post(f"{TASK_PAGE}/comments/01dong/edit", data=form)

    assert done.status_code == 303
    assert done.headers["location"] == f"{TASK_PAGE}?done=edit#comment-01dong"
    call = pages.calls("review_comment")[-1]
    assert (call["comment_id"], call["action"]) == ("01dong", "edit")
    assert call["body"] == {"text": "建议鼓楼周边建房先征求寨老和村民意见。", "translation": None}
    pages.broker.answers[("legislation", "point_comments")] = lambda kw: [{**DONG, "edited": edited}]
    shown = browser.get(done.headers["location"])
    assert "整理后的文本已保存，原话保留不变。" in shown.text
    assert cells(article(shown.text, "01dong")) == {
        "original": "Gul laox yangc, nyenc xaih lis dongc.",
        "translation": "鼓楼周边建房要先听寨老和村民的意见。",
        "edited": "建议鼓楼周边建房先征求寨老和村民意见。",
    }


def test_a_merge_sends_the_comment_merged_into(pages):
    browser = point_browser(pages)
    page = browser.get(TASK_PAGE)

    done = browser.post(
        f"{TASK_PAGE}/comments/01dong/merge", data={"csrf_token": csrf_of(page.text), "into": "01mandarin"}
    )

    assert done.status_code == 303 and done.headers["location"] == f"{TASK_PAGE}?done=merge#comment-01dong"
    call = pages.calls("review_comment")[-1]
    assert (call["comment_id"], call["action"], call["body"]) == ("01dong", "merge", {"into": "01mandarin"})
    assert "重复意见已合并。" in browser.get(done.headers["location"]).text


def test_accept_and_reject_still_go_through_the_same_handler(pages):
    browser = point_browser(pages)
    token = csrf_of(browser.get(TASK_PAGE).text)
    assert browser.post(f"{TASK_PAGE}/comments/01dong/accept", data={"csrf_token": token}).status_code == 303
    refused = browser.post(f"{TASK_PAGE}/comments/01dong/reject", data={"csrf_token": token, "reason": ""})
    assert refused.status_code == 422 and field_errors(refused.text)["reject-reason-01dong"] == "此项必填"
    assert (
        browser.post(f"{TASK_PAGE}/comments/01dong/reject", data={"csrf_token": token, "reason": "重复"}).status_code
        == 303
    )
    assert [(c["action"], c["body"]) for c in pages.calls("review_comment")] == [
        ("accept", None),
        ("reject", {"reason": "重复"}),
    ]
    assert browser.post(f"{TASK_PAGE}/comments/01dong/delete", data={"csrf_token": token}).status_code == 404


@pytest.mark.parametrize(
    ("text", "message"), [("  ", "此项必填"), ("鼓楼" * 2501, "内容太长（最多 5000 个字）")], ids=["empty", "too-long"]
)
def test_a_bad_edit_is_refused_beside_the_field_keeping_what_was_typed(pages, text, message):
    browser = point_browser(pages)
    page = browser.get(TASK_PAGE)

    refused = browser.post(f"{TASK_PAGE}/comments/01dong/edit", data={"csrf_token": csrf_of(page.text), "text": text})

    assert refused.status_code == 422
    assert field_errors(refused.text)["edit-text-01dong"] == message
    assert 'aria-invalid="true" aria-describedby="edit-text-01dong-error"' in refused.text
    kept = re.search(r'id="edit-text-01dong"[^>]*>([^<]*)</textarea>', refused.text).group(1)
    assert kept == text.strip()  # what was typed, not the comment's words
    assert "Gul laox yangc, nyenc xaih lis dongc." in refused.text  # the original still beside it
    assert pages.calls("review_comment") == []


@pytest.mark.parametrize(
    ("into", "refusal", "message"),
    [
        ("01dong", "不能把意见合并到自身 (a comment cannot be merged into itself)", "不能把意见合并到自身"),
        (
            "01nosuch",
            "要合并到的意见 01nosuch 不存在 (no such comment to merge into)",
            "要合并到的意见 01nosuch 不存在",
        ),
    ],
)
def test_a_merge_into_itself_or_an_unknown_comment_is_refused_beside_the_field(pages, into, refusal, message):
    browser = point_browser(pages)
    page = browser.get(TASK_PAGE)
    pages.broker.answers[("legislation", "review_comment")] = refuse(refusal, "into")

    refused = browser.post(f"{TASK_PAGE}/comments/01dong/merge", data={"csrf_token": csrf_of(page.text), "into": into})

    assert refused.status_code == 422
    assert message in field_errors(refused.text)["merge-into-01dong"]
    assert f'<option value="{into}" selected>' in article(refused.text, "01dong")  # what was chosen, kept
    assert pages.calls("review_comment")[-1]["body"] == {"into": into}


def test_a_merge_with_nothing_chosen_is_refused_before_the_service(pages):
    browser = point_browser(pages)
    page = browser.get(TASK_PAGE)
    refused = browser.post(f"{TASK_PAGE}/comments/01dong/merge", data={"csrf_token": csrf_of(page.text), "into": ""})
    assert refused.status_code == 422 and field_errors(refused.text)["merge-into-01dong"] == "此项必填"
    assert pages.calls("review_comment") == []


@pytest.mark.parametrize("role", [Role.HANDLER, Role.SUPERVISOR, Role.DEPUTY])
def test_a_role_outside_gets_a_403_page_and_changes_nothing(pages, role):
    browser = pages.signed_in("outsider", role, "451226")
    assert browser.get(TASK_PAGE).status_code == 403
    token = csrf_of(browser.get("/console").text)
    for action, form in (("edit", {"text": "改"}), ("merge", {"into": "01mandarin"})):
        answer = browser.post(f"{TASK_PAGE}/comments/01dong/{action}", data={"csrf_token": token, **form})
        assert answer.status_code == 403 and "无权访问此页面" in answer.text
    assert pages.calls("review_comment") == [] and pages.calls("point_comments") == []


def test_an_info_officer_reads_the_list_but_may_not_edit_or_merge(pages):
    browser = pages.signed_in("sj.officer", Role.INFO_OFFICER, "451226")
    page = browser.get(TASK_PAGE)
    assert page.status_code == 200 and "Gul laox yangc" in page.text and "/edit" not in page.text
    answer = browser.post(f"{TASK_PAGE}/comments/01dong/edit", data={"csrf_token": csrf_of(page.text), "text": "改"})
    assert answer.status_code == 403 and pages.calls("review_comment") == []


def test_an_edit_or_merge_without_its_csrf_token_is_refused(pages):
    browser = point_browser(pages)
    browser.get(TASK_PAGE)
    for action, form in (("edit", {"text": "改"}), ("merge", {"into": "01mandarin"})):
        for token in ({}, {"csrf_token": "forged"}):
            answer = browser.post(f"{TASK_PAGE}/comments/01dong/{action}", data={**form, **token})
            assert answer.status_code == 403 and "页面已过期" in answer.text
    assert pages.calls("review_comment") == []
