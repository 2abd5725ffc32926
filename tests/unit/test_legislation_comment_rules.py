"""The comments' pure parts: review rules, the feed cursor, counter updates, themes."""

import pytest

from contracts.errors import ErrorCode, ServiceError
from contracts.legislation.comments import AdoptionDecision, CommentStatus
from services.legislation.adoption.counters import enclosing
from services.legislation.adoption.handlers import significant
from services.legislation.aggregates import counters
from services.legislation.aggregates.themes import themes
from services.legislation.comments import comment as rules
from services.legislation.comments.comment import Comment
from services.legislation.comments.store import merge_update
from services.legislation.feed import cursor
from tests.factories import NOW


def comment(**overrides) -> Comment:
    fields = dict(
        comment_id="c1",
        draft_id="d1",
        division="451226",
        point_id="sanjiang",
        channel="drum_tower",
        articles=[2],
        text="Nyaoh dangc dih yangh jaix.",
        language="kmc",
        translation="希望保留鼓楼周边的老榕树。",
        participants=23,
        received_at=NOW,
        recorded_by="contact_point:01KEY",
    )
    return Comment(**{**fields, **overrides})


def test_an_edit_stands_beside_the_original_words():
    edited = rules.edit(comment(), "建议保护古树。", None, "contact_point:01KEY", NOW)
    assert edited.text == "Nyaoh dangc dih yangh jaix." and edited.translation == "希望保留鼓楼周边的老榕树。"
    assert edited.readable == "建议保护古树。" and comment().readable == "希望保留鼓楼周边的老榕树。"


def test_a_submitted_comment_is_frozen_but_takes_the_offices_decision():
    submitted = rules.submit(rules.accept(comment()), "s1")
    assert submitted.status is CommentStatus.SUBMITTED and submitted.submission_id == "s1"
    for change in (
        rules.accept,
        lambda c: rules.reject(c, "x"),
        lambda c: rules.edit(c, "x", None, "-", NOW),
        lambda c: rules.merge(c, comment(comment_id="c2")),
    ):
        with pytest.raises(ServiceError) as refusal:
            change(submitted)
        assert refusal.value.code is ErrorCode.INVALID_TRANSITION
    decided = rules.decide_adoption(submitted, AdoptionDecision.PARTLY_ADOPTED, "部分吸收", "legislative_office:k", NOW)
    assert decided.adoption.decision is AdoptionDecision.PARTLY_ADOPTED


def test_only_accepted_comments_are_submitted_and_only_submitted_ones_decided():
    with pytest.raises(ServiceError):
        rules.submit(comment(), "s1")
    with pytest.raises(ServiceError) as refusal:
        rules.decide_adoption(rules.accept(comment()), AdoptionDecision.ADOPTED, "r", "-", NOW)
    assert refusal.value.field == "comment_id"


def test_a_merge_links_both_ways_and_refuses_itself_or_another_draft():
    merged, primary = rules.merge(comment(comment_id="dup"), comment())
    assert (merged.status, merged.merged_into, primary.duplicates) == (CommentStatus.MERGED, "c1", ["dup"])
    for other in (comment(), comment(comment_id="c9", draft_id="d2")):
        with pytest.raises(ServiceError) as refusal:
            rules.merge(comment(), other)
        assert refusal.value.field == "into"


def test_the_cursor_round_trips_and_refuses_what_is_not_its_own():
    assert cursor.decode(cursor.encode("d1", 42), "d1", 50) == 42
    assert cursor.decode(None, "d1", 50) == 0
    for bad in ("***", "eA", cursor.encode("d2", 1), cursor.encode("d1", 51), "ZmVlZDE6ZDE6LTE"):
        with pytest.raises(ServiceError) as refusal:
            cursor.decode(bad, "d1", 50)
        assert refusal.value.field == "cursor"


def test_a_comment_counts_once_per_article_with_its_breakdowns():
    update = counters.article_update(comment(stance="amend"), ["鼓楼", "榕树"])
    assert update["$inc"] == {
        "comments": 1,
        "participants": 23,
        "by_division.451226": 1,
        "by_channel.drum_tower": 1,
        "by_stance.amend": 1,
        "by_point.sanjiang": 1,
        "terms.鼓楼": 1,
        "terms.榕树": 1,
    }
    assert counters.articles_of(comment(articles=[])) == [0]


def test_a_batch_update_sums_increments_and_keeps_the_weightiest_representatives():
    batch: dict = {}
    for n, people in enumerate([3, 30, 1, 7, 12, 5]):
        merge_update(batch, counters.article_update(comment(comment_id=f"c{n}", participants=people), []))
    assert batch["$inc"]["participants"] == 58 and batch["$inc"]["comments"] == 6
    assert [r["participants"] for r in batch["$push"]["representatives"]["$each"]] == [30, 12, 7, 5, 3]


def test_divisions_roll_up_and_a_six_digit_province_reads_as_its_prefix():
    assert enclosing("451226001") == ["45", "4512", "451226", "451226001"]
    assert [significant(code) for code in ("450000", "451200", "451226", "451226001")] == [
        "45",
        "4512",
        "451226",
        "451226001",
    ]


def test_themes_are_the_content_words_without_the_words_every_comment_uses():
    found = themes("建议第十二条明确物业服务收费标准的公示方式，业主委员会应当定期公开维修资金使用情况。")
    assert "物业" in found and "业主" in found
    assert not {"建议", "明确", "应当", "情况"} & set(found)
