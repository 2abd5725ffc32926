"""Comments through the handlers on a real store: receiving, review and submission, adoption, refusals
that change nothing, and the contact never leaving except for notify."""

from datetime import timedelta

import pytest

from contracts.errors import ErrorCode, ServiceError
from contracts.legislation.comments import AdoptionDecision, AdoptionIn, CommentStatus, SubmitIn
from services.legislation.adoption import handlers as adoption
from services.legislation.aggregates import handlers as aggregates
from services.legislation.comments import handlers
from services.legislation.consolidation import handlers as consolidation
from tests.factories import NOW
from tests.legislation_comments import CIPHER, DRAFT_ID, draft, office, offline, public, staff, world


@pytest.fixture
def store(mongo_db):
    return world(mongo_db)[0]


def snapshot(store) -> tuple:
    return (
        store.comments.comments.collection.count_documents({}),
        list(store.comments.counters.find({}, {"_id": 1, "comments": 1}).sort("_id", 1)),
        store.comments.feed_head(DRAFT_ID),
    )


def refused(call, code: ErrorCode, field: str) -> ServiceError:
    with pytest.raises(ServiceError) as refusal:
        call()
    assert (refusal.value.code, refusal.value.field) == (code, field), refusal.value.detail
    return refusal.value


def test_a_citizen_comments_without_an_account_and_the_contact_stays_sealed(store):
    contact = CIPHER.seal("龙美华", "13907721234")
    receipt = handlers.receive_public(store, DRAFT_ID, public(contact=contact, point_id="sanjiang-point"), NOW)

    stored = store.comments.get(receipt.comment_id)
    assert stored.channel == "online" and stored.division == "451226" and stored.articles == [3]
    assert "13907721234" not in str(store.comments.comments.collection.find_one({"_id": receipt.comment_id}))
    view = stored.view().model_dump(mode="json")
    assert view["has_contact"] is True and "contact" not in view and "龙美华" not in str(view)
    assert handlers.contact_for_feedback(store, CIPHER, receipt.comment_id)["phone"] == "13907721234"


def test_a_general_comment_counts_under_article_zero(store):
    handlers.receive_public(store, DRAFT_ID, public(articles=[], stance=None, division="450102001"), NOW)
    counts = aggregates.public_counts(store, DRAFT_ID)
    assert (counts.comments, counts.participants) == (1, 1)
    assert [(a.article, a.comments) for a in counts.articles] == [(0, 1)]


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"closes_at": NOW - timedelta(hours=1)}, ErrorCode.INVALID_TRANSITION, "draft_id"),
        ({"opens_at": NOW + timedelta(days=1)}, ErrorCode.INVALID_TRANSITION, "draft_id"),
    ],
)
def test_a_comment_on_a_draft_outside_its_window_is_refused_and_changes_nothing(mongo_db, change, code, field):
    store, _ = world(mongo_db)
    current = store.drafts.get(DRAFT_ID)
    store.drafts.save(current.model_copy(update=change))
    before = snapshot(store)
    refused(lambda: handlers.receive_public(store, DRAFT_ID, public(), NOW), code, field)
    refused(lambda: handlers.record_offline(store, DRAFT_ID, offline(), staff(), NOW), code, field)
    assert snapshot(store) == before


def test_a_comment_on_an_article_the_draft_lacks_is_refused_naming_articles(store):
    before = snapshot(store)
    error = refused(
        lambda: handlers.receive_public(store, DRAFT_ID, public(articles=[3, 99]), NOW), ErrorCode.INVALID, "articles"
    )
    assert "99" in error.detail
    refused(lambda: handlers.receive_public(store, "no-such-draft", public(), NOW), ErrorCode.NOT_FOUND, "draft_id")
    refused(
        lambda: handlers.receive_public(store, DRAFT_ID, public(point_id="nowhere"), NOW), ErrorCode.INVALID, "point_id"
    )
    assert snapshot(store) == before


