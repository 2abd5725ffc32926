"""The import routes with a fake broker: a file of good and bad rows imported twice in each format, whole
files refused (malformed, unsupported, over the limit), batches to intake, roles and division scopes."""

import csv
import io
import json
from types import SimpleNamespace

import pytest
from openpyxl import Workbook, load_workbook

from contracts.errors import ErrorCode, ServiceError
from contracts.intake.opinions import SealedContact
from contracts.vocabulary import Role
from gateway import deps
from gateway.imports.template import XLSX_MEDIA_TYPE
from gateway.routers.imports import next_batch_size
from infra.pii import PiiCipher
from infra.settings import DEV_PII_KEY, Settings
from tests.service.test_gateway_routers import Gateway

URL = "/v1/imports/opinions"
TEMPLATE = "/v1/imports/opinions/template.xlsx"
HEADER = ["external_id", "division", "content", "category", "submitted_at", "contact_name", "contact_phone"]
ROWS = [
    ["HN-1", "330481001", "文苑路公交站台的顶棚坏了", "道路交通", "2026-11-20 09:30", "陈小明", "13812345678"],
    ["HN-2", "330481001", "坏", "", "", "", ""],  # content too short
    ["HN-3", "330481001", "海洲街道的河道有污水直排", "天气", "", "", ""],  # intake refuses the category
    ["HN-4", "330481", "小区门口路灯不亮", "", "", "王芳", "0573-87654321"],
    ["HN-5", "330481001", "学校门口没有红绿灯", "", "", "", "12345"],  # phone
]


class FakeIntake:
    """intake's import RPC from memory: an external id seen before answers the stored item's codes."""

    def __init__(self):
        self.stored: dict[tuple, dict] = {}
        self.batches: list[list[dict]] = []

    def __call__(self, kw):
        self.batches.append(kw["commands"])
        return [self.outcome(command) for command in kw["commands"]]

    def outcome(self, command):
        if command["category"] == "天气":
            return {"error": {"field": "category", "reason": "类别“天气”不在本地区的类别清单中 (unknown category)"}}
        key = (command["division"], command["details"]["system"], command["details"]["external_id"])
        if key in self.stored:
            return {**self.stored[key], "duplicate": True}
        self.stored[key] = {
            "tracking_code": command["tracking_code"],
            "case_number": f"330481-2026-{len(self.stored):06d}",
        }
        return {**self.stored[key], "duplicate": False}


@pytest.fixture
def fake_intake():
    return FakeIntake()


@pytest.fixture
def gateway(fake_intake):
    gateway = Gateway()
    platform = SimpleNamespace(cipher=PiiCipher(DEV_PII_KEY), settings=Settings())
    gateway.app.dependency_overrides[deps.platform_of] = lambda: platform
    gateway.broker.answers[("intake", "import_opinions")] = fake_intake
    return gateway


def as_csv(rows, header=HEADER, encoding="utf-8-sig") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return out.getvalue().encode(encoding)


def as_xlsx(rows, header=HEADER) -> bytes:
    workbook = Workbook()
    for row in [header, *rows]:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def as_json(rows, header=HEADER) -> bytes:
    return json.dumps([dict(zip(header, row, strict=True)) for row in rows], ensure_ascii=False).encode()


FORMATS = {"csv": as_csv, "xlsx": as_xlsx, "json": as_json}


def upload(gateway, data: bytes, name: str = "items.csv", role=Role.COUNTY_SYSTEM, scope="330481", query=""):
    return gateway.request(
        "POST", URL + query, role, scope=scope, files={"file": (name, data, "application/octet-stream")}
    )


def problem(answer, status: int, field: str) -> dict:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["field"] == field
    return answer.json()


