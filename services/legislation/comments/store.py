"""The comments' collections: comments (keyed by id), their per-article counters, the feed's entries,
submissions and the adoption counters.

Every write of a comment is stamped first (`stamp`): the draft's feed counter gives it the next
number, and a feed entry keyed `<draft>:<number>` is written before the comment itself, so a feed
reader finds every change by `_id` lookups in order (services/legislation/feed/reader.py).

Counting survives a crash (no multi-document transactions): a journal entry naming the new comments
and their themes is written before them and removed once they are counted. Each counter's update
sets a mark keyed by the comment's id in the same write and applies only where the mark is absent,
so applying it again is a no-op; the marks are cleared after the journal entry. `settle` (the
sweeper) takes each entry a crash left behind, claiming it first so that of two replicas sweeping
at once one counts it, and counts the comments that were stored. Like the outbox's sweep, it takes
entries older than a writer can take, so it never races a writer still at work.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from contracts.message import Message
from infra.aggregates import BOOKKEEPING, AggregateCollection
from infra.outbox import Publish
from services.legislation.adoption.counters import AdoptionCounters
from services.legislation.aggregates import counters
from services.legislation.comments.comment import Comment
from services.legislation.comments.submission import Submission


def feed_entry_id(draft_id: str, seq: int) -> str:
    return f"{draft_id}:{seq}"


def comment_of(doc: dict) -> Comment:
    return Comment.model_validate({k: v for k, v in doc.items() if k not in BOOKKEEPING} | {"version": doc["version"]})


def merge_update(into: dict, update: dict) -> None:
    """Adds one comment's counter update to a batch's: increments summed, representatives pooled."""
    for field, amount in update.get("$inc", {}).items():
        into.setdefault("$inc", {})[field] = into.get("$inc", {}).get(field, 0) + amount
    for field, push in update.get("$push", {}).items():
        pooled = into.setdefault("$push", {}).setdefault(field, {**push, "$each": []})
        pooled["$each"] = sorted([*pooled["$each"], *push["$each"]], key=lambda r: -r["participants"])[: push["$slice"]]


class CommentStore:
    def __init__(self, db, publish: Publish):
        self.comments = AggregateCollection(db["comments"], Comment, "comment_id", publish)
        self.submissions = AggregateCollection(db["comment_submissions"], Submission, "submission_id", publish)
        self.counters = db["comment_counters"]
        self.feed_entries = db["comment_feed"]
        self.feed_heads = db["comment_feed_heads"]
        self.counting = db["comment_counting"]
        self.adoption = AdoptionCounters(db["adoption_counters"], db["adoption_counting"])

    def ensure_indexes(self) -> None:
        comments = self.comments.collection
        comments.create_index([("draft_id", 1), ("point_id", 1), ("status", 1)])
        comments.create_index([("draft_id", 1), ("seq", 1)])  # exports, in the feed's order
        comments.create_index("merged_into", sparse=True)
        comments.create_index([("draft_id", 1), ("chain", 1), ("status", 1)])  # a point's, along the chain
        self.counting.create_index("at")
        self.adoption.ensure_indexes()
        self.submissions.collection.create_index([("state", 1), ("submitted_at", 1)])
        self.submissions.collection.create_index([("draft_id", 1), ("submitted_at", 1)])

    def aggregates(self) -> tuple[AggregateCollection, ...]:
        """Those whose documents keep an outbox (LegislationStore indexes and sweeps them)."""
        return (self.comments, self.submissions)

    # writes

    def stamp(self, comment: Comment, now: datetime) -> Comment:
        """The comment with the draft's next feed number, its feed entry already written."""
        head = self.feed_heads.find_one_and_update(
            {"_id": comment.draft_id},
            {"$inc": {"seq": 1}, "$set": {"at": now}},
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        seq = head["seq"]
        try:
            self.feed_entries.insert_one(
                {"_id": feed_entry_id(comment.draft_id, seq), "comment_id": comment.comment_id, "at": now}
            )
        except DuplicateKeyError:  # cannot happen with one counter; a restored backup might
            raise RuntimeError(f"feed entry {comment.draft_id}:{seq} exists already") from None
        return comment.model_copy(update={"seq": seq})

    def add(self, comment: Comment, themes: list[str], now: datetime) -> Comment:
        """Stores a new comment and counts it on each of its articles and on the draft."""
        return self.add_batch([(comment, themes)], now)[0]

    def add_batch(self, batch: list[tuple[Comment, list[str]]], now: datetime) -> list[Comment]:
        """Stores new comments of one draft (one; a county system's import of meeting records; the
        benchmark's fill) in a few writes: one claim of as many feed numbers, the journal entry, one
        insert of the feed entries and one of the comments, then one update per counter with the
        batch's sums. Ids must be new."""
        if not batch:
            return []
        draft_id = batch[0][0].draft_id
        journal = batch[0][0].comment_id
        self.counting.insert_one(
            {
                "_id": journal,
                "comment_ids": [c.comment_id for c, _ in batch],
                "themes": [t for _, t in batch],
                "at": now,
            }
        )
        head = self.feed_heads.find_one_and_update(
            {"_id": draft_id},
            {"$inc": {"seq": len(batch)}, "$set": {"at": now}},
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        first = head["seq"] - len(batch) + 1
        stamped = [comment.model_copy(update={"seq": first + n}) for n, (comment, _) in enumerate(batch)]
        self.feed_entries.insert_many(
            [{"_id": feed_entry_id(draft_id, c.seq), "comment_id": c.comment_id, "at": now} for c in stamped]
        )
        self.comments.collection.insert_many(
            [
                {
                    "_id": c.comment_id,
                    **c.model_dump(mode="json", exclude={"version"}),
                    "version": 1,
                    "applied_events": [],
                    "outbox": [],
                }
                for c in stamped
            ]
        )
        self.count(journal, [(comment, themes) for comment, (_, themes) in zip(stamped, batch, strict=True)])
        return [comment.model_copy(update={"version": 1}) for comment in stamped]

    def count(self, journal: str, batch: list[tuple[Comment, list[str]]]) -> None:
        """Adds stored comments to their counters once each, then closes their journal entry."""
        updates: dict[str, dict] = {}
        marks: dict[str, list[str]] = {}
        for comment, themes in batch:
            for counter, update in counters.updates(comment, themes).items():
                merge_update(updates.setdefault(counter, {}), update)
                marks.setdefault(counter, []).append(comment.comment_id)
        for counter, update in updates.items():
            self.apply(counter, update, marks[counter])
        self.counting.delete_one({"_id": journal})
        for counter, marked in marks.items():
            self.counters.update_one({"_id": counter}, {"$unset": {f"counting.{m}": "" for m in marked}})

    def apply(self, counter: str, update: dict, marks: list[str]) -> None:
        """One counter's update, marked with the comments it counts, unless it is marked already. A
        batch's marks are set together, so the first tells whether the update was applied."""
        marked = {**update, "$set": {f"counting.{comment_id}": 1 for comment_id in marks}}
        unmarked = {"_id": counter, f"counting.{marks[0]}": {"$exists": False}}
        try:
            self.counters.update_one(unmarked, marked, upsert=True)
        except DuplicateKeyError:  # the counter exists: marked already, or created by a concurrent first write
            self.counters.update_one(unmarked, marked)

    def settle(self, older_than: timedelta, now: datetime, limit: int = 100) -> int:
        """Counts the comments a crash left uncounted (journal entries older than `older_than`); the
        number of entries settled."""
        settled = 0
        for entry in self.counting.find({"at": {"$lt": now - older_than}}).limit(limit):
            claimed = self.counting.find_one_and_update({"_id": entry["_id"], "at": entry["at"]}, {"$set": {"at": now}})
            if claimed is None:  # another replica took it
                continue
            stored = {c.comment_id: c for c in map(self.get, entry["comment_ids"]) if c is not None}
            themes = dict(zip(entry["comment_ids"], entry["themes"], strict=True))
            self.count(entry["_id"], [(stored[i], themes[i]) for i in entry["comment_ids"] if i in stored])
            settled += 1
        return settled

    def unrepresent(self, comment: Comment) -> None:
        """Takes a rejected or merged comment out of its articles' representatives (its counts stay:
        it was still said)."""
        for article in counters.articles_of(comment):
            self.counters.update_one(
                {"_id": counters.counter_id(comment.draft_id, article)},
                {"$pull": {"representatives": {"comment_id": comment.comment_id}}},
            )

    def save(
        self,
        comment: Comment,
        now: datetime,
        events: Iterable[Message] = (),
        correlation_id: str = "-",
        applied: str | None = None,
    ) -> Comment:
        """Writes a change (guarded on the loaded version), stamped for the feed; `applied` is recorded
        among the comment's applied ids in the same write (an adoption journal entry's)."""
        return self.comments.save(self.stamp(comment, now), events, correlation_id, applied)

    def saved_with(self, entry: dict) -> bool:
        """Whether the comment was saved with this adoption journal entry."""
        query = {"_id": entry["comment_id"], "applied_events": entry["_id"]}
        return self.comments.collection.find_one(query, {"_id": 1}) is not None

    def settle_adoptions(self, older_than: timedelta, now: datetime) -> int:
        return self.adoption.settle(self.saved_with, older_than, now)

    # reads

    def get(self, comment_id: str) -> Comment | None:
        return self.comments.get(comment_id)

    def feed_head(self, draft_id: str) -> dict | None:
        return self.feed_heads.find_one({"_id": draft_id})

    def feed_entry(self, draft_id: str, seq: int) -> dict | None:
        return self.feed_entries.find_one({"_id": feed_entry_id(draft_id, seq)})

    def counter(self, draft_id: str, article: int | str) -> dict | None:
        return self.counters.find_one({"_id": counters.counter_id(draft_id, article)}, {"_id": 0, "counting": 0})

    def of_point(self, draft_id: str, point_id: str | None, status: str | None = None) -> list[Comment]:
        """A point's comments: those on its chain (its own and its partners' under tasks it forwarded);
        without a point, the office's online comments of no point."""
        query: dict = {"draft_id": draft_id, **({"chain": point_id} if point_id else {"point_id": None})}
        if status:
            query["status"] = status
        return [comment_of(doc) for doc in self.comments.collection.find(query).sort("seq", 1)]

    def of_draft(self, draft_id: str) -> Iterable[Comment]:
        """Every comment of the draft in feed order (exports and the report; never a pull)."""
        for doc in self.comments.collection.find({"draft_id": draft_id}).sort("seq", 1):
            yield comment_of(doc)