def test_a_bilingual_offline_record_keeps_both_texts_and_an_edit_keeps_the_original(store):
    recorded = handlers.record_offline(store, DRAFT_ID, offline(), staff(), NOW)
    edited = consolidation.review(
        store,
        recorded.comment_id,
        staff(),
        NOW,
        consolidation.rule_for(
            "edit", {"text": "建议保护鼓楼周边古树，并保障侗族大歌进校园经费。"}, "contact_point:01POINT", NOW
        ),
    )

    view = store.comments.get(recorded.comment_id).view()
    assert view.language == "kmc" and view.participants == 23 and view.meeting.place == "程阳八寨马鞍寨鼓楼"
    assert view.text == "Nyaoh dangc dih yangh jaix, bail xic sangp weenh."  # 原汁原味
    assert view.translation == "希望保留鼓楼周边的老榕树，侗族大歌进校园要有经费保障。"
    assert view.edited.text == "建议保护鼓楼周边古树，并保障侗族大歌进校园经费。" == edited.edited.text
    assert view.edited.edited_by == "contact_point:01POINT"


def test_another_points_staff_may_not_record_or_review(store):
    refused(
        lambda: handlers.record_offline(store, DRAFT_ID, offline(), staff("nanning-point", "450102"), NOW),
        ErrorCode.FORBIDDEN,
        "point_id",
    )
    recorded = handlers.record_offline(store, DRAFT_ID, offline(), staff(), NOW)
    refused(
        lambda: consolidation.review(
            store,
            recorded.comment_id,
            staff("nanning-point", "450102"),
            NOW,
            consolidation.rule_for("accept", {}, "-", NOW),
        ),
        ErrorCode.FORBIDDEN,
        "point_id",
    )


def accepted(store, **overrides) -> str:
    recorded = handlers.record_offline(store, DRAFT_ID, offline(**overrides), staff(), NOW)
    consolidation.review(store, recorded.comment_id, staff(), NOW, consolidation.rule_for("accept", {}, "-", NOW))
    return recorded.comment_id


def test_review_merges_rejects_and_submits_a_frozen_batch(mongo_db):
    store, published = world(mongo_db)
    first, second = accepted(store), accepted(store, text="保留老榕树", translation="保留老榕树。")
    duplicate = handlers.record_offline(store, DRAFT_ID, offline(), staff(), NOW).comment_id
    off_topic = handlers.record_offline(store, DRAFT_ID, offline(), staff(), NOW).comment_id
    consolidation.merge(store, duplicate, first, staff(), NOW)
    consolidation.review(
        store, off_topic, staff(), NOW, consolidation.rule_for("reject", {"reason": "与草案无关"}, "-", NOW)
    )

    submission = consolidation.submit(
        store, DRAFT_ID, SubmitIn(point_id="sanjiang-point", note="第一批"), staff(), NOW, "cid"
    )

    assert sorted(submission.comment_ids) == sorted([first, second])
    shown = [r["comment_id"] for r in store.comments.counter(DRAFT_ID, 2)["representatives"]]
    assert duplicate not in shown and off_topic not in shown and first in shown  # still said, not shown
    assert store.comments.counter(DRAFT_ID, 2)["comments"] == 4
    assert store.comments.get(first).duplicates == [duplicate]
    assert store.comments.get(duplicate).status is CommentStatus.MERGED
    assert store.comments.get(off_topic).reject_reason == "与草案无关"
    event = [w for w in published.wires if w["type"] == "comments.submitted"]
    assert len(event) == 1 and event[0]["payload"]["comment_ids"] == submission.comment_ids
    assert event[0]["division"] == "451226"
    for action, body in (("edit", {"text": "改"}), ("reject", {"reason": "x"}), ("accept", {})):
        refused(
            lambda action=action, body=body: consolidation.review(
                store, first, staff(), NOW, consolidation.rule_for(action, body, "-", NOW)
            ),
            ErrorCode.INVALID_TRANSITION,
            "comment_id",
        )
    assert store.comments.get(first).edited is None
    refused(
        lambda: consolidation.submit(store, DRAFT_ID, SubmitIn(point_id="sanjiang-point"), staff(), NOW, "cid"),
        ErrorCode.INVALID,
        "comment_ids",
    )


