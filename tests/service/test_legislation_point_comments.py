"""A point's comments on a draft for consolidation (整理) on a real store: its own in every state, each
with the original beside the edited words, never another point's or the online ones of no point;
seen by its staff and the draft's office only. And a merge into an unknown comment names `into`."""

from datetime import timedelta

import pytest
from nameko.testing.services import worker_factory

from contracts.errors import ErrorCode, ServiceError
from contracts.legislation.comments import CommentStatus
from services.legislation.comments import handlers
from services.legislation.consolidation import handlers as consolidation
from services.legislation.service import LegislationService
from tests.factories import NOW
from tests.legislation_comments import DRAFT_ID, office, offline, public, staff, world


@pytest.fixture
def store(mongo_db):
    return world(mongo_db)[0]


def refused(call, code: ErrorCode, field: str) -> ServiceError:
    with pytest.raises(ServiceError) as refusal:
        call()
    assert (refusal.value.code, refusal.value.field) == (code, field), refusal.value.detail
    return refusal.value


def test_a_point_lists_its_own_comments_in_every_state_with_the_original_beside_the_edit(store):
    later = [NOW + timedelta(minutes=n) for n in range(3)]  # ids made in one millisecond are not ordered
    first = handlers.record_offline(store, DRAFT_ID, offline(), staff(), later[0]).comment_id
    second = handlers.record_offline(store, DRAFT_ID, offline(language="zh", translation=None), staff(), later[1])
    duplicate = handlers.record_offline(store, DRAFT_ID, offline(), staff(), later[2]).comment_id
    handlers.record_offline(
        store, DRAFT_ID, offline(point_id="nanning-point"), staff("nanning-point", "450102"), NOW
    )  # another point's
    handlers.receive_public(store, DRAFT_ID, public(), NOW)  # online, of no point: the office's
    edit = {"text": "建议保护鼓楼周边古树。"}
    consolidation.review(store, first, staff(), NOW, consolidation.rule_for("edit", edit, "contact_point:01POINT", NOW))
    consolidation.review(store, second.comment_id, staff(), NOW, consolidation.rule_for("accept", {}, "-", NOW))
    consolidation.merge(store, duplicate, first, staff(), NOW)

    listed = consolidation.point_comments(store, DRAFT_ID, "sanjiang-point", staff())

    assert [c.comment_id for c in listed] == [first, second.comment_id, duplicate]  # as they arrived
    assert [c.status for c in listed] == [CommentStatus.RECEIVED, CommentStatus.ACCEPTED, CommentStatus.MERGED]
    assert listed[0].text == "Nyaoh dangc dih yangh jaix, bail xic sangp weenh."  # 原汁原味
    assert listed[0].translation == "希望保留鼓楼周边的老榕树，侗族大歌进校园要有经费保障。"
    assert listed[0].edited.text == "建议保护鼓楼周边古树。" and listed[0].duplicates == [duplicate]
    assert listed[2].merged_into == first
    office_sees = consolidation.point_comments(store, DRAFT_ID, "sanjiang-point", office())
    assert [c.comment_id for c in office_sees] == [first, second.comment_id, duplicate]


def test_another_points_staff_an_unknown_point_or_draft_are_refused(store):
    handlers.record_offline(store, DRAFT_ID, offline(), staff(), NOW)
    refused(
        lambda: consolidation.point_comments(store, DRAFT_ID, "sanjiang-point", staff("nanning-point", "450102")),
        ErrorCode.FORBIDDEN,
        "point_id",
    )
    refused(
        lambda: consolidation.point_comments(store, DRAFT_ID, "sanjiang-point", office("44")),
        ErrorCode.FORBIDDEN,
        "point_id",
    )
    refused(lambda: consolidation.point_comments(store, DRAFT_ID, "nowhere", staff()), ErrorCode.INVALID, "point_id")
    refused(
        lambda: consolidation.point_comments(store, "no-such-draft", "sanjiang-point", staff()),
        ErrorCode.NOT_FOUND,
        "draft_id",
    )


def test_the_rpc_answers_each_comment_as_its_view_without_a_contact(store):
    recorded = handlers.record_offline(store, DRAFT_ID, offline(), staff(), NOW)
    service = worker_factory(LegislationService, store=store)

    answer = service.point_comments(DRAFT_ID, "sanjiang-point", staff().model_dump(mode="json"))

    assert [c["comment_id"] for c in answer] == [recorded.comment_id]
    assert answer[0]["language"] == "kmc" and answer[0]["edited"] is None and answer[0]["has_contact"] is False
    assert "contact" not in answer[0]


def test_a_merge_into_itself_or_an_unknown_comment_names_into_and_changes_nothing(store):
    recorded = handlers.record_offline(store, DRAFT_ID, offline(), staff(), NOW)
    before = store.comments.get(recorded.comment_id)
    refused(
        lambda: consolidation.merge(store, recorded.comment_id, "01nosuch", staff(), NOW), ErrorCode.INVALID, "into"
    )
    refused(
        lambda: consolidation.merge(store, recorded.comment_id, recorded.comment_id, staff(), NOW),
        ErrorCode.INVALID,
        "into",
    )
    assert store.comments.get(recorded.comment_id) == before
