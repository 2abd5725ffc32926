"""Finding cases through routing's RPCs on the real store: each filter, the cursor, the unit scoping."""

from datetime import timedelta

import pytest
from nameko.testing.services import worker_factory

from contracts.errors import ErrorCode, ServiceError
from contracts.routing import UnitRef
from contracts.vocabulary import CaseStatus
from infra.clock import local_today
from services.routing.case import Case
from services.routing.finding import INDEXES
from services.routing.service import RoutingService
from services.routing.store import RoutingStore
from tests.factories import NOW, Publications, actor

TRANSPORT = UnitRef(id="hn-transport", name="海宁市交通运输局")
HOUSING = UnitRef(id="hn-housing", name="海宁市住房和城乡建设局")
ENFORCEMENT = UnitRef(id="hn-enforcement", name="海宁市综合行政执法局")
TODAY = local_today()
PAST_DUE, DUE_LATER = TODAY - timedelta(days=3), TODAY + timedelta(days=10)

# id, division, channel, category, status, lead, co-units, due date, content
CASES = [
    (
        "C1",
        "330481001004",
        "web",
        "道路交通",
        "assigned",
        TRANSPORT,
        [ENFORCEMENT],
        PAST_DUE,
        "文苑路公交站台的顶棚坏了",
    ),
    ("C2", "330481001001", "hotline", "加装电梯", "accepted", HOUSING, [], DUE_LATER, "东山小区老楼希望加装电梯"),
    ("C3", "330481102201", "grid_officer", "农业农村", "triaged", None, [], None, "辛江村灌溉渠堵塞，菜地被淹"),
    ("C4", "330481002", "hotline", "道路交通", "replied", TRANSPORT, [], PAST_DUE, "海洲街道红绿灯时间太短"),
    ("C5", "330482", "web", "加装电梯", "assigned", HOUSING, [], PAST_DUE, "平湖老小区加装电梯"),
    ("C6", "330481001", "web", "道路交通", "accepted", ENFORCEMENT, [TRANSPORT], DUE_LATER, "菜场门口电动车乱停"),
]


def stored_case(case_id, division, channel, category, status, lead, co_units, due, content, age_minutes) -> Case:
    return Case(
        case_id=case_id,
        division=division,
        channel=channel,
        category=category,
        content=content,
        status=status,
        received_at=NOW - timedelta(minutes=age_minutes),
        lead_unit=lead,
        co_units=co_units,
        due_date=due,
        history=[],
    )


@pytest.fixture
def store(mongo_db):
    store = RoutingStore(mongo_db, Publications())
    store.ensure_indexes()
    for age, row in enumerate(CASES):  # C1 is the newest
        store.cases.add(stored_case(*row, age_minutes=age))
    return store


@pytest.fixture
def routing(store):
    return worker_factory(RoutingService, store=store)


def key(**overrides) -> dict:
    return actor(**overrides).model_dump()


def ids(routing, caller=None, **query) -> list[str]:
    return [case["case_id"] for case in routing.find_cases(query, caller or key())["items"]]


def test_newest_first_within_the_callers_scope(routing):
    assert ids(routing) == ["C1", "C2", "C3", "C4", "C6"]
    assert ids(routing, division="330481001") == ["C1", "C2", "C6"]
    assert ids(routing, key(scope="330481102")) == ["C3"]
    assert ids(routing, key(role="admin", scope="")) == ["C1", "C2", "C3", "C4", "C5", "C6"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"unit": "hn-transport"}, ["C1", "C4", "C6"]),  # lead or co-handling
        ({"unit": "hn-enforcement"}, ["C1", "C6"]),
        ({"status": ["accepted"]}, ["C2", "C6"]),
        ({"status": ["assigned", "triaged"]}, ["C1", "C3"]),
        ({"category": "加装电梯"}, ["C2"]),
        ({"channel": "hotline"}, ["C2", "C4"]),
        ({"due_from": DUE_LATER.isoformat()}, ["C2", "C6"]),
        ({"due_to": PAST_DUE.isoformat()}, ["C1", "C4"]),
        ({"due_from": PAST_DUE.isoformat(), "due_to": TODAY.isoformat()}, ["C1", "C4"]),
        ({"overdue": True}, ["C1"]),  # C4 is past due too, but replied
        ({"overdue": False}, ["C2", "C3", "C4", "C6"]),
        ({"text": "电梯"}, ["C2"]),
        ({"text": "电动车乱停"}, ["C6"]),
        ({"text": ".*"}, []),
        ({"category": "道路交通", "status": ["assigned", "accepted"], "unit": "hn-transport"}, ["C1", "C6"]),
    ],
)
def test_each_filter(routing, query, expected):
    assert ids(routing, **query) == expected


