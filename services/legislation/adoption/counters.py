"""Adoption figures (采纳情况) kept as counters: per draft, per contact point (over all drafts, as 三江
reports 637 submitted / 41 adopted) and per division, counted in the comment's own division and every
one it lies in (province, city, county, township), so a figure is one `_id` read. A point's figures
count every comment on its chain: what its partners heard under a task it forwarded is its figure too.

A batch is counted once: its update marks the counter with the submission's id and applies only
where the mark is absent (the marks stay: one short key per submission and scope).

A decision is counted through a journal, since the comment and the counters are separate writes: an
entry naming the decision and the one it replaces is written before the comment is saved, and the
comment's save records the entry's id among its applied ids in the same write. Each scope's update
is marked with the entry's id and applies only where that mark is absent, and the entry is removed
(then its marks) once every scope has it. `settle` (the sweeper) counts the entries a crash left
behind whose comment was saved with them, and drops those whose save never happened. Increments
commute, so entries of one comment may be counted in any order.
"""

import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError

from contracts.legislation.aggregates import AdoptionFigures
from contracts.legislation.comments import AdoptionDecision

LEVELS = (2, 4, 6, 9, 12)  # GB/T 2260: province, city, county; then township and village


def enclosing(division: str) -> list[str]:
    return [division[:length] for length in LEVELS if length <= len(division)]


def scopes(draft_id: str, points: Iterable[str], division: str) -> list[str]:
    found = [f"draft:{draft_id}", *(f"division:{code}" for code in enclosing(division))]
    return found + [f"point:{point_id}" for point_id in points]


def apply_marked(collection: Collection, scope: str, mark: str, update: dict) -> None:
    """`update` on the scope's counter together with `mark`, unless the counter has the mark already."""
    marked = {**update, "$set": {mark: 1}}
    unmarked = {"_id": scope, mark: {"$exists": False}}
    try:
        collection.update_one(unmarked, marked, upsert=True)
    except DuplicateKeyError:  # counted already, or created by a concurrent first write
        collection.update_one(unmarked, marked)


class AdoptionCounters:
    def __init__(self, collection: Collection, journal: Collection):
        self.collection = collection
        self.journal = journal

    def ensure_indexes(self) -> None:
        self.journal.create_index("at")

    def submitted(self, submission_id: str, comments: Iterable[tuple[str, list[str], str]]) -> None:
        """Counts a batch's comments, given as (draft, chain, division), one update per scope, once."""
        per_scope: Counter[str] = Counter()
        for draft_id, points, division in comments:
            per_scope.update(scopes(draft_id, points, division))
        for scope, count in per_scope.items():
            apply_marked(self.collection, scope, f"submissions.{submission_id}", {"$inc": {"submitted": count}})

    def deciding(
        self,
        comment_id: str,
        where: tuple[str, list[str], str],
        decision: AdoptionDecision,
        previous: AdoptionDecision | None,
        now: datetime,
    ) -> dict | None:
        """The journal entry of a decision about to be saved, the comment being where it is (draft,
        chain, division); None when the counts do not change (the same decision again)."""
        if decision is previous:
            return None
        draft_id, points, division = where
        entry = {
            "_id": f"adoption:{comment_id}:{uuid.uuid4().hex[:12]}",
            "comment_id": comment_id,
            "scopes": scopes(draft_id, points, division),
            "change": {decision.value: 1} | ({previous.value: -1} if previous else {}),
            "at": now,
        }
        self.journal.insert_one(entry)
        return entry

    def decided(self, entry: dict | None) -> None:
        """Counts a journalled decision in every scope once, then closes the entry."""
        if entry is None:
            return
        mark = f"decisions.{entry['_id']}"
        for scope in entry["scopes"]:
            apply_marked(self.collection, scope, mark, {"$inc": entry["change"]})
        self.journal.delete_one({"_id": entry["_id"]})
        self.collection.update_many({"_id": {"$in": entry["scopes"]}}, {"$unset": {mark: ""}})

    def settle(self, saved: Callable[[dict], bool], older_than: timedelta, now: datetime, limit: int = 100) -> int:
        """Counts the decisions a crash left uncounted (entries older than `older_than`, claimed one
        replica at a time); `saved(entry)` tells whether the comment was saved with the entry."""
        settled = 0
        for entry in self.journal.find({"at": {"$lt": now - older_than}}).limit(limit):
            claimed = self.journal.find_one_and_update({"_id": entry["_id"], "at": entry["at"]}, {"$set": {"at": now}})
            if claimed is None:  # another replica took it
                continue
            if saved(entry):
                self.decided(entry)
            else:  # refused as changed meanwhile, or cut off before its save
                self.journal.delete_one({"_id": entry["_id"]})
            settled += 1
        return settled

    def figures(self, scope: str) -> AdoptionFigures:
        doc = self.collection.find_one({"_id": scope}, {"submissions": 0}) or {}
        submitted = doc.get("submitted", 0)
        fully, partly = doc.get(AdoptionDecision.ADOPTED.value, 0), doc.get(AdoptionDecision.PARTLY_ADOPTED.value, 0)
        rejected = doc.get(AdoptionDecision.NOT_ADOPTED.value, 0)
        return AdoptionFigures(
            scope=scope,
            submitted=submitted,
            adopted=fully + partly,
            fully_adopted=fully,
            partly_adopted=partly,
            not_adopted=rejected,
            undecided=submitted - fully - partly - rejected,
            rate=round((fully + partly) / submitted, 4) if submitted else 0.0,
        )
