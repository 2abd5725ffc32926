"""Triage levels, unit and rule checks, and unit suggestions: routing's plain rules."""

from datetime import date

import pytest

from contracts.errors import ErrorCode, ServiceError
from contracts.routing import (
    CaseEscalated,
    DeadlinePolicy,
    DivisionDeadlinesIn,
    RoutingRuleIn,
    TriageLevel,
    UnitRef,
    UnitView,
)
from contracts.vocabulary import CaseStatus
from services.routing import suggest, units
from services.routing.calendar import WorkingCalendar
from services.routing.rules import Rule
from services.routing.triage import open_case, parent_division
from tests.factories import NOW, opinion_received

UNITS = {
    "hn-transport": UnitRef(id="hn-transport", name="海宁市交通运输局"),
    "hn-enforcement": UnitRef(id="hn-enforcement", name="海宁市综合行政执法局"),
    "hn-housing": UnitRef(id="hn-housing", name="海宁市住房和城乡建设局"),
}


def rule(level: TriageLevel, lead: str | None = "hn-transport", co=("hn-enforcement",), **more) -> Rule:
    return Rule("330481", ("公交",), lead, tuple(co), 100, triage=level, id="r1", **more)


def opened(level: TriageLevel, division="330481001004", **more):
    item = opinion_received(division=division, content="文苑路公交站台的顶棚坏了，下雨天淋湿")
    return open_case(item, [rule(level, **more)], UNITS, WorkingCalendar(), NOW)


def test_assign_hands_the_case_to_the_rules_units_under_the_rules_policy():
    decision = opened(TriageLevel.ASSIGN, deadline=DeadlinePolicy(kind="working_days", amount=5))
    case = decision.case
    assert case.status is CaseStatus.ASSIGNED and case.lead_unit.id == "hn-transport"
    assert [u.id for u in case.co_units] == ["hn-enforcement"]
    assert case.due_date == date(2026, 11, 30)  # 5 working days from Monday 2026-11-23
    assert case.triage.level is TriageLevel.ASSIGN and case.triage.rule_id == "r1"
    assert case.assignment_working_days == 0
    assert "5 个工作日内" in case.history[-1].reason


def test_the_divisions_policy_applies_when_the_rule_has_none():
    ten = DivisionDeadlinesIn(division="330481", citizen=DeadlinePolicy(kind="working_days", amount=10))
    item = opinion_received(content="公交站台坏了")
    decision = open_case(item, [rule(TriageLevel.ASSIGN)], UNITS, WorkingCalendar(), NOW, ten)
    assert decision.case.due_date == date(2026, 12, 7)


@pytest.mark.parametrize("level", [TriageLevel.ON_THE_SPOT, TriageLevel.STATION])
def test_on_the_spot_and_station_keep_the_case_with_the_station(level):
    decision = opened(level, lead=None, co=())
    case = decision.case
    assert case.status is CaseStatus.TRIAGED and case.lead_unit is None
    (event,) = decision.events  # case.triaged alone: nobody is assigned
    assert (event.TYPE, event.level, event.matched, event.rule_id) == ("case.triaged", level, True, "r1")
    assert case.triage.level is level and "联络站" in case.history[-1].reason


def test_escalate_moves_a_village_case_to_its_townships_queue_and_keeps_both_levels():
    decision = opened(TriageLevel.ESCALATE, lead=None, co=())
    case = decision.case
    assert case.status is CaseStatus.ESCALATED and case.division == "330481001"
    assert case.triage.escalated_to == "330481001" and case.lead_unit is None
    assert [t.status for t in case.history] == [CaseStatus.RECEIVED, CaseStatus.TRIAGED, CaseStatus.ESCALATED]
    assert "330481001004" in case.history[-1].reason and "330481001" in case.history[-1].reason
    triaged, event = decision.events
    assert triaged.TYPE == "case.triaged" and triaged.division == "330481001004"  # announced at its own level
    assert isinstance(event, CaseEscalated) and event.from_division == "330481001004"
    assert event.division == "330481001"


def test_escalation_goes_one_level_up_and_stops_at_the_county():
    assert parent_division("330481001004") == "330481001"
    assert parent_division("330481001") == "330481"
    assert parent_division("330481") is None
    decision = opened(TriageLevel.ESCALATE, division="330481", lead=None, co=())
    assert decision.case.status is CaseStatus.TRIAGED and decision.case.division == "330481"
    assert [e.TYPE for e in decision.events] == ["case.triaged"] and "无上一级" in decision.case.history[-1].reason


def test_joint_waits_for_its_meeting_with_the_proposed_units_recorded():
    decision = opened(TriageLevel.JOINT)
    case = decision.case
    assert case.status is CaseStatus.TRIAGED and case.lead_unit is None
    (event,) = decision.events
    assert event.level == "joint" and [u.id for u in event.suggested_units] == ["hn-transport", "hn-enforcement"]
    assert case.triage.needs_meeting is True and case.triage.proposed_lead.id == "hn-transport"
    assert [u.id for u in case.triage.proposed_co_units] == ["hn-enforcement"]
    assert "共商会" in case.history[-1].reason


