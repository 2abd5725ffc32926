"""Choosing the handling unit for an item from its division's routing rules."""

from dataclasses import dataclass

from contracts.vocabulary import within


@dataclass(frozen=True)
class Rule:
    division: str
    keywords: tuple[str, ...]
    lead_unit: str
    co_units: tuple[str, ...]
    priority: int
    categories: tuple[str, ...] = ()

    def matches(self, division: str, content: str, category: str | None) -> bool:
        return (
            within(division, self.division)
            and (not self.categories or category in self.categories)
            and (not self.keywords or any(keyword in content for keyword in self.keywords))
        )

    @property
    def is_default(self) -> bool:
        return not self.keywords and not self.categories


def choose_rule(rules: list[Rule], division: str, content: str, category: str | None = None) -> Rule | None:
    """The most local division wins; within it a rule matching the category or a keyword beats the
    default; then priority."""
    candidates = [rule for rule in rules if rule.matches(division, content, category)]
    if not candidates:
        return None
    return min(candidates, key=lambda rule: (-len(rule.division), rule.is_default, rule.priority))
