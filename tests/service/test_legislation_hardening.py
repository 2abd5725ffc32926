"""Nothing lost, nothing counted twice: a crash between storing comments and counting them, or in the
middle of a submission, is completed by the sweeper once, whatever the replicas; and what a partner
collects under a forwarded task flows back along the chain to the point that forwarded it."""

import random
from datetime import timedelta

import pytest
from nameko.testing.services import worker_factory

from contracts.errors import ErrorCode, ServiceError
from contracts.legislation.comments import AdoptionIn, CommentStatus, SubmitIn
from services.legislation.adoption import counters as adoption_counters
from services.legislation.adoption import handlers as adoption
from services.legislation.aggregates import handlers as aggregates
from services.legislation.aggregates.themes import themes
from services.legislation.comments import entrypoints as comment_entrypoints
from services.legislation.comments import handlers
from services.legislation.comments.store import CommentStore
from services.legislation.comments.submission import SubmissionState
from services.legislation.consolidation import handlers as consolidation
from services.legislation.directory import entrypoints as directory_entrypoints
from services.legislation.drafts import entrypoints as draft_entrypoints
from services.legislation.service import LegislationService
from services.legislation.store import LegislationStore
from services.legislation.tasks import entrypoints as task_entrypoints
from tests.factories import NOW, Publications, actor
from tests.legislation_comments import DRAFT_ID, office, offline, staff, world
from tests.service.test_legislation_aggregates import random_comment, recount
from tests.service.test_legislation_drafts import OFFICE, SANJIANG, TASK, Clock, open_draft

SWEEP_AGE = timedelta(seconds=60)
LATER = NOW + timedelta(minutes=5)


class Crash(Exception):
    """The process dies here."""


def counters(store) -> list[dict]:
    return list(store.comments.counters.find({}, {"counting": 0}).sort("_id", 1))


def assert_equal_to_a_recount(store) -> None:
    expected = recount(store)
    pulled = aggregates.pull(store, DRAFT_ID, None, office())
    for tally, key in [(pulled.totals, "all"), *((a, a.article) for a in pulled.articles)]:
        counted = expected[key]
        assert (tally.comments, tally.participants) == (counted["plain"]["comments"], counted["plain"]["participants"])
        for name in ("by_division", "by_channel", "by_stance", "by_point"):
            assert dict(getattr(tally, name)) == dict(counted[name]), (key, name)


