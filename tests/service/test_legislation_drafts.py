"""The directory, drafts and tasks RPCs of legislation with nameko's worker_factory on the real store:
the directory and partners, drafts typed in or parsed (a broken text changes nothing), the window
opening and closing by itself once each across replicas, early close, versions, and tasks forwarded
across provinces with their chain."""

from datetime import UTC, datetime

import pytest
from nameko.testing.services import worker_factory

from contracts.errors import ErrorCode, ServiceError
from devtools.legislation_texts import SANJIANG_TOURISM, SANJIANG_TOURISM_BROKEN
from services.legislation.directory import entrypoints as directory_entrypoints
from services.legislation.drafts import entrypoints as draft_entrypoints
from services.legislation.drafts import handlers as draft_handlers
from services.legislation.drafts.versions import previous_versions
from services.legislation.service import LegislationService
from services.legislation.store import LegislationStore
from services.legislation.tasks import entrypoints as task_entrypoints
from services.legislation.tasks.chain import task_chain
from services.notify.service import NotifyService
from services.notify.store import InboxStore
from tests.factories import Publications, actor

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 23 November, 10:00 in Beijing
OFFICE = actor(role="legislative_office", scope="450000").model_dump()
SANJIANG = actor(role="contact_point", scope="450226").model_dump()
CONGJIANG = actor(role="contact_point", scope="522633").model_dump()
ADMIN = actor(role="admin", scope="").model_dump()


class Clock:
    def __init__(self):
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    for module in (directory_entrypoints, draft_entrypoints, task_entrypoints):
        monkeypatch.setattr(module, "utc_now", clock)
    return clock


@pytest.fixture
def published():
    return Publications()


@pytest.fixture
def store(mongo_db, published):
    store = LegislationStore(mongo_db, published)
    store.ensure_indexes()
    return store


@pytest.fixture
def service(store, clock):
    return worker_factory(LegislationService, store=store)


def refused(call, *args) -> ServiceError:
    with pytest.raises(ServiceError) as error:
        call(*args)
    return error.value


def register_directory(service) -> None:
    service.register_office(
        {"office_id": "gx-fgw", "division": "450000", "name": "广西人大常委会法工委", "level": "provincial"}
    )
    for point_id, division, name in [
        ("congjiang", "522633", "从江县基层立法联系点"),
        ("tongdao", "431230", "通道侗族自治县基层立法联系点"),
        ("rongshui", "450225", "融水苗族自治县基层立法联系点"),
    ]:
        service.register_point({"point_id": point_id, "division": division, "name": name})
    service.register_point(
        {
            "point_id": "sanjiang",
            "division": "450226",
            "name": "三江侗族自治县基层立法联系点",
            "partners": ["congjiang", "tongdao"],
        }
    )


def draft(**overrides) -> dict:
    return {
        "office_id": "gx-fgw",
        "title": "三江侗族自治县乡村旅游促进条例（草案）",
        "level": "provincial",
        "version": "征求意见稿",
        "explanation": "为促进乡村旅游发展，起草本条例。",
        "text": SANJIANG_TOURISM,
        "opens_at": "2026-11-24T09:00:00",
        "closes_at": "2026-12-24T18:00:00",
        **overrides,
    }


def types(published: Publications) -> list[str]:
    return published.types()


def test_the_directory_keeps_points_with_partners_officers_and_collection_points(service):
    register_directory(service)
    point = service.contact_point("sanjiang")
    assert [(p["point_id"], p["division"]) for p in point["partners"]] == [
        ("congjiang", "522633"),
        ("tongdao", "431230"),
    ]
    officer = service.register_officer(
        {"officer_id": "sj-wu", "point_id": "sanjiang", "name": "吴美兰", "role": "liaison"}, SANJIANG
    )
    assert officer["division"] == "450226"
    collection = service.register_collection_point(
        {
            "collection_point_id": "sj-chengyang",
            "point_id": "sanjiang",
            "division": "450226104",
            "name": "程阳八寨信息采集点",
        },
        SANJIANG,
    )
    assert collection["division"] == "450226104"
    listing = service.legislative_directory("4502")
    assert [p["point_id"] for p in listing["points"]] == ["rongshui", "sanjiang"]
    assert [o["officer_id"] for o in listing["officers"]] == ["sj-wu"]
    assert [c["name"] for c in listing["collection_points"]] == ["程阳八寨信息采集点"]
    assert listing["offices"] == []  # 450000 is not under 4502
    assert [o["office_id"] for o in service.legislative_directory("45")["offices"]] == ["gx-fgw"]


