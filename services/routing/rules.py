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


def choose_rule(rules: list[Rule], division: str, content: str) -> Rule | None:
    """The most local division wins; within it a keyword match beats the default; then priority."""
    candidates = [
        rule
        for rule in rules
        if within(division, rule.division)
        and (not rule.keywords or any(keyword in content for keyword in rule.keywords))
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda rule: (-len(rule.division), not rule.keywords, rule.priority))
