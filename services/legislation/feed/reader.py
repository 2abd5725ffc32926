"""The feed: new and changed comments after a cursor, each change exactly once across pulls.

Every write of a comment took the draft's next feed number and wrote the entry `<draft>:<number>`
before the comment (comments/store.py `stamp`). A pull walks the numbers after its cursor by `_id`:
- the entry's comment carries that number: delivered (its current state is this change);
- it carries a later number: changed again since, delivered at that later entry instead;
- it is missing, or carries an earlier number: the write is still in flight, so the pull stops
  there and the next pull resumes at it; only once the entry is older than `SETTLE` is it taken as
  abandoned (a version conflict or a crash between the stamp and the write) and passed over.
A number whose entry is missing was claimed before any later entry was written, so once a later
entry (or the head) is older than `SETTLE`, the missing one is abandoned too.
"""

from datetime import datetime, timedelta

from services.legislation.comments.comment import Comment
from services.legislation.comments.store import CommentStore

SETTLE = timedelta(seconds=10)


def settled(at: datetime, now: datetime) -> bool:
    if at.tzinfo is None:  # the embedded store gives back naive UTC
        at = at.replace(tzinfo=now.tzinfo)
    return now - at >= SETTLE


def read(
    store: CommentStore, draft_id: str, after: int, head: dict, limit: int, now: datetime
) -> tuple[list[Comment], int]:
    """Up to `limit` comments changed after feed number `after`, and the number to resume after."""
    found: list[Comment] = []
    last = head["seq"]
    seq = after
    while seq < last and len(found) < limit:
        number = seq + 1
        entry = store.feed_entry(draft_id, number)
        if entry is None:
            if not gap_settled(store, draft_id, number, head, now):
                break
            seq = number
            continue
        comment = store.get(entry["comment_id"])
        if comment is not None and comment.seq == number:
            found.append(comment)
        elif (comment is None or comment.seq < number) and not settled(entry["at"], now):
            break
        seq = number
    return found, seq


def gap_settled(store: CommentStore, draft_id: str, number: int, head: dict, now: datetime, look: int = 100) -> bool:
    """Whether the missing entry `number` is abandoned: a later entry, or the head, is old enough."""
    for following in range(number + 1, min(head["seq"], number + look) + 1):
        entry = store.feed_entry(draft_id, following)
        if entry is not None:
            return settled(entry["at"], now)
    return settled(head["at"], now)
