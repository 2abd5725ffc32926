"""Deputy suggestions' rules: who files and reviews, the pre-review moves, merging, the event."""

from datetime import timedelta

import pytest
from pydantic import ValidationError

from contracts.errors import ErrorCode, ServiceError
from contracts.intake.suggestions import (
    CongressSession,
    DeputyRef,
    FileSuggestionIn,
    MergeSuggestionsIn,
    SuggestionStatus,
    chinese_number,
)
from services.intake.suggestions import suggestion as rules
from services.intake.suggestions.views import suggestion_view
from tests.factories import NOW, actor

S = SuggestionStatus
SESSION = CongressSession(term=17, meeting=3)
ZHANG = DeputyRef(id="deputy-zhang-wei", name="张伟", division="330481001")
LI = DeputyRef(id="deputy-li-hong", name="李红", division="330481001")
WANG = DeputyRef(id="deputy-wang-jun", name="王军", division="330481102")
DEPUTY_KEY = actor(role="deputy", scope="330481", label="张伟代表")
REVIEWER = actor(role="supervisor", scope="330481", label="代表工委")


def drafted(suggestion_id="JY-0000-0000-0001", number=1, lead=ZHANG, co_signers=(LI,), session=SESSION):
    return rules.file(
        suggestion_id,
        number,
        "330481",
        session,
        "关于加快老旧小区加装电梯的建议",
        "老旧小区没有电梯，老年居民上下楼困难，建议简化审批、提高补助。",
        lead,
        list(co_signers),
        DEPUTY_KEY,
        NOW,
    )


def under_review(**overrides):
    return rules.submit(drafted(**overrides), DEPUTY_KEY, NOW)


def refusal(action) -> ServiceError:
    with pytest.raises(ServiceError) as refused:
        action()
    return refused.value


@pytest.mark.parametrize(
    ("value", "written"), [(1, "一"), (3, "三"), (10, "十"), (17, "十七"), (20, "二十"), (99, "九十九")]
)
def test_sessions_are_named_in_chinese_numerals(value, written):
    assert chinese_number(value) == written


def test_a_session_name_reads_as_the_congress_writes_it():
    assert SESSION.name == "第十七届人民代表大会第三次会议"


def test_a_filed_suggestion_is_a_numbered_draft_of_its_lead_deputy():
    suggestion = drafted(number=12)
    assert suggestion.status is S.DRAFTED and suggestion.label == "建议第12号"
    assert suggestion.deputies == [ZHANG, LI]
    assert [(step.status, step.actor) for step in suggestion.history] == [(S.DRAFTED, "deputy:01KEY")]


@pytest.mark.parametrize(
    ("key", "field"),
    [
        (actor(role="deputy", scope="330481102"), "lead_deputy"),  # the lead deputy is not in its scope
        (actor(role="station", scope="330481"), "lead_deputy"),
        (actor(role="supervisor", scope="330481"), "lead_deputy"),
    ],
)
def test_only_a_deputy_key_covering_the_lead_deputy_or_an_admin_files(key, field):
    refused = refusal(
        lambda: rules.file("JY-0000-0000-0001", 1, "330481", SESSION, "标题四字", "正文" * 10, ZHANG, [], key, NOW)
    )
    assert refused.code is ErrorCode.FORBIDDEN and refused.field == field
    admin = actor(role="admin", scope="")
    assert rules.file("JY-0000-0000-0001", 1, "330481", SESSION, "标题四字", "正文" * 10, ZHANG, [], admin, NOW)


def test_the_lead_deputy_cannot_also_co_sign():
    refused = refusal(lambda: drafted(co_signers=(LI, ZHANG)))
    assert refused.code is ErrorCode.INVALID and refused.field == "co_signers"


