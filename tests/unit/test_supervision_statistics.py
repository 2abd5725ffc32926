"""The pure parts of 督办 statistics and 红黑榜: periods, rates, what a case adds to counters, ranking."""

import pytest
from pydantic import ValidationError

from contracts.routing import UnitRef
from contracts.supervision.statistics import RankingRulesIn, StatisticsQuery, period_months
from services.supervision.rankings import rules as ranking
from services.supervision.statistics import counters
from services.supervision.statistics.facts import StatCase
from services.supervision.statistics.report import rate, row


def query(**fields):
    return StatisticsQuery.model_validate({"division": "330481", "from": "2026-01", "to": "2026-03", **fields})


def test_a_period_is_the_months_from_to():
    assert query().months == ["2026-01", "2026-02", "2026-03"]
    assert query(**{"from": "2025-11", "to": "2026-02"}).months == ["2025-11", "2025-12", "2026-01", "2026-02"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"from": "2026-13"}, "from"),
        ({"from": "2026-1"}, "from"),
        ({"to": "26-03"}, "to"),
        ({"from": "2026-04", "to": "2026-03"}, "to"),
        ({"from": "2000-01", "to": "2026-03"}, "to"),
        ({"by": "township"}, "by"),
    ],
)
def test_a_malformed_or_reversed_period_or_unknown_grouping_is_refused(fields, field):
    with pytest.raises(ValidationError) as refused:
        query(**fields)
    error = refused.value.errors()[0]
    assert error["loc"] == (field,) or error["msg"].split("Value error, ")[-1].startswith(f"{field}:")


@pytest.mark.parametrize(
    ("period", "months"),
    [("2026", ("2026-01", "2026-12")), ("2026-Q4", ("2026-10", "2026-12")), ("2026-02", ("2026-02", "2026-02"))],
)
def test_ranking_periods(period, months):
    assert period_months(period) == months


def test_rates_round_half_up_to_two_decimals_with_their_counts():
    assert rate(58, 95).model_dump() == {"numerator": 58, "denominator": 95, "percent": 61.05}
    assert rate(1, 8).percent == 12.5 and rate(1, 3).percent == 33.33 and rate(2, 3).percent == 66.67
    assert rate(0, 0).percent is None


def test_a_row_has_every_rate_of_domain_md():
    sums = {"assigned": 4, "replied": 3, "met": 2, "completed": 1, "resolved": 2, "on_time": 3, "evaluated": 2}
    sums |= {"satisfied": 1, "basically_satisfied": 1, "class_A": 1, "class_B": 2, "overdue": 1}
    figures = row("k", "名称", sums)
    assert (figures.reply_rate.percent, figures.face_to_face_rate.percent) == (75.0, 66.67)
    assert (figures.completion_rate.percent, figures.resolution_rate.percent) == (33.33, 66.67)
    assert (figures.satisfaction_rate.percent, figures.on_time_rate.percent, figures.overdue_rate.percent) == (
        100.0,
        100.0,
        25.0,
    )
    assert figures.classes == {"A": 1, "B": 2} and figures.class_shares["B"].percent == 66.67


def test_a_case_adds_to_its_division_and_every_division_above_it_in_its_month():
    case = StatCase(
        case_id="c", division="330481001002", month="2026-03", lead_unit=UnitRef(id="u", name="单位"),
        channel="web", replied=True, result_class="A", completed=True, returns={"v": 2},
    )  # fmt: skip
    added = counters.contributions(case)
    assert {c.split("|")[0] for c in added} == {"330481", "330481001", "330481001002"}
    assert added["330481|division|330481001"]["2026-03.assigned"] == 1
    assert added["330481001002|division|330481001002"]["2026-03.class_A"] == 1
    assert added["330481|unit|v"] == {"2026-03.returned": 2}  # a return counts against who returned it
    assert "2026-03.returned" not in added["330481|unit|u"]
    assert added["330481|all|*"]["2026-03.returned"] == 2
    assert counters.contributions(case.model_copy(update={"month": None})) == {}


def test_the_difference_moves_a_case_between_counters():
    before = counters.contributions(StatCase(case_id="c", division="330481", month="2026-03", channel=None))
    after = counters.contributions(StatCase(case_id="c", division="330481", month="2026-03", channel="qr"))
    change = counters.difference(before, after)
    assert change == {
        "330481|channel|unknown": {"2026-03.assigned": -1},
        "330481|channel|qr": {"2026-03.assigned": 1},
    }


def unit(name: str, assigned: int, on_time: int, satisfied: int, evaluated: int, returned: int = 0):
    sums = {"assigned": assigned, "replied": assigned, "on_time": on_time, "satisfied": satisfied}
    return ranking.measured(name, name, sums | {"evaluated": evaluated, "returned": returned})


def test_units_are_ranked_and_listed_red_or_black_and_the_small_ones_apart():
    rules = RankingRulesIn(min_cases=5)
    units = [
        unit("fast", 10, 10, 10, 10),
        unit("slow", 10, 5, 9, 10),
        unit("returns", 8, 8, 8, 8, returned=4),
        unit("middling", 10, 9, 8, 10),
        unit("one-case", 1, 1, 1, 1),
    ]
    ranked, apart = ranking.rank(units, rules)
    assert [(u.rank, u.unit, u.board) for u in ranked] == [
        (1, "fast", "red"),
        (2, "returns", "black"),
        (3, "middling", None),
        (4, "slow", "black"),
    ]
    assert "退回率 33.33% 高于 20%" in ranked[1].reasons and ranked[3].reasons == ["按期答复率 50% 低于 70%"]
    assert [(u.unit, u.rank) for u in apart] == [("one-case", None)]


def test_published_rules_say_the_thresholds():
    text = ranking.published(RankingRulesIn(min_cases=3, red_on_time=98), "330481").text
    assert "不少于 3 件" in text and "不低于 98%" in text


def test_a_red_threshold_below_the_black_one_is_refused():
    with pytest.raises(ValidationError, match="red_on_time"):
        RankingRulesIn(red_on_time=60, black_on_time=70)


def test_cases_open_past_their_deadline_count_as_late_and_nothing_due_is_not_judged():
    rules = RankingRulesIn(min_cases=2)
    silent = ranking.measured("silent", "不答复", {"assigned": 4, "overdue": 4})
    waiting = ranking.measured("waiting", "未到期", {"assigned": 4})
    ranked, _ = ranking.rank([silent, waiting], rules)
    by_unit = {u.unit: u for u in ranked}
    assert by_unit["silent"].on_time_rate.model_dump() == {"numerator": 0, "denominator": 4, "percent": 0.0}
    assert by_unit["silent"].board == "black" and by_unit["waiting"].board is None
    assert by_unit["waiting"].on_time_rate.percent is None
