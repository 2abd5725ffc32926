"""The statistics and 红黑榜 routes on their own: who may read them (each role, inside and outside its
scope), bad input named before any call, and the CSV and XLSX exports opened and read cell by cell."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from contracts.supervision.statistics import RankingRulesIn, RankingView, StatisticsView
from contracts.vocabulary import Role
from services.supervision.rankings.rules import published
from services.supervision.statistics.report import row
from tests.service.test_gateway_routers import Gateway

TRANSPORT = {"assigned": 95, "replied": 95, "met": 95, "completed": 58, "resolved": 58, "on_time": 90}
TRANSPORT |= {"evaluated": 95, "satisfied": 95, "class_A": 58, "class_B": 37}
HOUSING = {"assigned": 3, "replied": 1, "on_time": 1, "overdue": 1, "returned": 1, "class_A": 1, "completed": 1}


def view(query: dict) -> dict:
    rows = [row("hn-transport", "马龙区交通运输局", TRANSPORT), row("=hn-housing", "住建局", HOUSING)]
    total = row("*", "合计 (total)", {k: TRANSPORT.get(k, 0) + HOUSING.get(k, 0) for k in TRANSPORT | HOUSING})
    answer = StatisticsView(
        division=query["division"], first=query["from"], last=query["to"], by=query["by"],
        as_of=date(2026, 11, 24), total=total, rows=rows,
    )  # fmt: skip
    return answer.model_dump(mode="json", by_alias=True)


def rankings(kw: dict) -> dict:
    rules = published(RankingRulesIn(), "default")
    answer = RankingView(
        division=kw["division"], period=kw["period"], first="2026-10", last="2026-12", rules=rules,
        red=[], black=[], ranked=[], too_few_cases=[],
    )  # fmt: skip
    return answer.model_dump(mode="json", by_alias=True)


@pytest.fixture
def gateway():
    gateway = Gateway()
    gateway.broker.answers[("supervision", "statistics")] = lambda kw: view(kw["query"])
    gateway.broker.answers[("supervision", "rankings")] = rankings
    gateway.broker.answers[("supervision", "ranking_rules")] = lambda kw: published(RankingRulesIn(), "default")
    gateway.broker.answers[("supervision", "set_ranking_rules")] = lambda kw: published(
        RankingRulesIn(**kw["rules"]), kw["division"]
    ).model_dump(mode="json")
    return gateway


STATISTICS = "/v1/supervision/statistics?division=330481&from=2026-01&to=2026-12&by=unit"
ROUTES = [
    ("GET", STATISTICS, None),
    ("GET", "/v1/supervision/rankings?division=330481&period=2026-Q4", None),
    ("GET", "/v1/supervision/rankings/rules/330481", None),
    ("PUT", "/v1/supervision/rankings/rules/330481", {"min_cases": 3}),
]


@pytest.mark.parametrize(("method", "url", "body"), ROUTES, ids=lambda v: v if isinstance(v, str) else None)
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_supervisors_and_administrators_inside_their_scope(gateway, method, url, body, role):
    inside = gateway.request(method, url, role, json=body)
    if role in (Role.SUPERVISOR, Role.ADMIN):
        assert inside.status_code == 200, inside.text
        assert len(gateway.broker.calls) == 1
        outside = gateway.request(method, url, role, scope="330482", json=body)
        assert outside.status_code == 403 and outside.json()["field"] == "division"
        assert outside.headers["content-type"] == "application/problem+json"
        assert len(gateway.broker.calls) == 1
    else:
        assert inside.status_code == 403 and inside.json()["field"] == "role" and gateway.broker.calls == []


def test_a_township_supervisor_reads_its_own_township(gateway):
    answer = gateway.request("GET", STATISTICS.replace("330481", "330481001"), Role.SUPERVISOR, scope="330481001")
    assert answer.status_code == 200 and answer.json()["division"] == "330481001"


def test_the_answer_carries_each_rate_with_its_counts(gateway):
    answer = gateway.request("GET", STATISTICS).json()
    (call,) = gateway.broker.calls
    assert call[2]["query"] == {"division": "330481", "from": "2026-01", "to": "2026-12", "by": "unit"}
    first = answer["rows"][0]
    assert first["completion_rate"] == {"numerator": 58, "denominator": 95, "percent": 61.05}
    assert (answer["from"], answer["to"], answer["by"]) == ("2026-01", "2026-12", "unit")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2026-13&to=2026-12", "from"),
        ("from=2026/01&to=2026-12", "from"),
        ("from=2026-01&to=2026-1", "to"),
        ("from=2026-06&to=2026-01", "to"),
        ("from=2001-01&to=2026-01", "to"),
        ("from=2026-01&to=2026-12&by=township", "by"),
        ("from=2026-01&to=2026-12&format=pdf", "format"),
        ("division=33048&from=2026-01", "division"),
    ],
)
def test_bad_statistics_input_is_a_problem_naming_the_field_and_calls_nothing(gateway, query, field):
    url = "/v1/supervision/statistics?" + ("" if "division=" in query else "division=330481&") + query
    answer = gateway.request("GET", url)
    assert answer.status_code == 422 and answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["field"] == field and gateway.broker.calls == []
    assert answer.json()["title"] == "请求参数不合法"


@pytest.mark.parametrize(
    ("method", "url", "body", "field"),
    [
        ("GET", "/v1/supervision/rankings?division=330481&period=2026-Q5", None, "period"),
        ("GET", "/v1/supervision/rankings?division=330481&period=26", None, "period"),
        ("PUT", "/v1/supervision/rankings/rules/330481", {"min_cases": 0}, "min_cases"),
        ("PUT", "/v1/supervision/rankings/rules/330481", {"red_on_time": 50}, "red_on_time"),
        ("PUT", "/v1/supervision/rankings/rules/330481", {"colour": "red"}, "colour"),
    ],
)
def test_bad_ranking_input_is_a_problem_naming_the_field(gateway, method, url, body, field):
    answer = gateway.request(method, url, json=body)
    assert answer.status_code == 422 and field in answer.json()["field"] + answer.json()["detail"]
    assert gateway.broker.calls == []


def test_the_csv_export_opens_as_utf8_with_a_bom_and_chinese_headers(gateway):
    answer = gateway.request("GET", STATISTICS + "&format=csv")
    assert answer.status_code == 200 and answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert 'filename="statistics-330481-2026-01-2026-12-unit.csv"' in answer.headers["content-disposition"]
    assert answer.content.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    header, transport, housing, total = lines
    assert header[:5] == ["代码", "名称", "交办件数", "已答复", "办复率(%)"]
    assert header[-4:] == ["A类件数", "A类占比(%)", "B类件数", "B类占比(%)"]
    cells = dict(zip(header, transport, strict=True))
    assert (cells["名称"], cells["交办件数"], cells["办结"], cells["办结率(%)"]) == (
        "马龙区交通运输局",
        "95",
        "58",
        "61.05",
    )
    assert (cells["面商率(%)"], cells["满意率(%)"], cells["B类占比(%)"]) == ("100.0", "100.0", "38.95")
    housing_cells = dict(zip(header, housing, strict=True))
    assert housing_cells["代码"] == "'=hn-housing"  # kept as text, never a formula
    assert (housing_cells["满意率(%)"], housing_cells["现超期"], housing_cells["退回次数"]) == ("", "1", "1")
    assert (total[0], total[2], total[header.index("A类件数")]) == ("*", "98", "59")


def test_the_xlsx_export_is_read_cell_by_cell(gateway):
    answer = gateway.request("GET", STATISTICS + "&format=xlsx")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet.title == "统计" and sheet.max_row == 4
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["代码", "名称", "交办件数", "已答复"]
    column = {title: index + 1 for index, title in enumerate(header)}
    assert sheet.cell(2, column["名称"]).value == "马龙区交通运输局"
    assert sheet.cell(2, column["交办件数"]).value == 95
    assert sheet.cell(2, column["办结率(%)"]).value == 61.05
    assert sheet.cell(2, column["A类件数"]).value == 58 and sheet.cell(2, column["B类件数"]).value == 37
    assert sheet.cell(3, column["满意率(%)"]).value is None and sheet.cell(3, column["现超期"]).value == 1
    assert sheet.cell(4, column["代码"]).value == "*" and sheet.cell(4, column["已答复"]).value == 96


def test_rankings_default_to_this_quarter_and_publish_their_rules(gateway):
    answer = gateway.request("GET", "/v1/supervision/rankings?division=330481")
    assert answer.status_code == 200
    (call,) = gateway.broker.calls
    assert call[2]["period"].count("-Q") == 1
    assert "红榜" in answer.json()["rules"]["text"] and answer.json()["rules"]["min_cases"] == 5
