from services.routing.rules import Rule, choose_rule


def rule(division, keywords=(), unit="u", priority=100):
    return Rule(division, tuple(keywords), unit, (), priority)


RULES = [
    rule("330481", ["公交"], "transport"),
    rule("330481", [], "county-office"),
    rule("330481102", [], "changan-gov"),
    rule("330481", ["公交", "路灯"], "housing", priority=200),
]


def test_keyword_match_beats_the_default():
    assert choose_rule(RULES, "330481001", "公交站台坏了").lead_unit == "transport"


def test_priority_breaks_ties_between_keyword_rules():
    assert choose_rule(RULES, "330481001", "路灯和公交").lead_unit == "transport"
    assert choose_rule(RULES, "330481001", "路灯不亮").lead_unit == "housing"


def test_default_applies_when_no_keyword_matches():
    assert choose_rule(RULES, "330481001", "其他问题").lead_unit == "county-office"


def test_the_most_local_division_wins():
    assert choose_rule(RULES, "330481102", "公交站台坏了").lead_unit == "changan-gov"


def test_rules_of_other_divisions_never_apply():
    assert choose_rule(RULES, "330482", "公交") is None


def test_a_category_rule_beats_the_default_and_needs_the_items_category():
    by_category = Rule("330481", (), "transport", (), 100, ("道路交通",))
    rules = [by_category, rule("330481", [], "county-office")]
    assert choose_rule(rules, "330481001", "路面有坑", "道路交通").lead_unit == "transport"
    assert choose_rule(rules, "330481001", "路面有坑", "教育").lead_unit == "county-office"
    assert choose_rule(rules, "330481001", "路面有坑").lead_unit == "county-office"