def crashing(monkeypatch, target, name: str, after: int = 0) -> None:
    """`target.name` works `after` times, then crashes (once: the restarted process works)."""
    real, calls = getattr(target, name), {"n": 0}

    def crash(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == after + 1:
            raise Crash(name)
        return real(*args, **kwargs)

    monkeypatch.setattr(target, name, crash)


def test_comments_stored_but_not_counted_are_counted_by_the_sweep_once(mongo_db, monkeypatch):
    store, _ = world(mongo_db)
    rng = random.Random(7)
    for _ in range(40):
        random_comment(store, rng)
    # crashed before any counter, after the first counter, and after every counter but before the journal closed
    for crash_at in ("count", "apply", "journal"):
        with monkeypatch.context() as patched:
            if crash_at == "count":
                crashing(patched, store.comments, "count")
            elif crash_at == "apply":
                crashing(patched, store.comments, "apply", after=1)
            else:
                crashing(patched, store.comments.counting, "delete_one")
            with pytest.raises(Crash):
                random_comment(store, rng)
    assert store.comments.counting.count_documents({}) == 3
    short = aggregates.pull(store, DRAFT_ID, None, office()).totals.comments
    assert short < len(list(store.comments.of_draft(DRAFT_ID)))

    assert store.comments.settle(SWEEP_AGE, NOW + timedelta(seconds=30)) == 0  # a writer may still be at work
    assert store.comments.settle(SWEEP_AGE, LATER) == 3

    assert_equal_to_a_recount(store)
    settled = counters(store)
    assert store.comments.settle(SWEEP_AGE, LATER + timedelta(minutes=5)) == 0
    assert counters(store) == settled
    assert all(not doc.get("counting") for doc in store.comments.counters.find({}))  # no mark left behind


def test_a_batch_stored_but_not_counted_is_counted_once(mongo_db, monkeypatch):
    store, _ = world(mongo_db)
    rng = random.Random(9)
    for _ in range(20):
        random_comment(store, rng)
    made = list(store.comments.of_draft(DRAFT_ID))
    fresh = [c.model_copy(update={"comment_id": f"b{c.comment_id}", "seq": 0, "version": 0}) for c in made]
    crashing(monkeypatch, store.comments, "apply", after=2)
    with pytest.raises(Crash):
        store.comments.add_batch([(c, themes(c.readable)) for c in fresh], NOW)

    assert store.comments.settle(SWEEP_AGE, LATER) == 1
    assert_equal_to_a_recount(store)
    assert aggregates.pull(store, DRAFT_ID, None, office()).totals.comments == 40


class Stale:
    """A replica's journal as it found it, before the other replica claimed anything."""

    def __init__(self, real, found: list[dict]):
        self.real, self.found = real, found

    def __getattr__(self, name):
        return getattr(self.real, name)

    def find(self, *args, **kwargs):
        return self

    def limit(self, count: int) -> list[dict]:
        return self.found[:count]


class Interleaved:
    """A replica's counters whose first update lets the other replica sweep first: the other replica
    claims while this one is counting what it claimed."""

    def __init__(self, real, other: CommentStore):
        self.real, self.other, self.swept = real, other, None

    def __getattr__(self, name):
        return getattr(self.real, name)

    def update_one(self, *args, **kwargs):
        if self.swept is None:
            self.swept = self.other.settle(SWEEP_AGE, LATER)
        return self.real.update_one(*args, **kwargs)


def test_two_replicas_sweeping_at_once_count_each_comment_once(mongo_db, monkeypatch):
    store, published = world(mongo_db)
    rng = random.Random(11)
    for _ in range(10):
        random_comment(store, rng)
    for _ in range(2):
        with monkeypatch.context() as patched:
            crashing(patched, store.comments, "count")
            with pytest.raises(Crash):
                random_comment(store, rng)
    other = CommentStore(mongo_db, published)
    other.counting = Stale(other.counting, list(other.counting.find({}).sort("_id", 1)))
    monkeypatch.setattr(store.comments, "counters", Interleaved(store.comments.counters, other))

    settled_here = store.comments.settle(SWEEP_AGE, LATER)

    swept_there = store.comments.counters.swept
    assert (settled_here, swept_there) == (1, 1)  # each claimed one entry; neither took the other's
    assert_equal_to_a_recount(store)


def accepted_batch(store, count: int) -> list[str]:
    ids = []
    for n in range(count):
        comment = handlers.record_offline(store, DRAFT_ID, offline(text=f"意见{n}"), staff(), NOW)
        consolidation.review(store, comment.comment_id, staff(), NOW, consolidation.rule_for("accept", None, "-", NOW))
        ids.append(comment.comment_id)
    return ids


def submitted_events(published) -> list[dict]:
    return [w for w in published.wires if w["type"] == "comments.submitted"]


@pytest.mark.parametrize(
    "crash_at",
    [
        "after recording the batch",  # nothing frozen yet
        "between two freezes",
        "after freezing, before the event",
        "after the event, before the figures",
    ],
)
def test_a_submission_cut_short_is_completed_by_the_sweep_once(mongo_db, monkeypatch, crash_at):
    store, published = world(mongo_db)
    ids = accepted_batch(store, 3)
    with monkeypatch.context() as patched:
        if crash_at == "after recording the batch":
            crashing(patched, consolidation, "complete")
        elif crash_at == "between two freezes":
            crashing(patched, store.comments, "save", after=1)
        elif crash_at == "after freezing, before the event":
            crashing(patched, store.comments.submissions, "save")
        else:
            crashing(patched, store.comments.adoption, "submitted")
        with pytest.raises(Crash):
            consolidation.submit(store, DRAFT_ID, SubmitIn(point_id="sanjiang-point"), staff(), NOW, "cid")
    submission = store.comments.submissions.collection.find_one({})
    assert submission["state"] in ("pending", "recorded")

    assert consolidation.settle(store, SWEEP_AGE, NOW + timedelta(seconds=30)) == 0  # still the writer's
    assert consolidation.settle(store, SWEEP_AGE, LATER) == 1

    done = store.comments.submissions.get(submission["_id"])
    assert done.state is SubmissionState.DONE and sorted(done.comment_ids) == sorted(ids)
    assert all(store.comments.get(i).status is CommentStatus.SUBMITTED for i in ids)
    assert all(store.comments.get(i).submission_id == done.submission_id for i in ids)
    events = submitted_events(published)
    assert len(events) == 1 and sorted(events[0]["payload"]["comment_ids"]) == sorted(ids)
    figures = store.comments.adoption.figures("point:sanjiang-point")
    assert figures.submitted == 3
    assert consolidation.settle(store, SWEEP_AGE, LATER + timedelta(minutes=5)) == 0
    assert len(submitted_events(published)) == 1
    assert store.comments.adoption.figures("point:sanjiang-point").submitted == 3


@pytest.mark.parametrize("cut_short", ["complete", "submitted"])
def test_two_replicas_completing_one_submission_record_and_count_it_once(mongo_db, monkeypatch, cut_short):
    store, published = world(mongo_db)
    ids = accepted_batch(store, 2)
    with monkeypatch.context() as patched:
        crashing(patched, consolidation if cut_short == "complete" else store.comments.adoption, cut_short)
        with pytest.raises(Crash):
            consolidation.submit(store, DRAFT_ID, SubmitIn(point_id="sanjiang-point"), staff(), NOW, "cid")
    loaded = store.comments.submissions.page({}, "submitted_at", False, 10).items[0]
    assert loaded.state is (SubmissionState.PENDING if cut_short == "complete" else SubmissionState.RECORDED)
    other = LegislationStore(mongo_db, published)

    # both replicas loaded the unfinished batch; one runs through, then the other, from what it loaded
    consolidation.complete(other, loaded, LATER)
    after = consolidation.complete(store, loaded, LATER)

    assert after.state is SubmissionState.DONE and sorted(after.comment_ids) == sorted(ids)
    assert len(submitted_events(published)) == 1
    for scope in ("draft:" + DRAFT_ID, "point:sanjiang-point", "division:451226"):
        assert store.comments.adoption.figures(scope).submitted == 2


def test_a_submission_whose_comments_all_changed_meanwhile_is_void_and_says_nothing(mongo_db, monkeypatch):
    store, published = world(mongo_db)
    ids = accepted_batch(store, 1)
    real_freeze = consolidation.freeze

    def rejected_meanwhile(store, comment_id, submission_id, now):
        consolidation.review(
            store, comment_id, staff(), now, consolidation.rule_for("reject", {"reason": "重复"}, "-", now)
        )
        return real_freeze(store, comment_id, submission_id, now)

    monkeypatch.setattr(consolidation, "freeze", rejected_meanwhile)
    with pytest.raises(ServiceError) as refused:
        consolidation.submit(store, DRAFT_ID, SubmitIn(point_id="sanjiang-point"), staff(), NOW, "cid")

    assert refused.value.code == ErrorCode.CONFLICT
    assert store.comments.submissions.collection.find_one({})["state"] == SubmissionState.VOID.value
    assert store.comments.get(ids[0]).status is CommentStatus.REJECTED and not submitted_events(published)
    assert store.comments.adoption.figures("point:sanjiang-point").submitted == 0


# flow-back along the forwarding chain (三江 → 从江, across provinces)

CONGJIANG_STAFF = actor(role="contact_point", scope="522633", unit="congjiang").model_dump()
SANJIANG_STAFF = actor(role="contact_point", scope="450226", unit="sanjiang").model_dump()
RONGSHUI_STAFF = actor(role="contact_point", scope="450225", unit="rongshui").model_dump()
MEETING = {
    "point_id": "congjiang",
    "channel": "drum_tower",
    "meeting": {"held_on": "2026-11-25", "place": "小黄侗寨鼓楼", "participants": 31},
    "articles": [],
    "stance": "amend",
    "text": "建议民宿收入的一部分用于侗族大歌传承。",
}


@pytest.fixture
def published():
    return Publications()


@pytest.fixture
def service(mongo_db, published, monkeypatch):
    clock = Clock()
    for module in (directory_entrypoints, draft_entrypoints, task_entrypoints, comment_entrypoints):
        monkeypatch.setattr(module, "utc_now", clock)
    store = LegislationStore(mongo_db, published)
    store.ensure_indexes()
    service = worker_factory(LegislationService, store=store)
    service.clock = clock
    return service


def test_what_a_partner_collects_under_a_forwarded_task_flows_back_to_the_forwarder(service, published):
    draft_id = open_draft(service, service.clock)
    task = service.assign_task(draft_id, TASK, OFFICE)
    forward = {"partner_point_id": "congjiang", "due_date": "2026-12-10"}
    forwarded = service.forward_task(task["task_id"], forward, SANJIANG)
    heard = service.record_offline_comment(draft_id, {**MEETING, "task_id": forwarded["task_id"]}, CONGJIANG_STAFF)
    own = service.record_offline_comment(draft_id, {**MEETING, "point_id": "sanjiang"}, SANJIANG_STAFF)
    unasked = service.record_offline_comment(draft_id, MEETING, CONGJIANG_STAFF)  # 从江's own, under no task

    assert heard["chain"] == ["sanjiang", "congjiang"] and heard["division"] == "522633"
    assert unasked["chain"] == ["congjiang"]
    # seen and counted at every point on the chain
    assert service.comment(heard["comment_id"], SANJIANG_STAFF)["comment_id"] == heard["comment_id"]
    totals = service.comment_aggregates(draft_id, None, OFFICE)["totals"]
    assert totals["by_point"] == {"sanjiang": 2, "congjiang": 2} and totals["comments"] == 3
    with pytest.raises(ServiceError) as stranger:
        service.comment(heard["comment_id"], RONGSHUI_STAFF)
    assert stranger.value.code == ErrorCode.NOT_FOUND
    with pytest.raises(ServiceError) as not_theirs:
        service.review_comment(unasked["comment_id"], "accept", None, SANJIANG_STAFF)
    assert not_theirs.value.code == ErrorCode.FORBIDDEN

    # 三江 reviews what 从江 heard and submits it with its own to the office
    for comment in (heard, own):
        assert service.review_comment(comment["comment_id"], "accept", None, SANJIANG_STAFF)["status"] == "accepted"
    service.review_comment(unasked["comment_id"], "accept", None, CONGJIANG_STAFF)
    submission = service.submit_comments(draft_id, {"point_id": "sanjiang"}, SANJIANG_STAFF)

    assert sorted(submission["comment_ids"]) == sorted([heard["comment_id"], own["comment_id"]])
    event = submitted_events(published)[-1]["payload"]
    assert event["point_id"] == "sanjiang" and event["task_ids"] == [forwarded["task_id"]]
    assert service.comment(heard["comment_id"], CONGJIANG_STAFF)["status"] == "submitted"
    assert service.comment(unasked["comment_id"], CONGJIANG_STAFF)["status"] == "accepted"  # 从江's to submit
    assert service.adoption_figures("point", "sanjiang")["submitted"] == 2
    assert service.adoption_figures("point", "congjiang")["submitted"] == 1
    assert service.adoption_figures("division", "522633")["submitted"] == 1


ADOPTION_SCOPES = ("draft:" + DRAFT_ID, "point:sanjiang-point", "division:451226", "division:45")


def submitted_batch(store, count: int) -> list[str]:
    ids = accepted_batch(store, count)
    consolidation.submit(store, DRAFT_ID, SubmitIn(point_id="sanjiang-point"), staff(), NOW, "cid")
    return ids


def decisions(store) -> dict[str, tuple[int, int, int]]:
    """(adopted fully, partly, not) in every scope the comments count in."""
    figures = map(store.comments.adoption.figures, ADOPTION_SCOPES)
    return {f.scope: (f.fully_adopted, f.partly_adopted, f.not_adopted) for f in figures}


def decide(store, comment_id: str, decision: str):
    return adoption.decide(store, comment_id, AdoptionIn(decision=decision, reason="已修改"), office(), NOW, "cid")


@pytest.mark.parametrize(
    ("crash_in", "after", "saved"),
    [
        ("save", 0, False),  # journalled, then cut off before the comment's save
        ("decided", 0, True),  # saved, not counted at all
        ("apply_marked", 2, True),  # saved, counted in two scopes of four
    ],
)
def test_an_adoption_decision_cut_short_is_counted_by_the_sweep_once(mongo_db, monkeypatch, crash_in, after, saved):
    store, _ = world(mongo_db)
    first, second = submitted_batch(store, 2)
    decide(store, first, "adopted")
    target = {"save": store.comments, "decided": store.comments.adoption, "apply_marked": adoption_counters}[crash_in]
    with monkeypatch.context() as patched:
        crashing(patched, target, crash_in, after=after)
        with pytest.raises(Crash):
            decide(store, second, "partly_adopted")
    assert (store.comments.get(second).adoption is not None) is saved

    assert store.comments.settle_adoptions(SWEEP_AGE, NOW + timedelta(seconds=30)) == 0  # still the writer's
    assert store.comments.settle_adoptions(SWEEP_AGE, LATER) == 1
    expected = (1, 1 if saved else 0, 0)
    assert decisions(store) == dict.fromkeys(ADOPTION_SCOPES, expected)
    assert store.comments.settle_adoptions(SWEEP_AGE, LATER + timedelta(minutes=5)) == 0
    assert decisions(store) == dict.fromkeys(ADOPTION_SCOPES, expected)
    marks = store.comments.adoption.collection.find({"decisions": {"$exists": True, "$ne": {}}})
    assert list(marks) == []  # the journal's marks are cleared once it is settled


def test_a_corrected_decision_moves_its_count_even_when_the_first_is_settled_last(mongo_db, monkeypatch):
    store, _ = world(mongo_db)
    (comment_id,) = submitted_batch(store, 1)
    with monkeypatch.context() as patched:
        crashing(patched, store.comments.adoption, "decided")
        with pytest.raises(Crash):
            decide(store, comment_id, "not_adopted")  # saved, not counted
    decide(store, comment_id, "adopted")  # corrected: counted at once, taking one from not_adopted
    assert decisions(store) == dict.fromkeys(ADOPTION_SCOPES, (1, 0, -1))
    assert store.comments.settle_adoptions(SWEEP_AGE, LATER) == 1
    assert decisions(store) == dict.fromkeys(ADOPTION_SCOPES, (1, 0, 0))
    figures = store.comments.adoption.figures("point:sanjiang-point")
    assert (figures.submitted, figures.adopted, figures.undecided) == (1, 1, 0)
