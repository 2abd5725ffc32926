"""Unit suggestions for an item no rule matched: the three units the division's past assignments of
similar text point to, each with its reason (the terms shared).

Learning is incremental: each assignment adds one to (county, term, lead unit) for each of the case's
terms (jieba, through intake's term extractor: the same words near-duplicate grouping compares), once
per case and unit whatever the redeliveries. A suggestion scores each unit by the share of each of
the item's terms that went to it (P(unit | term), summed over the terms), so a term every unit sees
(问题, 反映) counts for little and one seen with a single unit counts in full.

Counts are kept per county (the first six digits): a village's own history is too thin to learn from,
and the county's units handle most of its items.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping

from contracts.routing import UnitRef, UnitSuggestion
from services.intake.grouping.terms import hot_words, terms

SUGGESTIONS = 3
MAX_TERMS = 40
# words of any complaint, which point to no unit in particular
GENERIC = frozenset({"问题", "反映", "希望", "意见", "建议", "情况", "要求", "标准", "群众", "居民", "村民", "没有"})


def learning_division(division: str) -> str:
    return division[:6]


def item_terms(text: str) -> list[str]:
    """The item's distinct terms worth learning from: words of two characters or more."""
    return [term for term in hot_words(terms(text)) if term not in GENERIC][:MAX_TERMS]


def suggest(
    item: list[str], counts: Iterable[tuple[str, str, int]], units: Mapping[str, UnitRef], top: int = SUGGESTIONS
) -> list[UnitSuggestion]:
    """`counts` holds (term, unit id, assignments) for the item's terms; units not in `units` (unknown
    or deactivated) are never suggested."""
    per_term: dict[str, dict[str, int]] = defaultdict(dict)
    for term, unit, count in counts:
        if count > 0:
            per_term[term][unit] = count
    scores: dict[str, float] = defaultdict(float)
    shared: dict[str, list[str]] = defaultdict(list)
    for term in item:
        by_unit = per_term.get(term, {})
        total = sum(by_unit.values())
        for unit, count in by_unit.items():
            if unit in units:
                scores[unit] += count / total
                shared[unit].append(term)
    ranked = sorted(scores, key=lambda unit: (-scores[unit], unit))[:top]
    return [
        UnitSuggestion(unit=units[unit], score=round(scores[unit], 3), shared_terms=shared[unit]) for unit in ranked
    ]