@pytest.mark.parametrize("file_format", FORMATS)
def test_good_rows_are_accepted_bad_ones_reported_and_a_second_import_creates_nothing(
    gateway, fake_intake, file_format
):
    data = FORMATS[file_format](ROWS)
    first = upload(gateway, data, f"items.{file_format}")
    assert first.status_code == 200, first.text
    report = first.json()
    numbers = [1, 2, 3, 4, 5] if file_format == "json" else [2, 3, 4, 5, 6]
    assert report["format"] == file_format and [r["row"] for r in report["rows"]] == numbers
    assert [r["status"] for r in report["rows"]] == ["accepted", "rejected", "rejected", "accepted", "rejected"]
    assert (report["total"], report["accepted"], report["already_imported"], report["rejected"]) == (5, 2, 0, 3)
    assert [[e["field"] for e in r["errors"]] for r in report["rows"]] == [
        [],
        ["content"],
        ["category"],
        [],
        ["contact_phone"],
    ]
    assert report["rows"][1]["errors"][0]["reason"] == "至少 2 个字 (too short)"
    assert all(r["tracking_code"] and r["case_number"] for r in report["rows"] if r["status"] == "accepted")

    commands = fake_intake.batches[0]  # only the rows the gateway found valid reach intake
    assert [c["details"]["external_id"] for c in commands] == ["HN-1", "HN-3", "HN-4"]
    assert {c["channel"] for c in commands} == {"county_system"}
    assert {c["details"]["system"] for c in commands} == {"测试密钥"}  # the key's label
    assert commands[0]["submitted_at"].startswith("2026-11-20T01:30:00")  # Beijing time, stored in UTC
    assert "13812345678" not in json.dumps(commands) and "陈小明" not in json.dumps(commands)
    assert PiiCipher(DEV_PII_KEY).open(SealedContact(**commands[2]["contact"])) == {
        "name": "王芳",
        "phone": "057387654321",
    }

    again = upload(gateway, data, f"items.{file_format}").json()
    assert [r["status"] for r in again["rows"]] == [
        "already_imported",
        "rejected",
        "rejected",
        "already_imported",
        "rejected",
    ]
    assert [r["tracking_code"] for r in again["rows"]] == [r["tracking_code"] for r in report["rows"]]
    assert [r["case_number"] for r in again["rows"]] == [r["case_number"] for r in report["rows"]]
    assert (again["accepted"], again["already_imported"]) == (0, 2) and len(fake_intake.stored) == 2


def test_a_large_file_goes_to_intake_in_batches_not_row_by_row(gateway, fake_intake):
    rows = [[f"HN-{i}", "330481001", f"第 {i} 件：路灯不亮", "", "", "", ""] for i in range(1200)]
    report = upload(gateway, as_csv(rows)).json()
    assert report["accepted"] == 1200
    sizes = [len(batch) for batch in fake_intake.batches]
    assert sum(sizes) == 1200 and 1 < len(sizes) <= 12 and max(sizes) <= 500


def test_batches_are_sized_to_the_pace_of_the_last_one():
    assert next_batch_size(100, 0.1, 2.5) == 500  # fast: the most a message carries
    assert next_batch_size(100, 2.0, 2.5) == 125
    assert next_batch_size(100, 60.0, 2.5) == 10  # slow: never row by row


def test_over_the_row_limit_is_refused_whole_before_any_rpc(gateway):
    rows = [[f"HN-{i}", "330481001", "路灯不亮", "", "", "", ""] for i in range(10_001)]
    body = problem(upload(gateway, as_csv(rows)), 413, "file")
    assert "10000" in body["detail"] and gateway.broker.calls == []


@pytest.mark.parametrize(
    ("data", "name", "status"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "items.pdf", 415),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "items.xls", 415),
        (b"PK\x03\x04garbage", "items.xlsx", 422),
        (b'[{"external_id": "HN-1", ', "items.json", 422),
        (b"", "items.csv", 422),
    ],
    ids=["pdf", "xls", "broken-xlsx", "broken-json", "empty"],
)
def test_a_file_that_cannot_be_read_is_a_problem_naming_the_file(gateway, data, name, status):
    body = problem(upload(gateway, data, name), status, "file")
    assert "\u4e00" <= body["title"][0] <= "\u9fff"  # Chinese first
    assert gateway.broker.calls == []


def test_a_header_with_unknown_and_missing_columns_lists_them(gateway):
    data = as_csv([["HN-1", "330481001", "路灯不亮"]], header=["external_id", "division", "内容"])
    body = problem(upload(gateway, data), 422, "file")
    assert {(e["field"], e["message"]) for e in body["errors"]} == {
        ("内容", "未知的列 (unknown column)"),
        ("content", "缺少必填的列 (required column missing)"),
    }
    assert gateway.broker.calls == []