def test_returned_with_comments_then_edited_and_resubmitted_then_accepted():
    returned = rules.return_to_deputy(under_review(), "请补充涉及小区名单", REVIEWER, NOW)
    assert returned.status is S.RETURNED and returned.history[-1].comment == "请补充涉及小区名单"

    later = NOW + timedelta(hours=1)
    edited = rules.edit(
        returned,
        "关于加快老旧小区加装电梯的建议",
        "补充：涉及文苑、西山等12个小区。" * 2,
        [LI, WANG],
        DEPUTY_KEY,
        later,
    )
    assert edited.status is S.RETURNED and edited.co_signers == [LI, WANG] and "文苑" in edited.text
    resubmitted = rules.submit(edited, DEPUTY_KEY, later)
    assert resubmitted.status is S.UNDER_REVIEW and resubmitted.history[-1].comment == "修改后重新提交"

    decision = rules.accept(resubmitted, REVIEWER, later)
    assert decision.suggestion.status is S.ACCEPTED and decision.suggestion.accepted_at == later
    assert [step.status for step in decision.suggestion.history] == [
        S.DRAFTED,
        S.UNDER_REVIEW,
        S.RETURNED,
        S.RETURNED,
        S.UNDER_REVIEW,
        S.ACCEPTED,
    ]
    (event,) = decision.events
    assert event.TYPE == "suggestion.accepted" and event.suggestion_id == "JY-0000-0000-0001"
    assert [deputy.name for deputy in event.deputies] == ["张伟", "李红", "王军"]
    assert (event.number, event.division, event.channel, event.accepted_at) == (
        1,
        "330481",
        "session_suggestion",
        later,
    )
    assert event.session_name == "第十七届人民代表大会第三次会议" and "文苑" in event.text


@pytest.mark.parametrize(
    ("move", "status"),
    [
        (lambda s: rules.accept(s, REVIEWER, NOW), S.DRAFTED),  # not submitted yet
        (lambda s: rules.return_to_deputy(s, "意见意见", REVIEWER, NOW), S.DRAFTED),
        (lambda s: rules.submit(s, DEPUTY_KEY, NOW), S.UNDER_REVIEW),  # twice
        (lambda s: rules.edit(s, "标题四字", "正文" * 10, [], DEPUTY_KEY, NOW), S.UNDER_REVIEW),
        (lambda s: rules.submit(s, DEPUTY_KEY, NOW), S.ACCEPTED),
        (lambda s: rules.accept(s, REVIEWER, NOW), S.ACCEPTED),
        (lambda s: rules.edit(s, "标题四字", "正文" * 10, [], DEPUTY_KEY, NOW), S.MERGED),
    ],
)
def test_a_move_the_pre_review_does_not_allow_is_refused(move, status):
    refused = refusal(lambda: move(drafted().model_copy(update={"status": status})))
    assert refused.code is ErrorCode.INVALID_TRANSITION and refused.field == "status"


@pytest.mark.parametrize("role", ["deputy", "station", "handler", "info_officer"])
def test_only_the_congress_office_reviews(role):
    key = actor(role=role, scope="330481")
    for review in (
        lambda: rules.accept(under_review(), key, NOW),
        lambda: rules.return_to_deputy(under_review(), "意见意见", key, NOW),
        lambda: rules.merge(under_review(), [under_review(suggestion_id="JY-0000-0000-0002")], key, NOW),
    ):
        refused = refusal(review)
        assert refused.code is ErrorCode.FORBIDDEN and refused.field == "role"


def test_only_the_lead_deputys_side_edits_and_submits():
    for act in (
        lambda: rules.submit(drafted(), REVIEWER, NOW),
        lambda: rules.edit(drafted(), "标题四字", "正文" * 10, [], REVIEWER, NOW),
    ):
        assert refusal(act).field == "lead_deputy"


def test_a_merge_keeps_every_deputy_once_and_the_absorbed_point_to_it():
    target = under_review()
    second = under_review(suggestion_id="JY-0000-0000-0002", number=2, lead=WANG, co_signers=(LI,))
    third = rules.return_to_deputy(
        under_review(suggestion_id="JY-0000-0000-0003", number=3, lead=LI, co_signers=()), "请合并", REVIEWER, NOW
    )
    merged, changed = rules.merge(target, [second, third], REVIEWER, NOW)

    assert merged.status is S.UNDER_REVIEW and merged.lead_deputy == ZHANG
    assert merged.co_signers == [LI, WANG] and merged.merged_from == [second.id, third.id]
    assert merged.history[-1].comment == "合并建议第2号、建议第3号"
    assert [(s.id, s.status, s.merged_into) for s in changed] == [
        (second.id, S.MERGED, target.id),
        (third.id, S.MERGED, target.id),
    ]
    assert changed[0].history[-1].comment == "并入建议第1号"