def test_partners_must_be_other_known_points_and_only_the_points_own_keys_change_them(service, store):
    register_directory(service)
    unknown = refused(service.set_partners, "sanjiang", {"partners": ["nowhere"]}, SANJIANG)
    assert (unknown.code, unknown.field) == (ErrorCode.INVALID, "partners")
    itself = refused(service.set_partners, "sanjiang", {"partners": ["sanjiang"]}, SANJIANG)
    assert itself.field == "partners"
    outside = refused(service.set_partners, "sanjiang", {"partners": ["rongshui"]}, CONGJIANG)
    assert outside.code == ErrorCode.NOT_FOUND
    assert store.points.get("sanjiang").partners == ["congjiang", "tongdao"]  # nothing changed
    changed = service.set_partners("sanjiang", {"partners": ["congjiang", "tongdao", "rongshui"]}, SANJIANG)
    assert [p["point_id"] for p in changed["partners"]] == ["congjiang", "tongdao", "rongshui"]
    taken = refused(service.register_point, {"point_id": "sanjiang", "division": "450226", "name": "重复的联系点"})
    assert taken.code == ErrorCode.CONFLICT and taken.state["name"] == "三江侗族自治县基层立法联系点"


def test_a_draft_parsed_from_its_text_is_scheduled_until_its_window_opens(service):
    register_directory(service)
    created = service.create_draft(draft(), OFFICE)
    assert created["status"] == "scheduled" and created["version"] == "征求意见稿" and created["division"] == "450000"
    assert len(created["articles"]) == 20 and created["articles"][5]["section"] == "第一节 规划"
    assert created["opens_at"] == "2026-11-24T09:00:00+08:00"
    assert refused(service.public_draft, created["draft_id"]).code == ErrorCode.NOT_FOUND
    assert service.public_drafts("")["items"] == []
    assert service.draft(created["draft_id"], SANJIANG)["title"] == created["title"]  # consulted points read it


def test_a_broken_text_is_refused_naming_the_line_and_nothing_is_stored(service, store):
    register_directory(service)
    error = refused(service.create_draft, draft(text=SANJIANG_TOURISM_BROKEN), OFFICE)
    assert (error.code, error.field) == (ErrorCode.INVALID, "text")
    assert error.state == {"line": 24, "expected": "第十二条", "found": "第十三条"} and "第 24 行" in error.detail
    assert store.drafts.collection.count_documents({}) == 0


def test_a_draft_of_an_unknown_or_foreign_office_or_a_past_window_is_refused(service, store):
    register_directory(service)
    assert refused(service.create_draft, draft(office_id="nowhere"), OFFICE).field == "office_id"
    foreign = actor(role="legislative_office", scope="330000").model_dump()
    assert refused(service.create_draft, draft(), foreign).code == ErrorCode.FORBIDDEN
    assert refused(service.create_draft, draft(level="national"), OFFICE).field == "level"
    past = draft(opens_at="2026-10-01T09:00:00", closes_at="2026-11-01T09:00:00")
    assert refused(service.create_draft, past, OFFICE).field == "closes_at"
    typed = draft(text=None, articles=[{"number": 1, "text": "甲。"}, {"number": 3, "text": "丙。"}])
    assert refused(service.create_draft, typed, OFFICE).code == ErrorCode.INVALID
    assert store.drafts.collection.count_documents({}) == 0


def test_the_window_opens_and_closes_by_itself_each_event_once(service, clock, published):
    register_directory(service)
    created = service.create_draft(draft(), OFFICE)
    service.announce_draft_windows()
    assert "draft.opened" not in types(published)
    clock.now = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)  # 09:00 in Beijing
    service.announce_draft_windows()
    service.announce_draft_windows()
    assert types(published).count("draft.opened") == 1
    assert service.public_drafts("")["items"][0]["article_count"] == 20
    assert service.public_draft(created["draft_id"])["status"] == "open"
    clock.now = datetime(2026, 12, 24, 10, 0, tzinfo=UTC)  # 18:00 in Beijing
    service.announce_draft_windows()
    service.announce_draft_windows()
    assert types(published).count("draft.closed") == 1
    closed = next(wire for wire in published.wires if wire["type"] == "draft.closed")
    assert closed["payload"]["early"] is False and closed["division"] == "450000"
    assert service.public_draft(created["draft_id"])["status"] == "closed"
    assert service.public_drafts("")["items"] == []


