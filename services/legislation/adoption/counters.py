"""Adoption figures (采纳情况) kept as counters: per draft, per contact point (over all drafts, as 三江
reports 637 submitted / 41 adopted) and per division, counted in the comment's own division and every
one it lies in (province, city, county, township), so a figure is one `_id` read. A point's figures
count every comment on its chain: what its partners heard under a task it forwarded is its figure too.

A batch is counted once: its update marks the counter with the submission's id and applies only
where the mark is absent (the marks stay: one short key per submission and scope).
"""

from collections import Counter
from collections.abc import Iterable

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


class AdoptionCounters:
    def __init__(self, collection: Collection):
        self.collection = collection

    def submitted(self, submission_id: str, comments: Iterable[tuple[str, list[str], str]]) -> None:
        """Counts a batch's comments, given as (draft, chain, division), one update per scope, once."""
        per_scope: Counter[str] = Counter()
        for draft_id, points, division in comments:
            per_scope.update(scopes(draft_id, points, division))
        for scope, count in per_scope.items():
            update = {"$inc": {"submitted": count}, "$set": {f"submissions.{submission_id}": 1}}
            unmarked = {"_id": scope, f"submissions.{submission_id}": {"$exists": False}}
            try:
                self.collection.update_one(unmarked, update, upsert=True)
            except DuplicateKeyError:  # counted already, or created by a concurrent first write
                self.collection.update_one(unmarked, update)

    def decided(
        self,
        draft_id: str,
        points: list[str],
        division: str,
        decision: AdoptionDecision,
        previous: AdoptionDecision | None,
    ) -> None:
        """Counts a decision; a corrected one moves the comment from its previous decision's count."""
        if decision is previous:
            return
        change = {decision.value: 1} | ({previous.value: -1} if previous else {})
        for scope in scopes(draft_id, points, division):
            self.collection.update_one({"_id": scope}, {"$inc": change}, upsert=True)

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
