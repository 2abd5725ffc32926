"""The incremental counters equal a plain recount of the comments, and the feed gives each change
exactly once across pulls while comments keep arriving."""

import random
from collections import Counter, defaultdict
from datetime import timedelta

import pytest

from contracts.errors import ErrorCode, ServiceError
from contracts.legislation.comments import CommentChannel, Meeting
from services.legislation.aggregates import handlers as aggregates
from services.legislation.aggregates.themes import themes
from services.legislation.comments import handlers
from services.legislation.consolidation import handlers as consolidation
from services.legislation.feed import cursor, reader
from services.legislation.feed.handlers import feed
from tests.factories import NOW
from tests.legislation_comments import DRAFT_ID, office, offline, public, staff, world

WORDS = ["物业收费", "侗族大歌", "鼓楼保护", "农村宅基地", "特色产业", "乡村教师", "古树名木", "村级道路"]


def random_comment(store, rng: random.Random, now=NOW):
    articles = rng.sample([1, 2, 3], rng.randint(0, 2))
    stance = rng.choice([None, "support", "oppose", "amend", "question"])
    text = f"关于{rng.choice(WORDS)}和{rng.choice(WORDS)}，建议进一步完善。"
    if rng.random() < 0.5:
        division = rng.choice(["451226001", "450102", "450203"])
        point_id = rng.choice([None, "nanning-point"])
        return handlers.receive_public(
            store,
            DRAFT_ID,
            public(articles=articles, stance=stance, text=text, division=division, point_id=point_id),
            now,
        )
    meeting = Meeting(held_on=NOW.date(), place="程阳桥头", participants=rng.randint(1, 40))
    command = offline(
        articles=articles,
        stance=stance,
        channel=rng.choice([CommentChannel.SYMPOSIUM, CommentChannel.DRUM_TOWER]),
        meeting=meeting,
        language="zh",
        translation=None,
        text=text,
    )
    return handlers.record_offline(store, DRAFT_ID, command, staff(), now)


def recount(store) -> dict[int | str, dict]:
    """What the counters should say, counted the slow way from the comments themselves."""
    counts: dict = defaultdict(lambda: defaultdict(Counter))
    for comment in store.comments.of_draft(DRAFT_ID):
        for key in [*(comment.articles or [0]), "all"]:
            tally = counts[key]
            tally["plain"].update(comments=1, participants=comment.participants)
            tally["by_division"][comment.division] += 1
            tally["by_channel"][comment.channel.value] += 1
            tally["by_stance"][comment.stance.value if comment.stance else "none"] += 1
            for point_id in comment.chain:  # every point it flows back to
                tally["by_point"][point_id] += 1
            if key != "all":
                tally["themes"].update(themes(comment.readable))
    return counts


def test_the_aggregates_equal_a_plain_recount(mongo_db):
    store, _ = world(mongo_db)
    rng = random.Random(12)
    for _ in range(300):
        random_comment(store, rng)
    expected = recount(store)

    pulled = aggregates.pull(store, DRAFT_ID, None, office())

    def same(tally, counted):
        assert (tally.comments, tally.participants) == (counted["plain"]["comments"], counted["plain"]["participants"])
        for name in ("by_division", "by_channel", "by_stance", "by_point"):
            assert dict(getattr(tally, name)) == dict(counted[name]), name

    same(pulled.totals, expected["all"])
    assert [a.article for a in pulled.articles] == sorted(k for k in expected if k != "all")
    for article in pulled.articles:
        counted = expected[article.article]
        same(article, counted)
        top = sorted(counted["themes"].items(), key=lambda pair: (-pair[1], pair[0]))[: len(article.themes)]
        assert [(t.term, t.count) for t in article.themes] == top
        weights = [r.participants for r in article.representatives]
        assert weights == sorted(weights, reverse=True) and weights[0] == max(
            c.participants for c in store.comments.of_draft(DRAFT_ID) if article.article in (c.articles or [0])
        )
    assert aggregates.pull(store, DRAFT_ID, 3, office()).articles[0].comments == expected[3]["plain"]["comments"]