def test_without_a_file_the_field_is_named(gateway):
    answer = gateway.request("POST", URL, Role.COUNTY_SYSTEM, json=[{"external_id": "HN-1"}])
    problem(answer, 422, "file")
    assert gateway.broker.calls == []


def test_rows_outside_the_scope_or_in_a_division_not_served_are_rejected_without_an_rpc(gateway):
    rows = [["HN-1", "330482001", "平湖的事", "", "", "", ""], ["HN-2", "330481999", "未登记的街道", "", "", "", ""]]
    report = upload(gateway, as_csv(rows)).json()
    assert [(r["status"], r["errors"][0]["field"]) for r in report["rows"]] == [
        ("rejected", "division"),
        ("rejected", "division"),
    ]
    assert "管辖范围" in report["rows"][0]["errors"][0]["reason"]
    assert "不由本平台服务" in report["rows"][1]["errors"][0]["reason"]
    assert gateway.broker.calls == []


def test_a_division_narrower_than_the_key_bounds_the_rows(gateway, fake_intake):
    rows = [ROWS[0], ROWS[3]]
    report = upload(gateway, as_csv(rows), query="?division=330481001").json()
    assert [r["status"] for r in report["rows"]] == ["accepted", "rejected"]
    assert report["rows"][1]["errors"][0]["field"] == "division"


def test_intake_unavailable_midway_is_503_saying_a_second_import_is_harmless(gateway):
    gateway.broker.refusal = ServiceError(ErrorCode.UNAVAILABLE, "存储暂不可用")
    body = problem(upload(gateway, as_csv(ROWS[:1])), 503, "file")
    assert "再次导入不会重复登记" in body["detail"]


@pytest.mark.parametrize(("method", "url"), [("POST", URL), ("GET", TEMPLATE)])
def test_only_county_systems_and_admins_import_and_get_the_template(gateway, method, url):
    for role in Role:
        kwargs = {"files": {"file": ("items.csv", as_csv(ROWS[:1]), "text/csv")}} if method == "POST" else {}
        answer = gateway.request(method, url, role, **kwargs)
        if role in (Role.COUNTY_SYSTEM, Role.ADMIN):
            assert answer.status_code == 200, (role, answer.text)
        else:
            problem(answer, 403, "role")
    rpcs = [call for call in gateway.broker.calls if call[1] == "import_opinions"]
    assert len(rpcs) == (2 if method == "POST" else 0)  # the county system's and the admin's, nobody else's


@pytest.mark.parametrize("role", [Role.COUNTY_SYSTEM, Role.ADMIN])
def test_a_division_outside_the_keys_scope_is_refused_before_any_rpc(gateway, role):
    answer = upload(gateway, as_csv(ROWS[:1]), role=role, scope="330482", query="?division=330481")
    problem(answer, 403, "division")
    assert gateway.broker.calls == []
    inside = upload(gateway, as_csv(ROWS[:1]), role=role, scope="330481", query="?division=330481")
    assert inside.json()["accepted"] == 1


def test_the_template_downloads_as_xlsx_with_its_two_sheets(gateway):
    answer = gateway.request("GET", TEMPLATE, Role.COUNTY_SYSTEM)
    assert answer.headers["content-type"] == XLSX_MEDIA_TYPE
    assert "opinions-import-template.xlsx" in answer.headers["content-disposition"]
    workbook = load_workbook(io.BytesIO(answer.content), read_only=True)
    assert workbook.sheetnames == ["民情导入", "填写说明"]
    assert upload(gateway, answer.content, "template.xlsx").json()["accepted"] == 1  # its sample row imports


def test_the_format_is_documented_in_openapi(gateway):
    operation = gateway.app.openapi()["paths"][URL]["post"]
    assert "| `contact_phone` | 联系电话 |" in operation["description"]
    assert {"413", "415", "422", "403"} <= set(operation["responses"])
    assert "multipart/form-data" in operation["requestBody"]["content"]
