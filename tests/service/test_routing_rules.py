"""routing's units, rules, deadline policies, triage levels, the manual triage queue with its unit
suggestions, and late assignments: the RPCs on nameko's worker_factory with the real embedded store."""

from datetime import timedelta

import pytest
from nameko.testing.services import worker_factory
from prometheus_client import REGISTRY

from contracts.envelope import Envelope
from contracts.errors import ErrorCode, ServiceError
from infra.clock import local_date, local_today, utc_now
from services.routing import policies
from services.routing.calendar import WorkingCalendar
from services.routing.service import RoutingService
from services.routing.store import RoutingStore
from tests.factories import Publications, actor, case_assigned, opinion_received

CONTACT = {"name": "王建国", "post": "办公室主任", "office_phone": "0573-87012345"}
UNITS = [
    {"id": "hn-gov", "name": "海宁市人民政府", "division": "330481"},
    {"id": "hn-transport", "name": "海宁市交通运输局", "division": "330481", "parent": "hn-gov", "contacts": [CONTACT]},
    {"id": "hn-enforcement", "name": "海宁市综合行政执法局", "division": "330481", "parent": "hn-gov"},
    {"id": "hn-housing", "name": "海宁市住房和城乡建设局", "division": "330481", "parent": "hn-gov"},
    {"id": "jx-transport", "name": "嘉兴市交通运输局", "division": "330482"},
]
ADMIN = actor(role="admin", scope="330481").model_dump()
OUTSIDER = actor(role="admin", scope="330482").model_dump()


@pytest.fixture
def published():
    return Publications()


@pytest.fixture
def routing(mongo_db, published):
    store = RoutingStore(mongo_db, published)
    store.ensure_indexes()
    service = worker_factory(RoutingService, store=store)
    for unit in UNITS:
        service.register_unit(unit)
    return service


def refused(call, code=ErrorCode.INVALID) -> ServiceError:
    with pytest.raises(ServiceError) as raised:
        call()
    assert raised.value.code is code
    return raised.value


def receive(routing, content: str, division="330481001", channel="web", code="7K3P-9XTA-2MQD", **more):
    wire = opinion_received(tracking_code=code, division=division, content=content, channel=channel, **more)
    routing.on_opinion_received(wire.envelope(division, f"corr-{code}").wire())
    return routing.store.cases.get(code)


def events(published) -> list[Envelope]:
    return [Envelope.model_validate(wire) for wire in published.wires]


# ---- units ----


def test_units_keep_parents_and_contacts_and_are_updated_deactivated_and_listed(routing):
    assert routing.unit("hn-transport")["contacts"] == [CONTACT]
    changed = routing.update_unit(
        "hn-transport", {"name": "海宁市交通运输局（港航）", "parent": "hn-gov", "contacts": []}, ADMIN
    )
    assert changed["name"] == "海宁市交通运输局（港航）" and changed["contacts"] == [] and changed["active"] is True

    assert routing.deactivate_unit("hn-housing", ADMIN)["active"] is False
    listed = [unit["id"] for unit in routing.list_units("330481")]
    assert listed == ["hn-enforcement", "hn-gov", "hn-transport"]
    assert "hn-housing" in [unit["id"] for unit in routing.list_units("330481", True)]
    assert routing.register_unit(UNITS[3])["active"] is False  # registering again does not reactivate


def test_a_unit_outside_the_callers_scope_does_not_exist_for_it(routing):
    assert refused(lambda: routing.deactivate_unit("hn-housing", OUTSIDER), ErrorCode.NOT_FOUND).field == "unit_id"
    assert routing.unit("hn-housing")["active"] is True


def test_a_bad_parent_or_a_moved_division_is_refused(routing):
    bad = {"id": "x", "name": "某局", "division": "330481", "parent": "jx-transport"}
    assert refused(lambda: routing.register_unit(bad)).field == "parent"
    assert routing.store.unit("x") is None
    loop = {"name": "海宁市人民政府", "parent": "hn-transport"}
    assert refused(lambda: routing.update_unit("hn-gov", loop, ADMIN)).field == "parent"
    moved = {**UNITS[1], "division": "330482"}
    assert refused(lambda: routing.register_unit(moved), ErrorCode.CONFLICT).field == "id"


# ---- rules ----


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        ({"lead_unit": "ghost"}, "lead_unit"),
        ({"lead_unit": "jx-transport"}, "lead_unit"),
        ({"lead_unit": "hn-transport", "co_units": ["ghost"]}, "co_units"),
        ({"lead_unit": "hn-housing"}, "lead_unit"),  # deactivated below
        ({"lead_unit": "hn-transport", "areas": ["330482001"]}, "areas"),
        ({"triage": "joint"}, "lead_unit"),
    ],
)
def test_a_rule_naming_a_bad_unit_is_refused_and_nothing_is_stored(routing, rule, field):
    routing.deactivate_unit("hn-housing", ADMIN)
    error = refused(lambda: routing.add_rule({"division": "330481", "keywords": ["公交"], **rule}))
    assert error.field == field
    assert routing.list_rules("330481") == []


