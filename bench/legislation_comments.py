"""`make bench`, legislation: one draft of 100 articles receiving 1,000,000 comments, on the embedded store.

- ingestion rate: comments stored one by one as a citizen's arrives (`CommentStore.add`: feed number,
  feed entry, comment, its article counters and the draft's total), over `ONE_BY_ONE` comments;
- the aggregate pull (`aggregates.pull`: 101 counter documents by `_id`) at 1,000, 100,000 and
  1,000,000 comments: its cost follows the breadth of the breakdowns (how many divisions, points and
  terms an article has), which stops growing early, never the number of comments;
- a full pass of the feed from the start, in pages of `FEED_PAGE`.
The bulk of the million goes in through `add_batch` (the same documents and counters, in fewer
writes) so the benchmark fits in minutes; its rate is printed too. Themes (jieba) are cut once per
distinct text, as a cache would. `COMMENTS=…` sets another total. Prints progress to stderr and JSON
at the end; times are figures to read, never asserted.
"""

import json
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from functools import cache

from contracts.actor import Actor
from contracts.legislation.drafts import Article, DraftLevel
from infra.embedded import EmbeddedClient
from services.legislation.aggregates import handlers as aggregates
from services.legislation.aggregates.themes import themes
from services.legislation.comments.comment import Comment
from services.legislation.drafts.draft import Draft
from services.legislation.feed.handlers import feed
from services.legislation.store import LegislationStore

TOTAL = int(os.environ.get("COMMENTS", "1000000"))
ONE_BY_ONE = min(5_000, TOTAL)
CHECKPOINT = 100_000  # a pull here too: the breakdowns (divisions, points, terms) are all filled by then
BATCH = 5_000
FEED_PAGE = 1_000
PULLS = 20
DRAFT_ID = "national-draft"
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
OFFICE = Actor(key_id="bench", role="legislative_office", scope="")
TOPICS = ["物业服务收费", "农村宅基地", "未成年人网络保护", "养老服务补贴", "个人信息保护", "生态环境修复", "食品安全"]
TOPICS += ["公共交通", "医疗保障", "教育公平", "住房公积金", "社区治理", "非物质文化遗产", "乡村道路"]
ASKS = ["建议明确{t}的标准", "希望加强{t}的监管", "{t}的规定过于原则，建议细化", "支持关于{t}的规定", "{t}由谁负责？"]
DIVISIONS = [f"45{n:04d}" for n in range(1, 40)] + [f"33{n:04d}" for n in range(1, 40)]
POINTS = [None, None, "sanjiang-point", "nanning-point", "baise-point", "qinzhou-point"]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@cache
def cut(text: str) -> list[str]:
    return themes(text)


def comment(n: int, rng: random.Random) -> tuple[Comment, list[str]]:
    text = rng.choice(ASKS).format(t=rng.choice(TOPICS)) + rng.choice(["。", "，谢谢。", "！"])
    point = rng.choice(POINTS)
    made = Comment(
        comment_id=f"c{n:09d}",
        draft_id=DRAFT_ID,
        division=rng.choice(DIVISIONS),
        point_id=point,
        channel="online" if point is None else rng.choice(["online", "symposium", "face_to_face"]),
        articles=rng.sample(range(1, 101), rng.choice([0, 1, 1, 1, 2])),
        stance=rng.choice([None, "support", "oppose", "amend", "question"]),
        text=text,
        participants=1 if point is None else rng.randint(1, 30),
        received_at=NOW + timedelta(seconds=n),
        recorded_by="citizen",
    )
    return made, cut(text)


def pull_ms(store: LegislationStore) -> float:
    started = time.perf_counter()
    for _ in range(PULLS):
        aggregates.pull(store, DRAFT_ID, None, OFFICE)
    return round((time.perf_counter() - started) / PULLS * 1000, 2)


def main() -> None:
    rng = random.Random(2026)
    with tempfile.TemporaryDirectory() as data:
        client = EmbeddedClient(data)
        store = LegislationStore(client["legislation"], lambda wire: None)
        store.ensure_indexes()
        articles = [Article(number=n, text=f"第{n}条 条文内容。") for n in range(1, 101)]
        store.drafts.add(
            Draft(
                draft_id=DRAFT_ID,
                division="",
                office_id="npc-lac",
                title="某某法（草案）",
                level=DraftLevel.NATIONAL,
                version_name="一审稿",
                articles=articles,
                opens_at=NOW,
                closes_at=NOW + timedelta(days=30),
                created_at=NOW,
                created_by="bench",
            )
        )
        figures: dict = {"comments": TOTAL, "articles": 100}

        ingesting = 0.0
        for n in range(ONE_BY_ONE):
            made, cut_themes = comment(n, rng)
            started = time.perf_counter()
            store.comments.add(made, cut_themes, NOW)
            ingesting += time.perf_counter() - started
            if n + 1 == 1_000:
                figures["pull_ms_at_1000"] = pull_ms(store)
        figures["ingest_one_by_one_per_second"] = round(ONE_BY_ONE / ingesting)
        log(f"{ONE_BY_ONE} comments one by one: {figures['ingest_one_by_one_per_second']}/s")

        started, stored = time.perf_counter(), ONE_BY_ONE
        while stored < TOTAL:
            size = min(BATCH, TOTAL - stored)
            store.comments.add_batch([comment(stored + n, rng) for n in range(size)], NOW)
            stored += size
            if stored == CHECKPOINT:
                figures[f"pull_ms_at_{CHECKPOINT}"] = pull_ms(store)
            if stored % 50_000 < BATCH:
                rate = (stored - ONE_BY_ONE) / (time.perf_counter() - started)
                log(f"{stored:,} comments stored ({rate:,.0f}/s in batches of {BATCH})")
        if TOTAL > ONE_BY_ONE:
            seconds = time.perf_counter() - started
            figures["ingest_batched_per_second"] = round((TOTAL - ONE_BY_ONE) / seconds)

        figures[f"pull_ms_at_{TOTAL}"] = pull_ms(store)
        log(f"pull at {TOTAL:,}: {figures[f'pull_ms_at_{TOTAL}']} ms")

        started, cursor, seen = time.perf_counter(), None, 0
        while True:
            page = feed(store, DRAFT_ID, cursor, FEED_PAGE, OFFICE, NOW + timedelta(days=1))
            seen, cursor = seen + len(page.items), page.cursor
            if seen % 100_000 < FEED_PAGE:
                log(f"feed: {seen:,} comments read")
            if not page.more:
                break
        seconds = time.perf_counter() - started
        figures["feed_full_pass_seconds"] = round(seconds, 1)
        figures["feed_comments_per_second"] = round(seen / seconds)
        figures["feed_comments_read"] = seen
        client.close()
    print(json.dumps({"legislation_comments": figures}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
