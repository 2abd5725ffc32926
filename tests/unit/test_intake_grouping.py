"""Grouping's plain rules: terms from real wording, near-duplicates, band keys, groups, hot words."""

import itertools
from datetime import date, timedelta

import pytest

from contracts.errors import ErrorCode, ServiceError
from contracts.routing import Transition, UnitRef
from contracts.vocabulary import CaseStatus
from services.intake.grouping import follow, hotwords
from services.intake.grouping import group as rules
from services.intake.grouping.item import THRESHOLD, WINDOW, Indexed, jaccard, matches, near, periods_around
from services.intake.grouping.signature import BANDS, band_keys
from services.intake.grouping.terms import hot_words, terms
from services.intake.opinion import Opinion
from tests.factories import NOW, actor, opinion_merged

POTHOLE = [
    "文苑路中段有个大坑，电动车经过很危险",
    "文苑路路面坑洼，中间那个坑很深，骑电动车容易摔",
    "文苑路上的坑好久没人补了，晚上骑车差点摔倒",
]
STREET_LIGHT = "文苑路的路灯晚上不亮"

# The same problem in other words (each list), and other problems in the same places (SINGLES):
# the wordings the vocabulary was tuned on.
CLUSTERS = {
    "pothole": POTHOLE,
    "light": [STREET_LIGHT, "文苑路一到晚上路灯全黑，走路看不清", "文苑路好几盏路灯坏了，天黑以后黑漆漆的"],
    "garbage": [
        "海昌路菜场门口的垃圾桶满了没人清运，臭气熏天",
        "海昌路菜市场旁边垃圾好几天没人收，味道很大",
        "海昌路菜场垃圾堆积，夏天苍蝇蚊子很多，气味难闻",
    ],
    "noise": [
        "水月亭路工地晚上十一点还在施工，噪音吵得睡不着",
        "水月亭路的工地半夜施工，噪声太大影响休息",
        "水月亭路建筑工地夜间施工扰民，希望管一管",
    ],
    "river": [
        "洛塘河硖石段有污水直排，河水发黑发臭",
        "洛塘河边有排污口往河里排脏水，水都黑了",
        "洛塘河水质很差，有一股臭味，怀疑有人偷排污水",
    ],
    "parking": [
        "西山路人行道上停满了汽车，行人只能走机动车道",
        "西山路人行道被私家车占用，走路很不安全",
        "西山路乱停车严重，人行道都被车占了",
    ],
    "bus": [
        "工人路公交站台的顶棚坏了，下雨天没法等车",
        "工人路公交站的雨棚破了，下雨等车全身淋湿",
        "工人路站台顶棚漏雨，希望尽快修好",
    ],
    "school": [
        "紫微小学门口上下学时段堵车严重",
        "紫微小学放学时校门口车辆拥堵，孩子过马路危险",
        "每天早上送孩子去紫微小学，校门口堵得水泄不通",
    ],
    "elevator": [
        "东山小区是老旧小区，老人爬楼困难，希望加装电梯",
        "东山小区六层楼没有电梯，老年人上下楼很不方便，申请加装电梯",
        "东山小区加装电梯的事情能不能推进一下，家里老人腿脚不好",
    ],
    "manhole": [
        "文苑路和海昌路路口的井盖丢了，很危险",
        "文苑路海昌路交叉口窨井盖缺失，晚上容易掉进去",
        "文苑路路口有个井盖不见了，留下一个大洞",
    ],
    "dance": [
        "西山公园广场舞音响声音太大，影响周边居民休息",
        "西山公园每天晚上跳广场舞，音乐开得特别响",
        "西山公园广场舞噪音扰民，希望规定时间和音量",
    ],
}
SINGLES = [
    "文苑路的绿化带杂草很多没人修剪",
    "海昌路菜场的摊位乱摆，占道经营",
    "水月亭路的红绿灯时间太短，老人过马路来不及",
    "洛塘河边的护栏松动了，小孩在边上玩很危险",
    "西山路的公共厕所太脏了，没人打扫",
    "工人路上有商家把广告牌放在人行道上",
    "紫微小学附近的文具店卖三无零食",
    "东山小区的自来水经常停水，也没有提前通知",
    "文苑路口的红绿灯坏了，一直闪黄灯",
    "东山小区楼道里堆满杂物，有消防隐患",
    "海昌路有很多流浪狗，晚上追着人叫",
    "西山公园的健身器材坏了好几个",
]
# Wordings written after the tuning, to see it hold beyond what it was tuned on.
LATER_CLUSTERS = {
    "fallen tree": [
        "长安镇兴福路的行道树被台风刮倒了，压在路上没人处理",
        "兴福路有棵大树倒在马路中间，车子过不去",
        "兴福路倒了一棵树，挡住了半边路，很多天了",
    ],
    "no water": [
        "许村镇永福村停水三天了，也没人通知",
        "永福村这几天一直没有自来水，生活很不方便",
        "永福村自来水停了好几天，什么时候能恢复供水",
    ],
    "dogs": [
        "海洲街道银泰小区有人遛狗不牵绳，吓到小孩",
        "银泰小区遛狗不拴绳的人很多，孩子被狗追",
        "银泰小区狗不牵狗绳，还随地大小便",
    ],
    "fumes": [
        "长安镇工业园区有工厂晚上偷偷排废气，味道刺鼻",
        "长安工业园区夜里有刺鼻的气味，怀疑工厂偷排废气",
        "工业园区那边的工厂排放废气，晚上开窗全是刺鼻的味道",
    ],
}
LATER_SINGLES = [
    "兴福路的路灯不亮",
    "永福村的路太窄，会车困难",
    "银泰小区停车位太少",
    "长安镇工业园区的道路被大货车压坏了",
    "兴福路有人乱倒建筑垃圾",
]