def test_adoption_is_refused_before_submission_and_counted_after(mongo_db):
    store, published = world(mongo_db)
    comment_ids = [accepted(store) for _ in range(4)]
    decision = AdoptionIn(decision=AdoptionDecision.ADOPTED, reason="已吸收到第二条")
    refused(
        lambda: adoption.decide(store, comment_ids[0], decision, office(), NOW, "cid"),
        ErrorCode.INVALID_TRANSITION,
        "comment_id",
    )
    assert adoption.figures(store, "draft", DRAFT_ID).submitted == 0

    consolidation.submit(store, DRAFT_ID, SubmitIn(point_id="sanjiang-point"), staff(), NOW, "cid")
    adoption.decide(store, comment_ids[0], decision, office(), NOW, "cid")
    adoption.decide(
        store, comment_ids[1], AdoptionIn(decision="partly_adopted", reason="部分吸收"), office(), NOW, "cid"
    )
    adoption.decide(
        store, comment_ids[2], AdoptionIn(decision="not_adopted", reason="上位法已有规定"), office(), NOW, "cid"
    )
    adoption.decide(store, comment_ids[2], AdoptionIn(decision="adopted", reason="复议后采纳"), office(), NOW, "cid")

    scopes = [("draft", DRAFT_ID), ("point", "sanjiang-point"), ("division", "451226"), ("division", "450000")]
    for kind, key in [*scopes, ("division", "451200")]:
        figures = adoption.figures(store, kind, key)
        assert (figures.submitted, figures.adopted, figures.fully_adopted, figures.partly_adopted) == (4, 3, 2, 1)
        assert (figures.not_adopted, figures.undecided, figures.rate) == (0, 1, 0.75)
    decided = [w for w in published.wires if w["type"] == "comment.adoption_decided"]
    assert [w["payload"]["decision"] for w in decided] == ["adopted", "partly_adopted", "not_adopted", "adopted"]
    assert decided[0]["payload"]["draft_title"] == draft().title
    refused(
        lambda: adoption.decide(store, comment_ids[0], decision, office("44"), NOW, "cid"),
        ErrorCode.FORBIDDEN,
        "comment_id",
    )


def test_the_office_reviews_and_submits_the_online_comments_of_no_point(store):
    receipt = handlers.receive_public(store, DRAFT_ID, public(), NOW)
    refused(
        lambda: consolidation.review(
            store, receipt.comment_id, staff(), NOW, consolidation.rule_for("accept", {}, "-", NOW)
        ),
        ErrorCode.FORBIDDEN,
        "point_id",
    )
    consolidation.review(store, receipt.comment_id, office(), NOW, consolidation.rule_for("accept", {}, "-", NOW))
    submission = consolidation.submit(store, DRAFT_ID, SubmitIn(), office(), NOW, "cid")
    assert submission.comment_ids == [receipt.comment_id] and submission.division == "45"


def test_the_public_draft_answers_show_comments_and_participants_per_article(store):
    from services.legislation.aggregates.handlers import counted_summary, counted_view

    handlers.receive_public(store, DRAFT_ID, public(articles=[1, 3]), NOW)
    handlers.record_offline(store, DRAFT_ID, offline(articles=[3]), staff(), NOW)
    current = store.drafts.get(DRAFT_ID)

    counts = counted_view(store, current.view(NOW)).comment_counts
    assert (counts.comments, counts.participants) == (2, 24)
    assert [(a.article, a.comments, a.participants) for a in counts.articles] == [(1, 1, 1), (3, 2, 24)]
    summary = counted_summary(store, current.summary(NOW))
    assert (summary.comments, summary.participants) == (2, 24)
