"""Per-article counter documents, kept up to date as comments arrive (ARCHITECTURE.md, rule 5).

A comment adds one to the counter of each article it names (or of `GENERAL`) and to the draft's
total: an `$inc` per document, so a pull reads `1 + articles` small documents whatever the number
of comments. Counts are of comments received; review does not change them (a merged duplicate was
still said). Each counter also keeps the few comments heard from the most people, as
representatives, by `$push` with `$sort` and `$slice`; a rejected or merged comment leaves them.

A comment under a forwarded task counts for every point on its chain (`by_point`), so what a partner
hears shows at the point that forwarded the task to it too.

Counting is applied once per comment whatever crashes and retries (comments/store.py: each update
marks the counter with the comment's id, and a marked counter is left alone).
"""

from contracts.legislation.aggregates import (
    GENERAL,
    ArticleAggregate,
    DraftAggregate,
    PublicArticleCount,
    PublicCounts,
    Representative,
    Tally,
    Theme,
)
from contracts.legislation.comments import CommentStatus
from services.legislation.comments.comment import Comment

TOTAL = "all"
REPRESENTATIVES = 5
THEMES_SHOWN = 10
EXCERPT = 200
NO_STANCE = "none"


def counter_id(draft_id: str, article: int | str) -> str:
    return f"{draft_id}:{article}"


def articles_of(comment: Comment) -> list[int]:
    return comment.articles or [GENERAL]


def tally_increments(comment: Comment) -> dict[str, int]:
    stance = comment.stance.value if comment.stance else NO_STANCE
    increments = {
        "comments": 1,
        "participants": comment.participants,
        f"by_division.{comment.division}": 1,
        f"by_channel.{comment.channel.value}": 1,
        f"by_stance.{stance}": 1,
    }
    for point_id in comment.chain:
        increments[f"by_point.{point_id}"] = 1
    return increments


def article_update(comment: Comment, themes: list[str]) -> dict:
    """The one update an article's counter gets for a new comment."""
    increments = tally_increments(comment) | {f"terms.{term}": 1 for term in themes}
    representative = {
        "comment_id": comment.comment_id,
        "participants": comment.participants,
        "stance": comment.stance.value if comment.stance else None,
        "excerpt": (comment.translation or comment.text)[:EXCERPT],
    }
    # one sort key: mongomock sorts compound keys in `$push` wrongly
    push = {"$each": [representative], "$sort": {"participants": -1}, "$slice": REPRESENTATIVES}
    if comment.status in (CommentStatus.REJECTED, CommentStatus.MERGED):  # counted late, after review
        return {"$inc": increments}
    return {"$inc": increments, "$push": {"representatives": push}}


def total_update(comment: Comment) -> dict:
    return {"$inc": tally_increments(comment)}


def updates(comment: Comment, themes: list[str]) -> dict[str, dict]:
    """Every counter a comment adds to, with its update: each article's (or `GENERAL`'s) and the total."""
    found = {counter_id(comment.draft_id, article): article_update(comment, themes) for article in articles_of(comment)}
    return found | {counter_id(comment.draft_id, TOTAL): total_update(comment)}


def tally(doc: dict | None) -> dict:
    doc = doc or {}
    return {
        "comments": doc.get("comments", 0),
        "participants": doc.get("participants", 0),
        "by_division": doc.get("by_division", {}),
        "by_point": doc.get("by_point", {}),
        "by_channel": doc.get("by_channel", {}),
        "by_stance": doc.get("by_stance", {}),
    }


def article_aggregate(article: int, doc: dict) -> ArticleAggregate:
    ranked = sorted(doc.get("terms", {}).items(), key=lambda pair: (-pair[1], pair[0]))[:THEMES_SHOWN]
    return ArticleAggregate(
        article=article,
        **tally(doc),
        themes=[Theme(term=term, count=count) for term, count in ranked],
        representatives=[Representative.model_validate(r) for r in doc.get("representatives", [])],
    )


def draft_aggregate(draft_id: str, title: str, total: dict | None, articles: dict[int, dict]) -> DraftAggregate:
    return DraftAggregate(
        draft_id=draft_id,
        title=title,
        totals=Tally(**tally(total)),
        articles=[article_aggregate(number, doc) for number, doc in sorted(articles.items())],
    )


def public_counts(draft_id: str, total: dict | None, articles: dict[int, dict]) -> PublicCounts:
    return PublicCounts(
        draft_id=draft_id,
        comments=(total or {}).get("comments", 0),
        participants=(total or {}).get("participants", 0),
        articles=[
            PublicArticleCount(article=number, comments=doc.get("comments", 0), participants=doc.get("participants", 0))
            for number, doc in sorted(articles.items())
        ],
    )