def test_a_timer_that_first_looks_after_the_close_announces_both_in_order(service, clock, published):
    register_directory(service)
    service.create_draft(draft(), OFFICE)
    clock.now = datetime(2027, 1, 5, tzinfo=UTC)
    service.announce_draft_windows()
    assert types(published) == ["draft.opened", "draft.closed"]


def test_two_replicas_announcing_at_once_publish_each_event_once(mongo_db, service, store, clock, published):
    register_directory(service)
    created = service.create_draft(draft(), OFFICE)
    other = LegislationStore(mongo_db, published)  # a second replica on the same database
    now = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
    stale = other.drafts.get(created["draft_id"])  # the other replica loaded it before the first saved
    assert draft_handlers.announce_windows(store, now) == 1
    with pytest.raises(draft_handlers.VersionConflict):
        other.drafts.save(*draft_handlers.rules.announced(stale, now))
    assert draft_handlers.announce_windows(other, now) == 0
    assert types(published) == ["draft.opened"]


def test_an_office_closes_a_consultation_early_once(service, store, clock, published):
    register_directory(service)
    created = service.create_draft(draft(), OFFICE)
    assert refused(service.close_draft, created["draft_id"], {"reason": "提前审议"}, OFFICE).code == (
        ErrorCode.INVALID_TRANSITION
    )  # not open yet
    clock.now = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    outside = actor(role="legislative_office", scope="330000").model_dump()
    assert (
        refused(service.close_draft, created["draft_id"], {"reason": "提前审议"}, outside).code == ErrorCode.NOT_FOUND
    )
    closed = service.close_draft(created["draft_id"], {"reason": "常委会会议提前审议"}, OFFICE)
    assert closed["status"] == "closed" and closed["closed_early"] and closed["close_reason"] == "常委会会议提前审议"
    assert closed["closes_at"] == "2026-12-01T10:00:00+08:00"
    assert types(published) == ["draft.opened", "draft.closed"]  # the timer had not seen it open yet
    assert published.wires[-1]["payload"]["early"] is True
    again = refused(service.close_draft, created["draft_id"], {"reason": "再次关闭"}, OFFICE)
    assert again.code == ErrorCode.INVALID_TRANSITION and again.state == {"status": "closed"}
    clock.now = datetime(2027, 1, 1, tzinfo=UTC)
    service.announce_draft_windows()
    assert types(published) == ["draft.opened", "draft.closed"]


def test_a_new_version_follows_the_old_one_which_keeps_its_own_articles(service, store):
    register_directory(service)
    first = service.create_draft(draft(), OFFICE)
    second = service.create_draft(draft(version="一审稿", previous_draft_id=first["draft_id"]), OFFICE)
    assert second["previous_draft_id"] == first["draft_id"]
    rival = refused(service.create_draft, draft(version="一审稿", previous_draft_id=first["draft_id"]), OFFICE)
    assert rival.code == ErrorCode.CONFLICT and rival.state == {"draft_id": second["draft_id"]}
    third = service.create_draft(draft(version="二审稿", previous_draft_id=second["draft_id"]), OFFICE)
    assert [v["version"] for v in service.draft_versions(second["draft_id"], OFFICE)] == [
        "征求意见稿",
        "一审稿",
        "二审稿",
    ]
    assert [d.draft_id for d in previous_versions(store, third["draft_id"])] == [second["draft_id"], first["draft_id"]]
    assert previous_versions(store, first["draft_id"]) == []
    unknown = refused(service.create_draft, draft(previous_draft_id="01NOSUCHDRAFT"), OFFICE)
    assert unknown.field == "previous_draft_id"
    assert store.drafts.collection.count_documents({}) == 3


def open_draft(service, clock) -> str:
    register_directory(service)
    created = service.create_draft(draft(), OFFICE)
    clock.now = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
    return created["draft_id"]


TASK = {"point_id": "sanjiang", "due_date": "2026-12-15", "focus_questions": ["民宿客房数量上限是否合适？"]}