def test_a_rule_whose_lead_unit_is_gone_leaves_the_case_for_manual_triage():
    item = opinion_received(content="公交站台坏了")
    decision = open_case(item, [rule(TriageLevel.ASSIGN, lead="gone")], UNITS, WorkingCalendar(), NOW)
    assert decision.case.status is CaseStatus.TRIAGED and decision.case.triage.level is None


# ---- units and the rules naming them ----


def unit(id: str, division="330481", active=True, parent=None) -> UnitView:
    return UnitView(id=id, name=f"{id} 单位", division=division, active=active, parent=parent)


DIRECTORY = {
    "hn-gov": unit("hn-gov"),
    "hn-transport": unit("hn-transport", parent="hn-gov"),
    "hn-old": unit("hn-old", active=False),
    "changan-gov": unit("changan-gov", "330481102", parent="hn-gov"),
    "jx-transport": unit("jx-transport", "330482"),
}


def refusal(check) -> ServiceError:
    with pytest.raises(ServiceError) as refused:
        check()
    assert refused.value.code is ErrorCode.INVALID
    return refused.value


@pytest.mark.parametrize(
    ("lead", "co", "field", "words"),
    [
        ("ghost", [], "lead_unit", "不存在"),
        ("hn-old", [], "lead_unit", "已停用"),
        ("jx-transport", [], "lead_unit", "不属于本辖区"),
        ("hn-transport", ["hn-old"], "co_units", "已停用"),
        ("hn-transport", ["hn-transport"], "co_units", "主办单位"),
    ],
)
def test_a_rule_naming_a_missing_deactivated_or_foreign_unit_is_refused(lead, co, field, words):
    rule_in = RoutingRuleIn(division="330481", keywords=["公交"], lead_unit=lead, co_units=co)
    refused = refusal(lambda: units.check_rule_units(rule_in, DIRECTORY))
    assert refused.field == field and words in refused.detail


def test_units_on_the_rules_line_are_accepted_above_and_below_it():
    township_rule = RoutingRuleIn(division="330481102", lead_unit="hn-transport", co_units=["changan-gov"])
    units.check_rule_units(township_rule, DIRECTORY)
    county_rule = RoutingRuleIn(division="330481", areas=["330481102"], lead_unit="changan-gov")
    units.check_rule_units(county_rule, DIRECTORY)


def test_rule_contract_checks_areas_and_lead_unit():
    with pytest.raises(ValueError, match="片区"):
        RoutingRuleIn(division="330481", areas=["330482001"], lead_unit="hn-transport")
    with pytest.raises(ValueError, match="主办单位"):
        RoutingRuleIn(division="330481", triage="joint")
    assert RoutingRuleIn(division="330481", triage="station").lead_unit is None


@pytest.mark.parametrize(
    ("candidate", "words"),
    [
        (unit("x", parent="x"), "本单位"),
        (unit("x", parent="ghost"), "不存在"),
        (unit("x", parent="hn-old"), "停用"),
        (unit("x", parent="changan-gov"), "上级区划"),
        (unit("hn-gov", parent="hn-transport"), "循环"),
    ],
)
def test_a_bad_parent_unit_is_refused(candidate, words):
    refused = refusal(lambda: units.check_parent(candidate, DIRECTORY.get))
    assert refused.field == "parent" and words in refused.detail


def test_a_township_unit_may_have_a_county_parent():
    units.check_parent(unit("changan-office", "330481102", parent="changan-gov"), DIRECTORY.get)


# ---- suggestions ----


def test_suggestions_rank_units_by_the_terms_their_past_cases_shared_with_the_item():
    history = [
        ("文苑路公交站台顶棚坏了", "hn-transport"),
        ("公交车班次太少，等车要半小时", "hn-transport"),
        ("硖石公交站台没有座椅", "hn-transport"),
        ("老旧小区加装电梯进度太慢", "hn-housing"),
        ("小区路灯坏了好几盏", "hn-housing"),
    ]
    counts: dict[tuple[str, str], int] = {}
    for text, unit_id in history:
        for term in suggest.item_terms(text):
            counts[(term, unit_id)] = counts.get((term, unit_id), 0) + 1
    item = suggest.item_terms("海洲街道的公交站台被车撞坏了")
    rows = [(term, unit_id, n) for (term, unit_id), n in counts.items() if term in item]
    found = suggest.suggest(item, rows, UNITS)
    assert found[0].unit.id == "hn-transport" and "公交站" in found[0].shared_terms  # 公交站台 → 公交站
    assert all(s.unit.id != "hn-transport" for s in found[1:])
    assert suggest.suggest(item, rows, {}) == []  # deactivated or unknown units are never suggested


def test_at_most_three_suggestions_best_first():
    named = {f"u{i}": UnitRef(id=f"u{i}", name=f"单位{i}") for i in range(5)}
    rows = [("路灯", f"u{i}", i + 1) for i in range(5)]
    found = suggest.suggest(["路灯"], rows, named)
    assert [s.unit.id for s in found] == ["u4", "u3", "u2"] and found[0].shared_terms == ["路灯"]


def test_learning_is_per_county():
    assert suggest.learning_division("330481001004") == "330481"
    assert suggest.learning_division("330481") == "330481"