def test_rules_are_listed_updated_and_deleted_within_scope(routing):
    first = routing.add_rule({"division": "330481", "keywords": ["公交"], "lead_unit": "hn-transport", "priority": 20})
    second = routing.add_rule(
        {"division": "330481001", "keywords": ["加装电梯"], "lead_unit": "hn-housing", "channels": ["hotline"]}
    )
    assert [r["id"] for r in routing.list_rules("330481")] == [first["id"], second["id"]]
    assert [r["id"] for r in routing.list_rules("330481001")] == [second["id"]]

    changed = routing.update_rule(first["id"], {**first, "keywords": ["公交", "站台"], "triage": "escalate"}, ADMIN)
    assert changed["keywords"] == ["公交", "站台"] and changed["triage"] == "escalate" and changed["id"] == first["id"]
    moved = {**first, "division": "330481001"}
    assert refused(lambda: routing.update_rule(first["id"], moved, ADMIN)).field == "division"
    ghost = {**first, "lead_unit": "ghost"}
    assert refused(lambda: routing.update_rule(first["id"], ghost, ADMIN)).field == "lead_unit"
    assert refused(lambda: routing.delete_rule(first["id"], OUTSIDER), ErrorCode.NOT_FOUND).field == "rule_id"

    assert routing.delete_rule(first["id"], ADMIN)["id"] == first["id"]
    assert [r["id"] for r in routing.list_rules("330481")] == [second["id"]]


# ---- triage levels ----


def test_an_escalation_rule_puts_a_village_case_in_the_townships_queue(routing, published):
    routing.add_rule({"division": "330481", "keywords": ["征地", "拆迁"], "triage": "escalate"})
    case = receive(routing, "村里征地补偿标准不公开，村民有意见", division="330481001004")
    assert case.status == "escalated" and case.division == "330481001"
    assert [t.status for t in case.history] == ["received", "triaged", "escalated"]
    assert [e.type for e in events(published)] == ["case.triaged", "case.escalated"]

    def queued(division):
        return [entry["case_id"] for entry in routing.triage_queue(division)["items"]]

    assert queued("330481001") == [case.case_id] == queued("330481")
    assert queued("330481001004") == []


def test_station_levels_stay_with_the_station_and_out_of_the_queue(routing, published):
    routing.add_rule({"division": "330481", "keywords": ["政策咨询"], "triage": "on_the_spot"})
    case = receive(routing, "想做个政策咨询：新农合怎么报销")
    assert case.status == "triaged" and case.triage.level == "on_the_spot" and case.lead_unit is None
    assert routing.triage_queue("330481")["items"] == [] and published.types() == ["case.triaged"]
    assert published.wires[0]["payload"]["level"] == "on_the_spot" and published.wires[0]["payload"]["matched"]


def test_a_joint_rule_waits_for_its_meeting_in_the_queue(routing):
    routing.add_rule(
        {
            "division": "330481",
            "keywords": ["停车难"],
            "triage": "joint",
            "lead_unit": "hn-transport",
            "co_units": ["hn-enforcement", "hn-housing"],
        }
    )
    receive(routing, "老旧小区停车难，晚上车都停到消防通道上")
    (entry,) = routing.triage_queue("330481")["items"]
    assert entry["triage"]["needs_meeting"] is True and entry["triage"]["proposed_lead"]["id"] == "hn-transport"
    assert entry["suggestions"] == []  # its units are proposed already


def test_area_and_channel_rules_and_the_divisions_deadline_policy(routing):
    routing.add_rule({"division": "330481", "keywords": ["公交"], "lead_unit": "hn-transport"})
    routing.add_rule(
        {"division": "330481", "keywords": ["公交"], "areas": ["330481102"], "lead_unit": "hn-enforcement"}
    )
    routing.add_rule(
        {
            "division": "330481",
            "keywords": ["公交"],
            "channels": ["hotline"],
            "lead_unit": "hn-housing",
            "priority": 10,
            "deadline": {"kind": "working_days", "amount": 3},
        }
    )
    routing.set_deadline_policies({"division": "330481", "citizen": {"kind": "working_days", "amount": 10}})
    assert routing.deadline_policies("330481001")["citizen"] == {"kind": "working_days", "amount": 10}

    today = local_today()
    web = receive(routing, "公交车总是晚点", code="AAAA-AAAA-AAAA")
    changan = receive(routing, "长安镇的公交站牌看不清", division="330481102201", code="BBBB-BBBB-BBBB")
    hotline = receive(routing, "打电话反映公交线路问题", channel="hotline", code="CCCC-CCCC-CCCC")
    assert web.lead_unit.id == "hn-transport"
    assert web.due_date == WorkingCalendar().add_working_days(today, 10).due_date
    assert changan.lead_unit.id == "hn-enforcement"
    assert hotline.lead_unit.id == "hn-housing"
    assert hotline.due_date == WorkingCalendar().add_working_days(today, 3).due_date


