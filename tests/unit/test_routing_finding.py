"""Finding cases: from a query and the caller to one MongoDB filter, with no database."""

from datetime import date

import pytest

from contracts.case_finding import CaseQuery
from contracts.errors import ErrorCode, ServiceError, parse
from contracts.routing import UnitRef
from services.routing.case import Case
from services.routing.finding import case_filter, division_path, indexed_fields, visible
from tests.factories import NOW, actor

TODAY = date(2026, 11, 23)
TRANSPORT, ENFORCEMENT = (
    UnitRef(id="hn-transport", name="海宁市交通运输局"),
    UnitRef(id="hn-enforcement", name="执法局"),
)


def query(**filters) -> CaseQuery:
    return parse(CaseQuery, filters)


def a_case(**overrides) -> Case:
    fields = dict(
        case_id="7K3P-9XTA-2MQD",
        division="330481001004",
        channel="web",
        content="文苑路公交站台的顶棚坏了",
        status="assigned",
        received_at=NOW,
        lead_unit=TRANSPORT,
        co_units=[ENFORCEMENT],
        history=[],
    )
    return Case(**{**fields, **overrides})


def test_without_filters_a_key_finds_its_scope_and_the_bootstrap_admin_everything():
    assert case_filter(query(), actor(scope="330481"), TODAY) == {"division_path": "330481"}
    assert case_filter(query(division="330481001"), actor(scope="330481"), TODAY) == {"division_path": "330481001"}
    assert case_filter(query(), actor(role="admin", scope=""), TODAY) == {}


def test_a_division_outside_the_scope_is_refused_naming_the_division():
    with pytest.raises(ServiceError) as refused:
        case_filter(query(division="330482"), actor(scope="330481"), TODAY)
    assert refused.value.code is ErrorCode.FORBIDDEN and refused.value.field == "division"


def test_a_units_key_only_ever_finds_its_units_cases():
    handler = actor(role="handler", scope="330481", unit="hn-transport")
    assert case_filter(query(), handler, TODAY) == {
        "$and": [{"division_path": "330481"}, {"handling_units": "hn-transport"}]
    }
    # asking for another unit narrows further (cases both handle), never widens
    assert case_filter(query(unit="hn-housing"), handler, TODAY)["$and"][1:] == [
        {"handling_units": "hn-transport"},
        {"handling_units": "hn-housing"},
    ]


def test_each_filter_becomes_its_clause():
    found = case_filter(
        query(
            unit="hn-housing",
            status=["assigned", "accepted"],
            category="加装电梯",
            channel="hotline",
            due_from="2026-12-01",
            due_to="2026-12-31",
            text="电梯",
        ),
        actor(scope="330481"),
        TODAY,
    )
    assert found == {
        "$and": [
            {"division_path": "330481"},
            {"handling_units": "hn-housing"},
            {"status": {"$in": ["assigned", "accepted"]}},
            {"category": "加装电梯"},
            {"channel": "hotline"},
            {"due_date": {"$gte": "2026-12-01", "$lte": "2026-12-31"}},
            {"content": {"$regex": "电梯"}},
        ]
    }


def test_overdue_means_open_past_the_due_date_in_shanghai_today():
    open_past_due = {"status": {"$in": ["assigned", "accepted", "reopened"]}, "due_date": {"$lt": "2026-11-23"}}
    admin = actor(role="admin", scope="")
    assert case_filter(query(overdue=True), admin, TODAY) == open_past_due
    assert case_filter(query(overdue=False), admin, TODAY) == {"$nor": [open_past_due]}
    assert case_filter(query(due_to="2026-12-31"), admin, TODAY) == {"due_date": {"$lte": "2026-12-31"}}


def test_text_is_matched_literally_never_as_a_pattern():
    assert case_filter(query(text="12345.*(转办"), actor(role="admin", scope=""), TODAY) == {
        "content": {"$regex": r"12345\.\*\(转办"}
    }


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"status": ["bogus"]}, "status.0"),
        ({"channel": "fax"}, "channel"),
        ({"due_from": "2026-12-31", "due_to": "2026-12-01"}, "due_to"),
        ({"due_from": "tomorrow"}, "due_from"),
        ({"text": ""}, "text"),
        ({"text": "长" * 51}, "text"),
        ({"unit": "Not A Unit"}, "unit"),
        ({"division": "33048"}, "division"),
        ({"overdue": "maybe"}, "overdue"),
        ({"limit": 0}, "limit"),
    ],
)
def test_an_invalid_filter_is_refused_naming_it(filters, field):
    with pytest.raises(ServiceError) as refused:
        query(**filters)
    assert refused.value.code is ErrorCode.INVALID and refused.value.field == field


def test_a_case_is_stored_with_its_division_path_and_handling_units():
    assert division_path("330481001004") == ["330481", "330481001", "330481001004"]
    assert indexed_fields(a_case()) == {
        "division_path": ["330481", "330481001", "330481001004"],
        "handling_units": ["hn-transport", "hn-enforcement"],
    }
    assert indexed_fields(a_case(lead_unit=None, co_units=[], status="triaged"))["handling_units"] == []


def test_a_case_is_visible_within_the_scope_and_to_its_units_only():
    case = a_case()
    assert visible(case, actor(scope="330481")) and visible(case, actor(scope="330481001"))
    assert not visible(case, actor(scope="330481002")) and not visible(case, actor(scope="330482"))
    assert visible(case, actor(role="handler", unit="hn-transport")) and visible(
        case, actor(role="handler", unit="hn-enforcement")
    )
    assert not visible(case, actor(role="handler", unit="hn-housing"))