def indexed(code: str, content: str, **overrides) -> Indexed:
    item_terms = terms(content)
    fields = dict(
        tracking_code=code,
        division="330481001",
        submitted_at=NOW,
        terms=item_terms,
        keys=band_keys(item_terms),
    )
    return Indexed(**{**fields, **overrides})


def test_terms_leave_out_stop_words_and_punctuation_and_keep_place_names_whole():
    assert terms("海昌路菜场门口的垃圾桶满了没人清运，臭气熏天！") == ["海昌路", "菜场", "垃圾", "清运", "臭味"]
    assert terms("希望有关部门尽快处理一下这个问题。") == []
    assert terms("文苑路口的红绿灯坏了") == ["文苑路", "路口", "红绿灯", "损坏"]


def test_wordings_of_one_concept_are_one_term():
    assert {"坑洼", "骑车"} <= set(terms(POTHOLE[0])) & set(terms(POTHOLE[1])) & set(terms(POTHOLE[2]))
    assert terms("窨井盖被偷了") == terms("井盖丢失")


def test_the_same_pothole_in_three_wordings_is_near_and_the_street_light_is_not():
    potholes = [indexed(f"P{n}", text) for n, text in enumerate(POTHOLE)]
    light = indexed("L", STREET_LIGHT)
    for first, second in itertools.combinations(potholes, 2):
        assert near(first, second) is not None, (first.terms, second.terms)
    assert all(near(light, pothole) is None for pothole in potholes)
    assert [m.item.tracking_code for m in matches(potholes[2], [light, *potholes])] == ["P1", "P0"]


@pytest.mark.parametrize(
    ("clusters", "singles"), [(CLUSTERS, SINGLES), (LATER_CLUSTERS, LATER_SINGLES)], ids=["tuned", "later"]
)
def test_each_problem_is_near_its_other_wordings_and_no_other_problem(clusters, singles):
    items = [(name, text) for name, texts in clusters.items() for text in texts]
    items += [(f"single {n}", text) for n, text in enumerate(singles)]
    term_sets = [terms(text) for _, text in items]
    apart, together = [], []
    for (a, (name_a, text_a)), (b, (name_b, text_b)) in itertools.combinations(enumerate(items), 2):
        similarity = jaccard(term_sets[a], term_sets[b])
        if name_a == name_b and similarity < THRESHOLD:
            apart.append((text_a, text_b, round(similarity, 2)))
        if name_a != name_b and similarity >= THRESHOLD:
            together.append((text_a, text_b, round(similarity, 2)))
    assert apart == [] and together == []


def test_near_duplicates_are_of_one_division_and_period():
    first = indexed("A", POTHOLE[0])
    assert near(first, indexed("B", POTHOLE[1])) is not None
    assert near(first, indexed("B", POTHOLE[1], division="330481002")) is None
    assert near(first, indexed("B", POTHOLE[1], submitted_at=NOW - WINDOW - timedelta(minutes=1))) is None
    assert near(first, indexed("A", POTHOLE[0])) is None  # not its own duplicate


def test_band_keys_are_stable_and_near_duplicates_share_some():
    keys = [band_keys(terms(text)) for text in POTHOLE]
    assert all(len(k) == BANDS for k in keys) and band_keys(terms(POTHOLE[0])) == keys[0]
    for first, second in itertools.combinations(keys, 2):
        assert set(first) & set(second)
    assert band_keys([]) == []
    assert not set(band_keys(terms(POTHOLE[0]))) & set(band_keys(terms("东山小区加装电梯")))


def test_an_item_is_looked_up_in_its_period_and_both_neighbours():
    here = periods_around(NOW)
    assert here[1] - here[0] == 1 and here[2] - here[1] == 1
    assert periods_around(NOW + WINDOW)[1] == here[2]


def group_of(*members: str):
    return rules.start("01JDQ8M5V6X4T2R9K7W3B1N0PZ", "330481001", list(members), NOW)


def test_a_group_counts_each_member_once():
    group = group_of("A", "B", "A")
    assert group.members == ["A", "B"] and group.size == 2
    later = NOW + timedelta(hours=1)
    grown = rules.joined(group, ["B", "C"], later)
    assert grown.members == ["A", "B", "C"] and grown.size == 3 and grown.updated_at == later
    assert rules.joined(grown, ["A", "C"], later) is grown