# ---- suggestions learned from assignments ----


def test_unmatched_items_get_the_units_past_assignments_of_similar_text_point_to(routing, published):
    routing.add_rule({"division": "330481", "keywords": ["公交"], "lead_unit": "hn-transport"})
    routing.add_rule({"division": "330481", "keywords": ["电梯"], "lead_unit": "hn-housing"})
    history = [
        "文苑路公交站台顶棚坏了，下雨没处躲",
        "公交车班次太少，站台上等车要半小时",
        "硖石公交站台没有座椅，老人站着等车",
        "老旧小区加装电梯审批太慢",
        "小区电梯经常停运，物业不管",
    ]
    for n, text in enumerate(history):
        receive(routing, text, code=f"HIST-0000-000{n}")
    for wire in published.wires:
        if wire["type"] == "case.assigned":
            routing.learn_from_assignment(wire)
            routing.learn_from_assignment(wire)  # a redelivery counts nothing twice

    receive(routing, "海洲街道的站台被车撞坏了，等车的人没地方站", code="NEW0-0000-0001")
    receive(routing, "小区物业不作为，楼道里堆满杂物", code="NEW0-0000-0002")
    entries = {entry["case_id"]: entry for entry in routing.triage_queue("330481")["items"]}
    platform = entries["NEW0-0000-0001"]["suggestions"]
    assert platform[0]["unit"] == {"id": "hn-transport", "name": "海宁市交通运输局"}
    assert "公交站" in platform[0]["shared_terms"] and len(platform) <= 3  # 站台 and 公交站台 are one concept
    property_item = entries["NEW0-0000-0002"]["suggestions"]
    assert property_item[0]["unit"]["id"] == "hn-housing" and "物业" in property_item[0]["shared_terms"]

    counts = routing.store.directory.term_counts("330481", ["公交站"])
    assert counts == [("公交站", "hn-transport", 3)]


def test_a_deactivated_unit_is_no_longer_suggested(routing, published):
    routing.add_rule({"division": "330481", "keywords": ["公交"], "lead_unit": "hn-transport"})
    receive(routing, "公交站台坏了", code="HIST-0000-0001")
    routing.learn_from_assignment(published.wires[1])  # after case.triaged
    receive(routing, "站台坏了", code="NEW0-0000-0001")
    assert routing.triage_queue("330481")["items"][0]["suggestions"]
    routing.deactivate_unit("hn-transport", ADMIN)
    assert routing.triage_queue("330481")["items"][0]["suggestions"] == []


def test_a_deadline_on_the_calendars_fallback_is_counted(routing):
    before = REGISTRY.get_sample_value("routing_calendar_fallback_total", {"county": "330481"}) or 0
    receive(routing, "公交站台坏了")
    wire = case_assigned(calendar_fallback=True).envelope("330481001", "c").wire()
    routing.learn_from_assignment(wire)
    routing.learn_from_assignment(wire)
    assert REGISTRY.get_sample_value("routing_calendar_fallback_total", {"county": "330481"}) == before + 1


# ---- late assignments ----


def test_assignments_later_than_one_working_day_after_receipt_are_listed(routing):
    routing.add_rule({"division": "330481", "keywords": ["公交"], "lead_unit": "hn-transport"})
    week_ago = utc_now() - timedelta(days=7)
    receive(routing, "公交站台坏了", code="ONTI-0000-0001")
    late = receive(routing, "公交车晚点", code="LATE-0000-0001", submitted_at=week_ago)
    waiting = receive(routing, "图书馆开放时间太短", code="WAIT-0000-0001", submitted_at=week_ago)
    expected = policies.working_days_to_assignment(WorkingCalendar(), week_ago, utc_now())
    assert late.assignment_working_days == expected > 1

    listed = {entry["case_id"]: entry for entry in routing.late_assignments("330481")}
    assert set(listed) == {late.case_id, waiting.case_id}
    assert listed[late.case_id]["working_days_to_assignment"] == expected
    assert listed[waiting.case_id]["assigned_at"] is None and listed[waiting.case_id]["status"] == "triaged"
    assert routing.late_assignments("330482") == []
    assert local_date(week_ago) < local_today()


def test_a_returned_case_waits_in_the_queue_with_suggestions(routing, published):
    routing.add_rule({"division": "330481", "keywords": ["公交"], "lead_unit": "hn-transport"})
    case = receive(routing, "公交站台旁的绿化带没人修剪", code="RETN-0000-0001")
    routing.learn_from_assignment(published.wires[1])  # after case.triaged
    unit_key = actor(role="handler", unit="hn-transport").model_dump()
    routing.act_on_case(case.case_id, "return", {"reason": "绿化不属于本单位职责"}, unit_key)

    (entry,) = routing.triage_queue("330481")["items"]
    assert entry["case_id"] == case.case_id and entry["status"] == "returned"
    assert entry["suggestions"][0]["unit"]["id"] == "hn-transport"  # its only history so far
    assert routing.late_assignments("330481") == []  # its first assignment was on time