def test_the_feed_gives_each_change_exactly_once_while_comments_keep_arriving(mongo_db):
    store, _ = world(mongo_db)
    rng = random.Random(7)
    delivered: list[tuple[str, int]] = []
    changes: list[tuple[str, int]] = []
    after = None
    for round_ in range(40):
        for _ in range(rng.randint(0, 9)):
            made = random_comment(store, rng)
            changes.append((made.comment_id, store.comments.get(made.comment_id).seq))
        for comment in rng.sample(list(store.comments.of_draft(DRAFT_ID)), min(2, round_)):
            if comment.status.value == "received":  # accepting changes it: the feed shows it again
                reviewer = staff() if comment.point_id == "sanjiang-point" else None
                if reviewer is not None:
                    rule = consolidation.rule_for("accept", {}, "-", NOW)
                    changed = consolidation.review(store, comment.comment_id, reviewer, NOW, rule)
                    changes.append((changed.comment_id, changed.seq))
        page = feed(store, DRAFT_ID, after, rng.randint(1, 7), office(), NOW)
        delivered += [(item.comment_id, item.seq) for item in page.items]
        after = page.cursor
    while True:
        page = feed(store, DRAFT_ID, after, 50, office(), NOW)
        delivered += [(item.comment_id, item.seq) for item in page.items]
        after = page.cursor
        if not page.more:
            break

    assert len(delivered) == len(set(delivered))  # never twice
    assert delivered == sorted(delivered, key=lambda pair: pair[1])  # in the order of the changes
    # every comment's last state arrives; an earlier state is skipped only if changed before it was pulled
    latest = {comment.comment_id: comment.seq for comment in store.comments.of_draft(DRAFT_ID)}
    assert set(latest.items()) <= set(delivered) and set(delivered) <= set(changes)
    assert feed(store, DRAFT_ID, after, 50, office(), NOW).items == []


def test_the_feed_waits_at_a_write_in_flight_and_passes_an_abandoned_one(mongo_db):
    store, _ = world(mongo_db)
    first = handlers.receive_public(store, DRAFT_ID, public(), NOW)
    in_flight = store.comments.get(first.comment_id).model_copy(update={"comment_id": "in-flight"})
    store.comments.stamp(in_flight, NOW)  # numbered, but the comment is not written yet
    later = handlers.receive_public(store, DRAFT_ID, public(), NOW)

    page = feed(store, DRAFT_ID, None, 10, office(), NOW)
    assert [item.comment_id for item in page.items] == [first.comment_id] and page.more

    still = feed(store, DRAFT_ID, page.cursor, 10, office(), NOW + timedelta(seconds=1))
    assert still.items == [] and still.cursor == page.cursor

    settled = feed(store, DRAFT_ID, page.cursor, 10, office(), NOW + reader.SETTLE)
    assert [item.comment_id for item in settled.items] == [later.comment_id] and not settled.more


def test_a_missing_entry_waits_until_a_later_one_has_settled(mongo_db):
    store, _ = world(mongo_db)
    store.comments.feed_heads.update_one({"_id": DRAFT_ID}, {"$inc": {"seq": 1}, "$set": {"at": NOW}}, upsert=True)
    after = handlers.receive_public(store, DRAFT_ID, public(), NOW)  # number 2; number 1 never written

    assert feed(store, DRAFT_ID, None, 10, office(), NOW).items == []
    late = feed(store, DRAFT_ID, None, 10, office(), NOW + reader.SETTLE)
    assert [item.comment_id for item in late.items] == [after.comment_id]


@pytest.mark.parametrize(
    "bad",
    [
        "%%%",
        "bm90IGEgY3Vyc29y",
        cursor.encode("another-draft", 1),
        cursor.encode(DRAFT_ID, 999),
        cursor.encode(DRAFT_ID, 1) + "x",
    ],
)
def test_a_malformed_cursor_is_refused_naming_the_cursor(mongo_db, bad):
    store, _ = world(mongo_db)
    handlers.receive_public(store, DRAFT_ID, public(), NOW)
    with pytest.raises(ServiceError) as refusal:
        feed(store, DRAFT_ID, bad, 10, office(), NOW)
    assert (refusal.value.code, refusal.value.field) == (ErrorCode.INVALID, "cursor")


def test_a_batch_counts_and_numbers_as_the_comments_one_by_one_would(tmp_path):
    from infra.embedded import EmbeddedClient

    client = EmbeddedClient(tmp_path / "data")
    one_by_one, _ = world(client["one"])
    batched, _ = world(client["batch"])
    rng = random.Random(3)
    for _ in range(60):
        random_comment(one_by_one, rng)
    made = list(one_by_one.comments.of_draft(DRAFT_ID))
    fresh = [c.model_copy(update={"seq": 0, "version": 0}) for c in made]
    batched.comments.add_batch([(c, themes(c.readable)) for c in fresh[:25]], NOW)
    batched.comments.add_batch([(c, themes(c.readable)) for c in fresh[25:]], NOW)

    def counters(store):
        docs = store.comments.counters.find({}).sort("_id", 1)
        return [{k: v for k, v in doc.items() if k != "representatives"} for doc in docs]

    assert counters(batched) == counters(one_by_one)
    for number in (0, 1, 2, 3):
        mine, theirs = batched.comments.counter(DRAFT_ID, number), one_by_one.comments.counter(DRAFT_ID, number)
        assert [r["participants"] for r in mine["representatives"]] == [
            r["participants"] for r in theirs["representatives"]
        ]
    page = feed(batched, DRAFT_ID, None, 100, office(), NOW)
    assert [item.comment_id for item in page.items] == [c.comment_id for c in made]
    client.close()
