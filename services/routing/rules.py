"""Choosing an item's routing rule from its division's rules (分办规则).

A rule matches when every condition it sets holds: a category among its categories, one of its
Chinese keywords in the text (plain substring: 公交 matches 公交站台, and jieba is not needed to find
a word the administrator chose), the item's division within one of its areas, its channel among its
channels. The most local division's rules come first; within them a rule with conditions beats the
division's default; then the lower `priority` number; then the narrower area.
"""

from dataclasses import dataclass

from contracts.routing import DeadlinePolicy, RuleView, TriageLevel
from contracts.vocabulary import within


@dataclass(frozen=True)
class Rule:
    division: str
    keywords: tuple[str, ...]
    lead_unit: str | None
    co_units: tuple[str, ...]
    priority: int
    categories: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    triage: TriageLevel = TriageLevel.ASSIGN
    deadline: DeadlinePolicy | None = None
    id: str | None = None

    @classmethod
    def of(cls, view: RuleView) -> "Rule":
        return cls(
            division=view.division,
            keywords=tuple(view.keywords),
            lead_unit=view.lead_unit,
            co_units=tuple(view.co_units),
            priority=view.priority,
            categories=tuple(view.categories),
            areas=tuple(view.areas),
            channels=tuple(channel.value for channel in view.channels),
            triage=view.triage,
            deadline=view.deadline,
            id=view.id,
        )

    def matches(self, division: str, content: str, category: str | None, channel: str | None = None) -> bool:
        return (
            within(division, self.division)
            and (not self.categories or category in self.categories)
            and (not self.keywords or any(keyword in content for keyword in self.keywords))
            and (not self.areas or any(within(division, area) for area in self.areas))
            and (not self.channels or channel in self.channels)
        )

    @property
    def is_default(self) -> bool:
        return not (self.keywords or self.categories or self.areas or self.channels)

    @property
    def narrowest(self) -> int:
        """How narrow its narrowest area is: of two rules of equal priority, the one for a smaller area wins."""
        return max((len(area) for area in self.areas), default=0)

    @property
    def unit_ids(self) -> list[str]:
        return [unit for unit in (self.lead_unit, *self.co_units) if unit is not None]


def choose_rule(
    rules: list[Rule], division: str, content: str, category: str | None = None, channel: str | None = None
) -> Rule | None:
    """The most local division wins; within it a rule with conditions beats the default; then priority."""
    candidates = [rule for rule in rules if rule.matches(division, content, category, channel)]
    if not candidates:
        return None
    return min(candidates, key=lambda rule: (-len(rule.division), rule.is_default, rule.priority, -rule.narrowest))
