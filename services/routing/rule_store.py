"""Routing's directory in its database: units with parents and contacts, rules, deadline policies and
the term→unit counts unit suggestions learn from (`RoutingStore.directory`)."""

from pymongo.errors import DuplicateKeyError

from contracts.routing import DivisionDeadlinesIn, RuleView, UnitRef, UnitView
from infra.mongo import division_prefix_filter
from services.routing.rules import Rule


def division_prefixes(division: str) -> list[str]:
    return [division[:n] for n in (6, 9, 12) if n <= len(division)]


class RuleStore:
    def __init__(self, db):
        self.units = db["units"]
        self.rules = db["rules"]
        self.policies = db["deadline_policies"]
        self.unit_terms = db["unit_terms"]
        self.learned = db["learned_assignments"]

    def ensure_indexes(self) -> None:
        self.units.create_index([("division", 1), ("_id", 1)])
        self.rules.create_index([("division", 1), ("priority", 1)])
        self.unit_terms.create_index([("division", 1), ("term", 1)])

    # ---- units ----

    def save_unit(self, unit: UnitView) -> None:
        self.units.replace_one({"_id": unit.id}, {"_id": unit.id, **unit.model_dump(exclude={"id"})}, upsert=True)

    def unit(self, unit_id: str) -> UnitView | None:
        doc = self.units.find_one({"_id": unit_id})
        return unit_view(doc) if doc else None

    def units_of(self, unit_ids: list[str]) -> dict[str, UnitView]:
        return {doc["_id"]: unit_view(doc) for doc in self.units.find({"_id": {"$in": unit_ids}})}

    def active_refs(self, unit_ids: list[str]) -> dict[str, UnitRef]:
        """The named units that may get cases: deactivated ones are left out."""
        found = self.units.find({"_id": {"$in": unit_ids}, "active": {"$ne": False}})
        return {doc["_id"]: UnitRef(id=doc["_id"], name=doc["name"]) for doc in found}

    def units_in(self, division_prefix: str, include_inactive: bool) -> list[UnitView]:
        query: dict = {"division": division_prefix_filter(division_prefix)}
        if not include_inactive:
            query["active"] = {"$ne": False}
        return [unit_view(doc) for doc in self.units.find(query).sort([("division", 1), ("_id", 1)])]

    # ---- rules ----

    def add_rule(self, rule: RuleView) -> None:
        self.rules.insert_one({"_id": rule.id, **rule.model_dump(mode="json", exclude={"id"})})

    def replace_rule(self, rule: RuleView) -> None:
        self.rules.replace_one({"_id": rule.id}, {"_id": rule.id, **rule.model_dump(mode="json", exclude={"id"})})

    def delete_rule(self, rule_id: str) -> None:
        self.rules.delete_one({"_id": rule_id})

    def rule(self, rule_id: str) -> RuleView | None:
        doc = self.rules.find_one({"_id": rule_id})
        return rule_view(doc) if doc else None

    def rules_in(self, division_prefix: str) -> list[RuleView]:
        found = self.rules.find({"division": division_prefix_filter(division_prefix)})
        return sorted((rule_view(doc) for doc in found), key=lambda r: (r.division, r.priority, r.id))

    def rules_for(self, division: str) -> list[Rule]:
        """Rules of the division and of every division above it (its prefixes)."""
        return [Rule.of(rule_view(doc)) for doc in self.rules.find({"division": {"$in": division_prefixes(division)}})]

    # ---- deadline policies ----

    def save_policies(self, policies: DivisionDeadlinesIn) -> None:
        doc = {"_id": policies.division, **policies.model_dump(mode="json")}
        self.policies.replace_one({"_id": policies.division}, doc, upsert=True)

    def policies_above(self, division: str) -> dict[str, DivisionDeadlinesIn]:
        found = self.policies.find({"_id": {"$in": division_prefixes(division)}})
        return {doc["_id"]: DivisionDeadlinesIn.model_validate(doc) for doc in found}

    # ---- term→unit counts ----

    def learn(self, division: str, key: str, terms: list[str], unit_id: str) -> bool:
        """Counts `terms` once for `unit_id` under the key (case and unit); False when already counted."""
        try:
            self.learned.insert_one({"_id": key})
        except DuplicateKeyError:
            return False
        for term in terms:
            self.unit_terms.update_one(
                {"_id": f"{division}|{term}|{unit_id}"},
                {"$inc": {"count": 1}, "$setOnInsert": {"division": division, "term": term, "unit": unit_id}},
                upsert=True,
            )
        return True

    def term_counts(self, division: str, terms: list[str]) -> list[tuple[str, str, int]]:
        found = self.unit_terms.find({"division": division, "term": {"$in": terms}})
        return [(doc["term"], doc["unit"], doc["count"]) for doc in found]


def unit_view(doc: dict) -> UnitView:
    return UnitView.model_validate({**doc, "id": doc["_id"]})


def rule_view(doc: dict) -> RuleView:
    """Rules stored before ids existed get their stored `_id` as their id."""
    return RuleView.model_validate({**doc, "id": str(doc["_id"])})
