"""红黑榜: the division's units ranked for a period against its published thresholds (pure).

A unit needs `min_cases` assigned in the period to be ranked, so that one fast case cannot top the
list; the others are listed apart. Ranked units go in order of on-time rate, then satisfaction
rate, then fewest returns (a rate with nothing to measure counts as 0 for the order). The on-time
rate here counts the cases open past their deadline now as late, so that not replying at all is no
way onto the red list nor off the black one; a unit with nothing replied and nothing overdue has no
on-time rate and no satisfaction rate, and is judged on its returns alone.
"""

from contracts.supervision.statistics import RankedUnit, RankingRulesIn, RankingRulesView, Rate
from services.supervision.statistics.report import Sums, rate

DEFAULT = "default"


def published(rules: RankingRulesIn, division: str) -> RankingRulesView:
    text = (
        f"统计期内交办不少于 {rules.min_cases} 件的承办单位参与排名，依次按按期答复率（按期答复件数 ÷"
        " (已答复 + 现超期未答复)）、满意率从高到低、"
        f"退回率从低到高排序；按期答复率不低于 {rules.red_on_time:g}%、满意率不低于 {rules.red_satisfaction:g}%"
        f" 且退回率不高于 {rules.red_max_return_rate:g}% 的列入红榜；按期答复率低于 {rules.black_on_time:g}%、"
        f"满意率低于 {rules.black_satisfaction:g}% 或退回率高于 {rules.black_return_rate:g}% 之一的列入黑榜；"
        f"交办不足 {rules.min_cases} 件的单位单列，不排名。"
        " (Units with at least min_cases are ranked by on-time rate, satisfaction, then fewest returns;"
        " red when every red threshold is met, black when any black threshold is missed.)"
    )
    return RankingRulesView(**rules.model_dump(), division=division, text=text)


def measured(unit: str, label: str, sums: Sums) -> RankedUnit:
    replied, assigned, returned = sums.get("replied", 0), sums.get("assigned", 0), sums.get("returned", 0)
    return RankedUnit(
        rank=None,
        unit=unit,
        label=label,
        assigned=assigned,
        on_time_rate=rate(sums.get("on_time", 0), replied + sums.get("overdue", 0)),
        satisfaction_rate=rate(sums.get("satisfied", 0) + sums.get("basically_satisfied", 0), sums.get("evaluated", 0)),
        return_rate=rate(returned, assigned + returned),
        board=None,
    )


def percent(value: Rate) -> float:
    return value.percent if value.percent is not None else 0.0


def judged(unit: RankedUnit, rules: RankingRulesIn) -> RankedUnit:
    """Black when any black threshold is missed; red when every red one is met (and none missed)."""
    black = []
    if unit.on_time_rate.percent is not None and unit.on_time_rate.percent < rules.black_on_time:
        black.append(f"按期答复率 {percent(unit.on_time_rate):g}% 低于 {rules.black_on_time:g}%")
    if unit.satisfaction_rate.percent is not None and unit.satisfaction_rate.percent < rules.black_satisfaction:
        black.append(f"满意率 {unit.satisfaction_rate.percent:g}% 低于 {rules.black_satisfaction:g}%")
    if percent(unit.return_rate) > rules.black_return_rate:
        black.append(f"退回率 {percent(unit.return_rate):g}% 高于 {rules.black_return_rate:g}%")
    if black:
        return unit.model_copy(update={"board": "black", "reasons": black})
    red = (
        percent(unit.on_time_rate) >= rules.red_on_time
        and percent(unit.satisfaction_rate) >= rules.red_satisfaction
        and percent(unit.return_rate) <= rules.red_max_return_rate
    )
    if red:
        reasons = [
            f"按期答复率 {percent(unit.on_time_rate):g}%、满意率 {percent(unit.satisfaction_rate):g}%、"
            f"退回率 {percent(unit.return_rate):g}%，均达到红榜标准"
        ]
        return unit.model_copy(update={"board": "red", "reasons": reasons})
    return unit


def rank(units: list[RankedUnit], rules: RankingRulesIn) -> tuple[list[RankedUnit], list[RankedUnit]]:
    """The ranked units in order, judged, and those with too few cases (by unit id), unranked."""
    eligible = [u for u in units if u.assigned >= rules.min_cases]
    apart = sorted((u for u in units if u.assigned < rules.min_cases), key=lambda u: u.unit)
    order = sorted(
        eligible,
        key=lambda u: (-percent(u.on_time_rate), -percent(u.satisfaction_rate), percent(u.return_rate), u.unit),
    )
    ranked = [judged(u, rules).model_copy(update={"rank": place}) for place, u in enumerate(order, start=1)]
    return ranked, apart
