"""The office's incremental pull of comments (…/feed?cursor=)."""

from datetime import datetime

from contracts.actor import Actor
from contracts.legislation.comments import FeedPage
from services.legislation.aggregates.handlers import draft_of
from services.legislation.feed import cursor, reader


def feed(store, draft_id: str, after: str | None, limit: int, actor: Actor, now: datetime) -> FeedPage:
    draft_of(store, draft_id, actor)
    head = store.comments.feed_head(draft_id) or {"seq": 0, "at": now}
    start = cursor.decode(after, draft_id, head["seq"])
    comments, last = reader.read(store.comments, draft_id, start, head, limit, now)
    return FeedPage(
        items=[comment.view() for comment in comments],
        cursor=cursor.encode(draft_id, last),
        more=last < head["seq"],
    )