def test_a_merge_interrupted_after_the_absorbed_were_marked_completes_when_retried():
    target, other = under_review(), under_review(suggestion_id="JY-0000-0000-0002", number=2, lead=WANG, co_signers=())
    _, (marked,) = rules.merge(target, [other], REVIEWER, NOW)
    merged, changed = rules.merge(target, [marked], REVIEWER, NOW)  # the target was never saved
    assert changed == [] and merged.co_signers == [LI, WANG] and merged.merged_from == [other.id]

    again, changed = rules.merge(merged, [marked], REVIEWER, NOW)  # everything saved: nothing to do
    assert again is merged and changed == []


@pytest.mark.parametrize(
    ("other", "field", "code"),
    [
        (lambda: under_review(), "absorb.0", ErrorCode.INVALID),  # itself
        (
            lambda: under_review(suggestion_id="JY-0000-0000-0002", session=CongressSession(term=17, meeting=4)),
            "absorb.0",
            ErrorCode.INVALID,
        ),
        (
            lambda: rules.accept(under_review(suggestion_id="JY-0000-0000-0002"), REVIEWER, NOW).suggestion,
            "absorb.0",
            ErrorCode.INVALID_TRANSITION,
        ),
        (lambda: drafted(suggestion_id="JY-0000-0000-0002"), "absorb.0", ErrorCode.INVALID_TRANSITION),
    ],
)
def test_a_merge_takes_only_others_of_the_same_session_still_in_pre_review(other, field, code):
    refused = refusal(lambda: rules.merge(under_review(), [other()], REVIEWER, NOW))
    assert refused.code is code and refused.field == field


def test_only_a_suggestion_under_review_absorbs_others():
    refused = refusal(lambda: rules.merge(drafted(), [under_review(suggestion_id="JY-0000-0000-0002")], REVIEWER, NOW))
    assert refused.code is ErrorCode.INVALID_TRANSITION and refused.field == "status"


def test_the_view_names_the_session_and_the_number():
    view = suggestion_view(drafted(number=7).model_copy(update={"version": 1}))
    assert (view.label, view.session_name, view.version) == ("建议第7号", "第十七届人民代表大会第三次会议", 1)


FILING = {
    "division": "330481",
    "session": {"term": 17, "meeting": 3},
    "lead_deputy": "deputy-zhang-wei",
    "co_signers": ["deputy-li-hong"],
    "title": "  关于加快老旧小区\n加装电梯的建议 ",
    "text": "老旧小区没有电梯，老年居民上下楼困难，建议简化审批、提高补助。",
}


def test_a_filing_is_normalised_and_bounded_keeping_chinese_punctuation():
    text = " 建议：　加装电梯（１２个小区），\r\n\r\n\r\n补助ＡＢ两档。 "
    filing = FileSuggestionIn.model_validate({**FILING, "text": text})
    assert filing.title == "关于加快老旧小区 加装电梯的建议"
    assert filing.text == "建议： 加装电梯（12个小区），\n\n补助AB两档。"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"co_signers": ["deputy-li-hong", "deputy-li-hong"]}, "co_signers"),
        ({"session": {"term": 0, "meeting": 3}}, "session"),
        ({"session": {"term": 17}}, "session"),
        ({"title": "短"}, "title"),
        ({"text": "太短"}, "text"),
        ({"text": "长" * 10_001}, "text"),
        ({"division": "33"}, "division"),
        ({"lead_deputy": "张伟"}, "lead_deputy"),
        ({"number": 5}, "number"),  # given by the counter, never by the caller
    ],
)
def test_bad_filings_are_refused_naming_the_field(change, field):
    with pytest.raises(ValidationError) as refused:
        FileSuggestionIn.model_validate({**FILING, **change})
    assert refused.value.errors()[0]["loc"][0] == field


def test_a_merge_names_suggestions_by_id_each_once():
    with pytest.raises(ValidationError):
        MergeSuggestionsIn.model_validate({"absorb": ["JY-0000-0000-0002", "JY-0000-0000-0002"]})
    with pytest.raises(ValidationError):
        MergeSuggestionsIn.model_validate({"absorb": ["not-an-id"]})
    with pytest.raises(ValidationError):
        MergeSuggestionsIn.model_validate({"absorb": []})
