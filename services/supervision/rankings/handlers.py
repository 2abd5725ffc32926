"""红黑榜's use cases: a division's rules (its own, the nearest above it, or the default) and its list."""

from contracts.supervision.statistics import (
    RankingRulesIn,
    RankingRulesView,
    RankingView,
    months_between,
    period_months,
)
from services.supervision.rankings import rules as ranking
from services.supervision.statistics.counters import ancestors
from services.supervision.statistics.handlers import unit_sums
from services.supervision.statistics.store import StatisticsStore


def rules_for(store: StatisticsStore, division: str) -> RankingRulesView:
    for level in reversed(ancestors(division)):
        doc = store.ranking_rules(level)
        if doc is not None:
            fields = {name: value for name, value in doc.items() if name != "_id"}
            return ranking.published(RankingRulesIn.model_validate(fields), level)
    return ranking.published(RankingRulesIn(), ranking.DEFAULT)


def set_rules(store: StatisticsStore, division: str, rules: RankingRulesIn) -> RankingRulesView:
    store.set_ranking_rules(division, rules.model_dump())
    return ranking.published(rules, division)


def rankings(store: StatisticsStore, division: str, period: str) -> RankingView:
    first, last = period_months(period)
    rules = rules_for(store, division)
    units = [
        ranking.measured(unit, label, sums)
        for unit, (label, sums) in unit_sums(store, division, months_between(first, last)).items()
    ]
    ranked, apart = ranking.rank(units, rules)
    return RankingView(
        division=division,
        period=period,
        first=first,
        last=last,
        rules=rules,
        red=[u for u in ranked if u.board == "red"],
        black=[u for u in ranked if u.board == "black"],
        ranked=ranked,
        too_few_cases=apart,
    )
