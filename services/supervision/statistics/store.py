"""Statistics' own collections, every hot one read and written by `_id` only.

- `stat_cases`: one document per case: its facts, what it adds to the counters now, the ids of the
  events applied, and the counter change under way (`pending`) while it is being applied.
- `stat_counters`: `division|dimension|key` → `m.<month>.<measure>` sums, plus the ids of the last
  changes applied to it (`ops`), so a change re-applied after a crash adds nothing twice.
- `stat_keys`: `division|dimension` → the keys that ever had a counter there (the rows to read).
- `stat_labels`: `dimension|key` → the name a person reads (unit names, deputies' names, channels).
- `ranking_rules`: a division's 红黑榜 rules.

No multi-document transaction (ARCHITECTURE.md, rule 4): the case document is written first, with
the change it causes (`pending`); the counters follow, each guarded by the change's id; then
`pending` is cleared. A crash in between leaves `pending`, which the event's redelivery (or the
next event of the case) finishes before anything else.
"""

from pymongo.errors import DuplicateKeyError

OPS_KEPT = 500
"""How many recent change ids a counter remembers; a change is re-applied within moments of a crash."""


class StatisticsStore:
    def __init__(self, db):
        self.cases = db["stat_cases"]
        self.counters = db["stat_counters"]
        self.keys = db["stat_keys"]
        self.labels = db["stat_labels"]
        self.rules = db["ranking_rules"]

    def ensure_indexes(self) -> None:
        """`watch_due` is the due date of a case that may become overdue (open, running, not yet
        overdue), "" otherwise: the overdue timer's range query reads only those due by today."""
        self.cases.create_index([("watch_due", 1)])

    def case(self, case_id: str) -> dict | None:
        return self.cases.find_one({"_id": case_id})

    def insert_case(self, doc: dict) -> bool:
        try:
            self.cases.insert_one(doc)
        except DuplicateKeyError:
            return False
        return True

    def replace_case(self, case_id: str, version: int, fields: dict, event_id: str) -> bool:
        """One guarded update: the fields, the next version and the event marked applied."""
        result = self.cases.update_one(
            {"_id": case_id, "version": version},
            {"$set": fields, "$inc": {"version": 1}, "$push": {"applied": event_id}},
        )
        return result.matched_count == 1

    def add_to_counter(self, counter: str, op: str, amounts: dict[str, int]) -> None:
        """Adds `amounts` once per `op`: a counter that already has `op` is left as it is."""
        try:
            self.counters.update_one(
                {"_id": counter, "ops": {"$ne": op}},
                {
                    "$inc": {f"m.{path}": amount for path, amount in amounts.items()},
                    "$push": {"ops": {"$each": [op], "$slice": -OPS_KEPT}},
                },
                upsert=True,
            )
        except DuplicateKeyError:  # it exists and has `op`: applied before
            pass

    def register_key(self, division_dimension: str, key: str) -> None:
        self.keys.update_one({"_id": division_dimension}, {"$addToSet": {"keys": key}}, upsert=True)

    def set_label(self, dimension_key: str, label: str) -> None:
        self.labels.update_one({"_id": dimension_key}, {"$set": {"label": label}}, upsert=True)

    def clear_pending(self, case_id: str, op: str) -> None:
        self.cases.update_one({"_id": case_id, "pending.op": op}, {"$set": {"pending": None}})

    def registered_keys(self, division_dimension: str) -> list[str]:
        doc = self.keys.find_one({"_id": division_dimension})
        return sorted(doc["keys"]) if doc else []

    def months_of(self, counter: str, months: list[str]) -> dict[str, dict[str, int]]:
        """The counter's sums in `months` (only those are read)."""
        doc = self.counters.find_one({"_id": counter}, {f"m.{month}": 1 for month in months})
        return doc.get("m", {}) if doc else {}

    def label(self, dimension_key: str) -> str | None:
        doc = self.labels.find_one({"_id": dimension_key})
        return doc["label"] if doc else None

    def due_by(self, day: str, limit: int) -> list[dict]:
        """Cases that may have become overdue: due before `day` and not yet counted overdue."""
        return list(
            self.cases.find({"watch_due": {"$gt": "0", "$lt": day}}, {"_id": 1, "case.division": 1}).limit(limit)
        )

    def ranking_rules(self, division: str) -> dict | None:
        return self.rules.find_one({"_id": division})

    def set_ranking_rules(self, division: str, rules: dict) -> None:
        self.rules.replace_one({"_id": division}, {"_id": division, **rules}, upsert=True)