def test_an_office_gives_a_point_a_task_once(service, store, clock, published):
    draft_id = open_draft(service, clock)
    task = service.assign_task(draft_id, TASK, OFFICE)
    assert task["task_id"] == f"{draft_id}-sanjiang" and [link["point_id"] for link in task["chain"]] == ["sanjiang"]
    assert task["draft_title"] == "三江侗族自治县乡村旅游促进条例（草案）" and task["forwarded_from"] is None
    assigned = published.wires[-1]
    assert assigned["type"] == "task.assigned" and assigned["division"] == "450226"
    assert assigned["payload"]["focus_questions"] == ["民宿客房数量上限是否合适？"]
    twice = refused(service.assign_task, draft_id, TASK, OFFICE)
    assert twice.code == ErrorCode.CONFLICT and twice.state["task_id"] == task["task_id"]
    assert types(published).count("task.assigned") == 1


def test_a_task_to_an_unknown_point_or_with_a_bad_due_date_changes_nothing(service, store, clock, published):
    draft_id = open_draft(service, clock)
    unknown = refused(service.assign_task, draft_id, {**TASK, "point_id": "nowhere"}, OFFICE)
    assert (unknown.code, unknown.field) == (ErrorCode.INVALID, "point_id")
    late = refused(service.assign_task, draft_id, {**TASK, "due_date": "2027-01-10"}, OFFICE)
    assert late.field == "due_date"
    past = refused(service.assign_task, draft_id, {**TASK, "due_date": "2026-11-01"}, OFFICE)
    assert past.field == "due_date"
    foreign = actor(role="legislative_office", scope="330000").model_dump()
    assert refused(service.assign_task, draft_id, TASK, foreign).code == ErrorCode.NOT_FOUND
    assert store.tasks.collection.count_documents({}) == 0 and "task.assigned" not in types(published)


def test_a_point_forwards_its_task_to_a_partner_in_another_province_and_the_chain_is_shown(
    service, store, clock, published
):
    draft_id = open_draft(service, clock)
    task = service.assign_task(draft_id, TASK, OFFICE)
    forward = {"partner_point_id": "congjiang", "due_date": "2026-12-10", "focus_questions": ["侗族大歌保护条款？"]}
    forwarded = service.forward_task(task["task_id"], forward, SANJIANG)
    assert forwarded["division"] == "522633" and forwarded["forwarded_from"] == task["task_id"]
    assert [link["point_id"] for link in forwarded["chain"]] == ["sanjiang", "congjiang"]
    assert forwarded["chain"][0]["task_id"] == task["task_id"]
    assert forwarded["focus_questions"] == ["民宿客房数量上限是否合适？", "侗族大歌保护条款？"]
    event = published.wires[-1]
    assert event["type"] == "task.forwarded" and event["division"] == "522633"
    assert event["payload"]["chain"] == ["sanjiang", "congjiang"] and event["payload"]["from_point_id"] == "sanjiang"
    # what the partner collects flows back: its task's comments count for 三江 too
    assert task_chain(store, forwarded["task_id"]) == ["sanjiang", "congjiang"]
    assert task_chain(store, "no-such-task") == []
    shown = service.task(task["task_id"], SANJIANG)
    assert [(f["point_id"], f["due_date"]) for f in shown["forwards"]] == [("congjiang", "2026-12-10")]
    # the partner sees its task and where it came from; the forwarder sees what it forwarded
    assert service.task(forwarded["task_id"], CONGJIANG)["chain"][0]["name"] == "三江侗族自治县基层立法联系点"
    assert service.task(forwarded["task_id"], SANJIANG)["point_id"] == "congjiang"
    assert service.task(forwarded["task_id"], OFFICE)["task_id"] == forwarded["task_id"]
    stranger = actor(role="contact_point", scope="450225").model_dump()
    assert refused(service.task, forwarded["task_id"], stranger).code == ErrorCode.NOT_FOUND
    listing = service.tasks(draft_id, None, OFFICE)
    assert {item["point_id"] for item in listing["items"]} == {"sanjiang", "congjiang"}
    assert [item["point_id"] for item in service.tasks(None, None, CONGJIANG)["items"]] == ["congjiang"]