def test_merging_makes_the_others_follow_the_primary_and_tells_who():
    station = actor(role="station")
    merged, events = rules.merge(group_of("A", "B", "C"), "B", station, NOW)
    assert merged.primary == "B" and merged.merged == ["A", "C"] and merged.merged_by == station.ref
    assert [(e.primary, e.members, e.merged_by, e.division) for e in events] == [
        ("B", ["A", "C"], station.ref, "330481001")
    ]
    assert rules.merge(merged, "B", station, NOW) == (merged, [])  # nothing new: nothing happens
    again, events = rules.merge(rules.joined(merged, ["D"], NOW), "B", station, NOW)
    assert again.merged == ["A", "C", "D"] and events[0].members == ["D"]


def test_a_merge_needs_a_member_as_primary_and_keeps_its_first_primary():
    station = actor(role="station")
    with pytest.raises(ServiceError) as raised:
        rules.merge(group_of("A", "B"), "Z", station, NOW)
    assert raised.value.code is ErrorCode.INVALID and raised.value.field == "primary"
    merged, _ = rules.merge(group_of("A", "B"), "A", station, NOW)
    with pytest.raises(ServiceError) as raised:
        rules.merge(merged, "B", station, NOW)
    assert raised.value.code is ErrorCode.CONFLICT and raised.value.field == "primary"


def test_splitting_frees_members_and_dissolves_a_group_left_with_one():
    group, freed = rules.split(group_of("A", "B", "C"), ["B"], NOW)
    assert group.members == ["A", "C"] and group.size == 2 and freed == ["B"]
    group, freed = rules.split(group, ["C"], NOW)
    assert group.members == [] and group.size == 0 and freed == ["C", "A"]


def test_merged_members_and_strangers_cannot_be_split_out():
    merged, _ = rules.merge(group_of("A", "B", "C"), "A", actor(role="station"), NOW)
    for taken, code in [(["B"], ErrorCode.INVALID_TRANSITION), (["A"], ErrorCode.INVALID_TRANSITION)]:
        with pytest.raises(ServiceError) as raised:
            rules.split(merged, taken, NOW)
        assert raised.value.code is code and raised.value.field == "members"
    with pytest.raises(ServiceError) as raised:
        rules.split(merged, ["Z"], NOW)
    assert raised.value.code is ErrorCode.INVALID and raised.value.field == "members"


def opinion(code: str, **overrides) -> Opinion:
    fields = dict(
        tracking_code=code,
        case_number="330481-2026-000007",
        division="330481001",
        channel="web",
        content=POTHOLE[0],
        submitted_at=NOW,
        status=CaseStatus.TRIAGED,
        history=[Transition(status=CaseStatus.RECEIVED, at=NOW, actor="channel:web")],
    )
    return Opinion(**{**fields, **overrides})


def test_a_merged_member_takes_the_primary_s_progress_and_names_its_case_number_only():
    unit = UnitRef(id="hn-transport", name="海宁市交通运输局")
    primary = opinion("7K3P-9XTA-2MQD", status=CaseStatus.ASSIGNED, lead_unit=unit, due_date=date(2026, 12, 14))
    member = follow.merged(opinion("7K3P-9XTA-2MQE", case_number="330481-2026-000009"), primary, opinion_merged())
    assert (member.status, member.lead_unit, member.due_date) == (CaseStatus.ASSIGNED, unit, date(2026, 12, 14))
    assert member.case_number == "330481-2026-000009" and member.tracking_code == "7K3P-9XTA-2MQE"
    step = member.history[-1]
    assert step.status is CaseStatus.MERGED and step.actor == "station:01KEY"
    assert "330481-2026-000007" in step.reason and "7K3P-9XTA-2MQD" not in step.reason


def test_hot_words_are_the_terms_of_two_or_more_characters():
    assert hot_words(["文苑路", "坑洼", "补", "骑车"]) == ["文苑路", "坑洼", "骑车"]


def test_an_item_counts_in_its_division_and_every_one_above_it_on_its_day_in_beijing():
    assert hotwords.areas_of("330481001002") == ["330481001002", "330481001", "330481"]
    assert hotwords.day_of(NOW.replace(hour=17)) == date(2026, 11, 24)  # 01:00 the next day in Beijing


def test_hot_words_sum_the_days_and_rank_by_count_then_term():
    words = hotwords.top([{"坑洼": 2, "文苑路": 3}, {"坑洼": 1, "路灯": 3}, {}], 2)
    assert [(w.term, w.count) for w in words] == [("坑洼", 3), ("文苑路", 3)]


def test_a_period_runs_forwards_and_at_most_a_year():
    assert hotwords.days(date(2026, 11, 1), date(2026, 11, 3)) == [date(2026, 11, n) for n in (1, 2, 3)]
    for first, last in [(date(2026, 11, 2), date(2026, 11, 1)), (date(2025, 1, 1), date(2026, 1, 2))]:
        with pytest.raises(ServiceError) as raised:
            hotwords.days(first, last)
        assert raised.value.code is ErrorCode.INVALID and raised.value.field == "from"
