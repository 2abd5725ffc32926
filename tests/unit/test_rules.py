import pytest

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


# ---- real wording, areas and channels ----

TRANSPORT = Rule("330481", ("公交", "站台", "红绿灯"), "hn-transport", ("hn-enforcement",), 100, id="transport")
HOUSING = Rule("330481", ("加装电梯", "老旧小区", "物业"), "hn-housing", (), 100, id="housing")
ECOLOGY = Rule("330481", ("污水", "臭", "噪音"), "hn-ecology", (), 100, id="ecology")
CHANGAN_RIVERS = Rule("330481", ("河道", "污水"), "changan-gov", (), 50, areas=("330481102",), id="changan-rivers")
HOTLINE_PETITIONS = Rule("330481", ("信访",), None, (), 100, channels=("hotline",), id="petitions")
REAL = [TRANSPORT, HOUSING, ECOLOGY, CHANGAN_RIVERS, HOTLINE_PETITIONS]


@pytest.mark.parametrize(
    ("content", "division", "channel", "expected"),
    [
        (
            "文苑路公交站台的顶棚被台风刮坏了，下雨天等车的老人都淋湿了，希望尽快修复。",
            "330481001004",
            "web",
            "transport",
        ),
        ("我们小区是九十年代的老旧小区，六楼老人上下楼困难，希望政府支持加装电梯。", "330481001", "qr", "housing"),
        ("海昌路菜场门口的下水道污水外溢，夏天臭气熏天。", "330481003", "web", "ecology"),
        ("辛江村边的河道里有人偷排污水，鱼都死了。", "330481102201", "grid_officer", "changan-rivers"),
        ("硖石的河道漂着垃圾和污水泡沫。", "330481001", "web", "ecology"),
        ("关于信访件迟迟没有回复的问题", "330481001", "hotline", "petitions"),
        ("关于信访件迟迟没有回复的问题", "330481001", "web", None),
        ("希望增加图书馆的开放时间", "330481001", "web", None),
    ],
)
def test_rules_match_real_wording(content, division, channel, expected):
    chosen = choose_rule(REAL, division, content, None, channel)
    assert (chosen.id if chosen else None) == expected


def test_an_area_rule_applies_only_inside_its_area_and_beats_a_lower_priority_keyword_rule():
    inside = choose_rule(REAL, "330481102203", "天明村河道发黑有污水", None, "web")
    outside = choose_rule(REAL, "330481101", "许村镇河道发黑有污水", None, "web")
    assert inside.id == "changan-rivers" and outside.id == "ecology"


def test_a_rule_with_only_an_area_or_a_channel_is_not_the_default():
    by_area = Rule("330481", (), "changan-gov", (), 100, areas=("330481102",))
    default = Rule("330481", (), "hn-office", (), 100)
    assert not by_area.is_default and default.is_default
    assert choose_rule([default, by_area], "330481102201", "任何事情").lead_unit == "changan-gov"
    assert choose_rule([default, by_area], "330481001", "任何事情").lead_unit == "hn-office"