def test_a_units_key_finds_only_its_units_cases_and_sees_no_other(routing):
    transport = key(role="handler", unit="hn-transport")
    assert ids(routing, transport) == ["C1", "C4", "C6"]
    assert ids(routing, transport, status=["accepted"]) == ["C6"]
    assert ids(routing, transport, unit="hn-housing") == []  # never widens to another unit's cases
    assert routing.case_detail("C6", transport)["case_id"] == "C6"
    for hidden in ("C2", "C3", "NO-SUCH-CASE"):
        with pytest.raises(ServiceError) as refused:
            routing.case_detail(hidden, transport)
        assert refused.value.code is ErrorCode.NOT_FOUND and refused.value.field == "case_id"


def test_the_whole_case_only_within_the_scope(routing):
    detail = routing.case_detail("C2", key(scope="330481001"))
    assert detail["content"] == "东山小区老楼希望加装电梯" and detail["lead_unit"]["id"] == "hn-housing"
    assert detail["history"] == [] and detail["version"] == 1
    assert "handling_units" not in detail and "division_path" not in detail
    with pytest.raises(ServiceError) as refused:
        routing.case_detail("C2", key(scope="330481002"))
    assert refused.value.code is ErrorCode.NOT_FOUND


def test_the_cursor_is_stable_while_cases_arrive(routing, store):
    seen, after = [], None
    while True:
        page = routing.find_cases({"limit": 2, "after": after}, key(role="admin", scope=""))
        seen += [case["case_id"] for case in page["items"]]
        store.cases.add(stored_case(f"N{len(seen)}", "330481001", "web", None, "triaged", None, [], None, "新", -60))
        after = page["next"]
        if after is None:
            break
    assert seen == ["C1", "C2", "C3", "C4", "C5", "C6"]  # none repeated or skipped, the new ones above


def test_the_page_follows_the_same_filters(routing):
    first = routing.find_cases({"text": "道", "limit": 1}, key())
    assert [case["case_id"] for case in first["items"]] == ["C4"] and first["next"] is None
    first = routing.find_cases({"unit": "hn-transport", "limit": 2}, key())
    rest = routing.find_cases({"unit": "hn-transport", "limit": 2, "after": first["next"]}, key())
    assert [c["case_id"] for c in first["items"] + rest["items"]] == ["C1", "C4", "C6"] and rest["next"] is None


@pytest.mark.parametrize(
    ("query", "field", "code"),
    [
        ({"status": ["bogus"]}, "status.0", ErrorCode.INVALID),
        ({"due_from": "2026-12-31", "due_to": "2026-12-01"}, "due_to", ErrorCode.INVALID),
        ({"after": "not a cursor"}, "after", ErrorCode.INVALID),
        ({"division": "330482"}, "division", ErrorCode.FORBIDDEN),
    ],
)
def test_bad_queries_are_refused_naming_the_field(routing, query, field, code):
    with pytest.raises(ServiceError) as refused:
        routing.find_cases(query, key())
    assert refused.value.code is code and refused.value.field == field


def test_every_save_keeps_the_indexed_fields_and_older_cases_get_them_at_start(store, mongo_db):
    raw = mongo_db["cases"]
    assert raw.find_one({"_id": "C1"})["handling_units"] == ["hn-transport", "hn-enforcement"]
    case = store.cases.get("C3")
    store.cases.save(case.model_copy(update={"lead_unit": HOUSING, "status": CaseStatus.ASSIGNED}))
    assert raw.find_one({"_id": "C3"})["handling_units"] == ["hn-housing"]

    raw.update_one({"_id": "C2"}, {"$unset": {"handling_units": "", "division_path": ""}})  # stored before
    store.ensure_indexes()
    assert raw.find_one({"_id": "C2"})["division_path"] == ["330481", "330481001", "330481001001"]
    assert store.cases.backfill() == 0
    names = {tuple(index["key"].items()) for index in raw.list_indexes()}
    assert all(tuple(keys) in names for keys in INDEXES)
