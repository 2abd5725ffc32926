"""notify hears `comments.submitted` and `comment.adoption_decided`: the office's notice and the
contributor's feedback, each stored once however often the event is delivered."""

from nameko.testing.services import worker_factory

from contracts.legislation.comments import CommentAdoptionDecided, CommentsSubmitted
from services.notify.service import NotifyService
from services.notify.store import InboxStore
from tests.factories import NOW, Publications
from tests.legislation_comments import CIPHER


def decided(**overrides) -> CommentAdoptionDecided:
    fields = dict(
        comment_id="01jd3y0q9z8x7w6v5t4s3r2q1p",
        draft_id="gx-rural-2026",
        draft_title="广西壮族自治区乡村振兴促进条例（草案）",
        division="451226",
        point_id="sanjiang-point",
        decision="partly_adopted",
        reason="第三条已增加非遗产业扶持的规定",
        decided_at=NOW,
        has_contact=True,
    )
    return CommentAdoptionDecided(**{**fields, **overrides})


def inbox(store, recipient: str) -> list:
    return store.for_recipient(recipient, "", 10).items


def test_the_contributor_is_told_once_however_often_the_decision_is_delivered(mongo_db):
    store = InboxStore(mongo_db, Publications(), CIPHER)
    service = worker_factory(NotifyService, store=store)
    wire = decided().envelope("451226", "cid").wire()

    service.on_comment_adoption_decided(wire)
    service.on_comment_adoption_decided(wire)  # redelivered

    notes = inbox(store, "contributor:01jd3y0q9z8x7w6v5t4s3r2q1p")
    assert len(notes) == 1
    assert "部分采纳" in notes[0].body and "第三条已增加非遗产业扶持的规定" in notes[0].body
    assert "广西壮族自治区乡村振兴促进条例" in notes[0].body


def test_a_contributor_without_a_contact_is_not_addressed(mongo_db):
    store = InboxStore(mongo_db, Publications(), CIPHER)
    service = worker_factory(NotifyService, store=store)
    service.on_comment_adoption_decided(decided(has_contact=False).envelope("451226", "cid").wire())
    assert inbox(store, "contributor:01jd3y0q9z8x7w6v5t4s3r2q1p") == []


def test_the_office_hears_of_a_submission_once(mongo_db):
    store = InboxStore(mongo_db, Publications(), CIPHER)
    service = worker_factory(NotifyService, store=store)
    event = CommentsSubmitted(
        submission_id="01sub",
        draft_id="gx-rural-2026",
        office_id="gx-fgw",
        office_division="450000",
        division="451226",
        point_id="sanjiang-point",
        task_ids=[],
        comment_ids=["a", "b", "c"],
        submitted_at=NOW,
    )
    wire = event.envelope("451226", "cid").wire()
    service.on_comments_submitted(wire)
    service.on_comments_submitted(wire)
    notes = inbox(store, "legislative_office:450000")
    assert len(notes) == 1 and "3 条意见" in notes[0].body