def test_forwarding_to_a_non_partner_an_unknown_point_or_back_along_the_chain_is_refused(
    service, store, clock, published
):
    draft_id = open_draft(service, clock)
    task = service.assign_task(draft_id, TASK, OFFICE)
    not_partner = refused(service.forward_task, task["task_id"], {"partner_point_id": "rongshui"}, SANJIANG)
    assert (not_partner.code, not_partner.field) == (ErrorCode.INVALID, "partner_point_id")
    assert "不是" in not_partner.detail
    unknown = refused(service.forward_task, task["task_id"], {"partner_point_id": "nowhere"}, SANJIANG)
    assert unknown.field == "partner_point_id"
    later = refused(
        service.forward_task, task["task_id"], {"partner_point_id": "congjiang", "due_date": "2026-12-20"}, SANJIANG
    )
    assert later.field == "due_date"  # not after the forwarding task's own
    not_holder = refused(service.forward_task, task["task_id"], {"partner_point_id": "congjiang"}, CONGJIANG)
    assert not_holder.code == ErrorCode.NOT_FOUND
    assert store.tasks.collection.count_documents({}) == 1 and "task.forwarded" not in types(published)
    forwarded = service.forward_task(task["task_id"], {"partner_point_id": "congjiang"}, SANJIANG)
    assert forwarded["due_date"] == "2026-12-15"  # the task's own by default
    service.set_partners("congjiang", {"partners": ["sanjiang"]}, CONGJIANG)
    back = refused(service.forward_task, forwarded["task_id"], {"partner_point_id": "sanjiang"}, CONGJIANG)
    assert back.code == ErrorCode.CONFLICT  # 三江 already holds the draft's task: no loops


def test_no_task_on_a_closed_draft(service, store, clock):
    draft_id = open_draft(service, clock)
    service.close_draft(draft_id, {"reason": "提前审议"}, OFFICE)
    closed = refused(service.assign_task, draft_id, TASK, OFFICE)
    assert closed.code == ErrorCode.INVALID_TRANSITION


def test_notify_tells_the_office_and_the_points_once_each_however_often_an_event_comes(
    mongo_db, service, clock, published
):
    draft_id = open_draft(service, clock)
    service.announce_draft_windows()
    task = service.assign_task(draft_id, TASK, OFFICE)
    service.forward_task(task["task_id"], {"partner_point_id": "congjiang"}, SANJIANG)
    service.close_draft(draft_id, {"reason": "常委会会议提前审议"}, OFFICE)
    assert types(published) == ["draft.opened", "task.assigned", "task.forwarded", "draft.closed"]
    inbox = InboxStore(mongo_db, Publications())
    inbox.ensure_indexes()
    notify = worker_factory(NotifyService, store=inbox)
    handlers = {
        "draft.opened": notify.on_draft_opened,
        "draft.closed": notify.on_draft_closed,
        "task.assigned": notify.on_task_assigned,
        "task.forwarded": notify.on_task_forwarded,
    }
    for wire in published.wires * 2:  # every event delivered twice
        handlers[wire["type"]](wire)
    notes = {note["recipient"]: note for note in inbox.notifications.collection.find({}, {"outbox": 0})}
    assert inbox.notifications.collection.count_documents({}) == 4
    assert notes["contact_point:450226"]["title"] == "新的立法征询意见任务"
    assert "2026-12-15" in notes["contact_point:450226"]["body"]
    assert "民宿客房数量上限是否合适" in notes["contact_point:450226"]["body"]
    assert notes["contact_point:522633"]["division"] == "522633"
    assert "sanjiang" in notes["contact_point:522633"]["body"]
    office = [n for n in inbox.notifications.collection.find({"recipient": "legislative_office:450000"})]
    assert sorted(n["kind"] for n in office) == ["draft.closed", "draft.opened"]
    assert any("提前结束" in n["body"] for n in office)


def test_a_claim_on_the_next_version_left_by_a_crash_is_taken_over(service, store):
    register_directory(service)
    first = service.create_draft(draft(), OFFICE)
    # a crash between claiming the place and storing the draft left a claim without a draft
    assert store.claim_successor(first["draft_id"], "01NEVERSTORED") == "01NEVERSTORED"
    assert store.successor(first["draft_id"]) is None
    second = service.create_draft(draft(version="一审稿", previous_draft_id=first["draft_id"]), OFFICE)
    assert store.successor(first["draft_id"]) == second["draft_id"]
    assert [v["version"] for v in service.draft_versions(first["draft_id"], OFFICE)] == ["征求意见稿", "一审稿"]
