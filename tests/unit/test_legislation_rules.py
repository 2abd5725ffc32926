"""The drafts' and tasks' rules on their own: the window's announcements, early close, assignment and
forwarding, with no store and no broker."""

from datetime import UTC, date, datetime

import pytest

from contracts.errors import ErrorCode, ServiceError
from contracts.legislation.drafts import Article, DraftLevel
from contracts.legislation.tasks import AssignTaskIn, ForwardTaskIn
from services.legislation.directory.entries import ContactPoint
from services.legislation.drafts import rules
from services.legislation.drafts.draft import Draft
from services.legislation.tasks import rules as task_rules
from tests.factories import actor

OPENS = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)  # 09:00 in Beijing
CLOSES = datetime(2026, 12, 24, 10, 0, tzinfo=UTC)  # 18:00 in Beijing
OFFICE = actor(role="legislative_office", scope="450000")


def draft(**overrides) -> Draft:
    fields = dict(
        draft_id="01DRAFT",
        division="450000",
        office_id="gx-fgw",
        title="三江侗族自治县乡村旅游促进条例（草案）",
        level=DraftLevel.PROVINCIAL,
        version_name="征求意见稿",
        articles=[
            Article(number=1, text="为了促进乡村旅游发展，制定本条例。"),
            Article(number=2, text="本条例自公布之日起施行。"),
        ],
        opens_at=OPENS,
        closes_at=CLOSES,
        created_at=datetime(2026, 11, 20, tzinfo=UTC),
        created_by="legislative_office:01KEY",
    )
    return Draft(**{**fields, **overrides})


def point(point_id: str, division: str, partners: list[str] = ()) -> ContactPoint:
    return ContactPoint(
        point_id=point_id, division=division, name=f"{point_id}联系点", partners=list(partners), created_at=OPENS
    )


def test_the_window_is_announced_once_when_it_opens_and_once_when_it_closes():
    before, events = rules.announced(draft(), datetime(2026, 11, 24, 0, 59, tzinfo=UTC))
    assert events == [] and not before.opened
    opened, events = rules.announced(before, OPENS)
    assert [e.TYPE for e in events] == ["draft.opened"] and opened.opened
    assert rules.announced(opened, OPENS)[1] == []
    closed, events = rules.announced(opened, CLOSES)
    assert [e.TYPE for e in events] == ["draft.closed"] and events[0].early is False
    assert rules.announced(closed, datetime(2027, 1, 1, tzinfo=UTC))[1] == []


def test_open_means_from_the_opening_up_to_but_not_at_the_close():
    assert not draft().is_open(datetime(2026, 11, 24, 0, 59, tzinfo=UTC))
    assert draft().is_open(OPENS) and not draft().is_open(CLOSES)
    assert draft().article(2).text == "本条例自公布之日起施行。" and draft().article(3) is None


def test_an_early_close_ends_the_window_now_with_the_reason():
    now = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    closed, events = rules.close_early(draft(opened=True), "提前审议", OFFICE, now)
    assert closed.closes_at == now and closed.close_reason == "提前审议" and closed.closed
    assert [e.TYPE for e in events] == ["draft.closed"] and events[0].early and events[0].reason == "提前审议"
    with pytest.raises(ServiceError) as scheduled:
        rules.close_early(draft(), "提前审议", OFFICE, datetime(2026, 11, 23, tzinfo=UTC))
    assert scheduled.value.code == ErrorCode.INVALID_TRANSITION


NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


def test_a_task_names_the_point_and_starts_its_own_chain():
    command = AssignTaskIn(point_id="sanjiang", due_date=date(2026, 12, 15), focus_questions=["民宿条款？"])
    task, event = task_rules.assign(draft(), point("sanjiang", "450226"), command, OFFICE, NOW)
    assert task.task_id == "01DRAFT-sanjiang" and task.chain == ["sanjiang"] and task.division == "450226"
    assert task.draft_division == "450000" and event.TYPE == "task.assigned" and event.division == "450226"
    with pytest.raises(ServiceError) as unknown:
        task_rules.assign(draft(), None, command.model_copy(update={"point_id": "nowhere"}), OFFICE, NOW)
    assert unknown.value.field == "point_id"
    inactive = point("sanjiang", "450226").model_copy(update={"active": False})
    with pytest.raises(ServiceError):
        task_rules.assign(draft(), inactive, command, OFFICE, NOW)


def test_a_forward_extends_the_chain_to_a_partner_only():
    holder = point("sanjiang", "450226", ["congjiang"])
    command = AssignTaskIn(point_id="sanjiang", due_date=date(2026, 12, 15), focus_questions=["民宿条款？"])
    task, _ = task_rules.assign(draft(), holder, command, OFFICE, NOW)
    forward = ForwardTaskIn(partner_point_id="congjiang", focus_questions=["民宿条款？", "非遗条款？"])
    sanjiang_key = actor(role="contact_point", scope="450226")
    forwarded, event = task_rules.forward(
        task, holder, point("congjiang", "522633"), draft(), forward, sanjiang_key, NOW
    )
    assert forwarded.chain == ["sanjiang", "congjiang"] and forwarded.depth == 1 and forwarded.version == 0
    assert forwarded.focus_questions == ["民宿条款？", "非遗条款？"]  # no question twice
    assert forwarded.root_task_id == task.task_id and forwarded.due_date == task.due_date
    assert (event.from_point_id, event.point_id, event.division) == ("sanjiang", "congjiang", "522633")
    stranger = ForwardTaskIn(partner_point_id="rongshui")
    with pytest.raises(ServiceError) as refused:
        task_rules.forward(task, holder, point("rongshui", "450225"), draft(), stranger, sanjiang_key, NOW)
    assert refused.value.field == "partner_point_id"
