"""Bulk import's plain rules: reading CSV, XLSX and JSON files, checking each row with reasons in
Chinese, the template, and intake's batch answering each command on its own."""

import io
import json
from datetime import UTC, datetime

import pytest
from openpyxl import Workbook, load_workbook

from contracts.errors import ErrorCode, ServiceError
from contracts.intake.imports import ImportOutcome, RowStatus
from contracts.intake.opinions import CountySystemDetails, OpinionReceipt
from gateway.imports.columns import COLUMN_NAMES, RawRow, check_row, check_rows
from gateway.imports.files import ImportFileError, read_import_file
from gateway.imports.template import GUIDE_SHEET, ITEMS_SHEET, template_xlsx
from gateway.routers.imports import line_of, rejected, report_of
from infra.clock import SHANGHAI
from services.intake.imports.batch import import_batch
from tests.factories import actor, submit_opinion

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
HEADER = ["external_id", "division", "content", "category", "submitted_at", "contact_name", "contact_phone"]
GOOD = ["HN-1", "330481001", "文苑路公交站台的顶棚坏了", "道路交通", "2026-11-20 09:30", "陈小明", "138 1234 5678"]
BAD = ["HN-2", "3304", "坏", "", "明天", "", "12345"]


def csv_bytes(rows, encoding="utf-8", bom=False) -> bytes:
    text = "\n".join(",".join(row) for row in rows) + "\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def json_bytes(rows) -> bytes:
    return json.dumps([dict(zip(HEADER, row, strict=True)) for row in rows], ensure_ascii=False).encode()


def checked(data: bytes, filename: str = "", scope: str = "330481"):
    upload = read_import_file(data, filename)
    return upload, check_rows(upload.rows, scope, NOW)


@pytest.mark.parametrize(
    ("data", "expected_format"),
    [
        (csv_bytes([HEADER, GOOD, BAD]), "csv"),
        (csv_bytes([HEADER, GOOD, BAD], bom=True), "csv"),
        (csv_bytes([HEADER, GOOD, BAD], encoding="gb18030"), "csv"),
        (xlsx_bytes([HEADER, GOOD, BAD]), "xlsx"),
        (json_bytes([GOOD, BAD]), "json"),
    ],
    ids=["csv-utf8", "csv-bom", "csv-gb18030", "xlsx", "json"],
)
def test_each_format_reads_the_same_rows_judged_by_content(data, expected_format):
    upload, (good, bad) = checked(data, filename="upload.bin")
    assert upload.format == expected_format
    assert good.errors == [] and good.row.external_id == "HN-1" and good.row.content == "文苑路公交站台的顶棚坏了"
    assert good.row.contact_phone == "13812345678" and good.row.contact_name == "陈小明"
    assert good.row.submitted_at == datetime(2026, 11, 20, 9, 30, tzinfo=SHANGHAI)  # no offset: Beijing time
    assert {e.field for e in bad.errors} == {"division", "content", "submitted_at", "contact_phone"}
    assert bad.row is None and bad.external_id == "HN-2"
    numbers = (1, 2) if expected_format == "json" else (2, 3)  # a spreadsheet's header is row 1
    assert (good.number, bad.number) == numbers


def test_reasons_are_in_chinese_and_name_the_column():
    result = check_row(RawRow(5, dict(zip(HEADER, BAD, strict=True))), "330481", NOW)
    reasons = {e.field: e.reason for e in result.errors}
    assert reasons["division"].startswith("行政区划代码应为")
    assert reasons["content"] == "至少 2 个字 (too short)"
    assert reasons["submitted_at"].startswith("时间格式不正确")
    assert reasons["contact_phone"].startswith("手机号或固定电话格式不正确")
    missing = check_row(RawRow(6, {"division": "330481001", "content": "路灯不亮"}), "330481", NOW)
    assert [(e.field, e.reason) for e in missing.errors] == [("external_id", "必填，不能为空 (required)")]


def test_rows_outside_the_scope_or_in_the_future_are_refused():
    row = dict(zip(HEADER, GOOD, strict=True))
    outside = check_row(RawRow(2, {**row, "division": "330482001"}), "330481", NOW)
    assert [e.field for e in outside.errors] == ["division"] and "管辖范围" in outside.errors[0].reason
    future = check_row(RawRow(2, {**row, "submitted_at": "2026-11-24T12:00:00+08:00"}), "330481", NOW)
    assert [e.field for e in future.errors] == ["submitted_at"] and "晚于" in future.errors[0].reason
    offset = check_row(RawRow(2, {**row, "submitted_at": "2026-11-20T01:30:00Z"}), "330481", NOW)
    assert offset.row.submitted_at == datetime(2026, 11, 20, 1, 30, tzinfo=UTC)


def test_excel_numbers_and_dates_become_text_and_times():
    row = {"external_id": 871, "division": 330481001, "content": "河道有污水", "contact_phone": 13812345678.0}
    row["submitted_at"] = datetime(2026, 11, 20, 9, 30)
    result = check_row(RawRow(2, row), "330481", NOW)
    assert result.row.external_id == "871" and result.row.division == "330481001"
    assert result.row.contact_phone == "13812345678"
    assert result.row.submitted_at == datetime(2026, 11, 20, 9, 30, tzinfo=SHANGHAI)


def test_the_same_external_id_twice_in_one_file_is_refused_the_second_time():
    data = csv_bytes([HEADER, GOOD, GOOD, ["HN-1", "330481002", "同一编号、另一街道", "", "", "", ""]])
    _, (first, second, other_division) = checked(data)
    assert first.errors == [] and other_division.errors == []
    assert [(e.field, e.reason) for e in second.errors] == [
        ("external_id", "与第 2 行的编号重复 (the same external_id as row 2)")
    ]


def test_blank_rows_are_skipped_but_keep_the_numbering():
    upload, rows = checked(csv_bytes([HEADER, GOOD, ["", "", "", "", "", "", ""], ["HN-3", "330481001", "路灯不亮"]]))
    assert [r.number for r in rows] == [2, 4]


def test_a_tab_separated_file_and_a_cell_right_of_the_header():
    data = ("\t".join(HEADER) + "\n" + "\t".join(GOOD) + "\textra\n").encode()
    _, (row,) = checked(data)
    assert [(e.field, e.reason[:5]) for e in row.errors] == [("column_8", "未知的列，")]


def refusal(data: bytes, filename: str = "", max_rows: int = 10_000) -> ImportFileError:
    with pytest.raises(ImportFileError) as raised:
        read_import_file(data, filename, max_rows)
    return raised.value


@pytest.mark.parametrize(
    ("data", "filename", "status", "words"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.png", 415, "CSV、XLSX 或 JSON"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.xls", 415, ".xls"),
        (b"PK\x03\x04 not really a zip", "broken.xlsx", 422, "XLSX"),
        (b"external_id,division", "items.xlsx", 422, "XLSX"),
        (b'[{"external_id": "HN-1",', "items.json", 422, "JSON 格式错误"),
        (b'{"external_id": "HN-1"}', "items.json", 422, "数组"),
        (b"[]", "items.json", 422, "空"),
        (b"  \n", "items.csv", 422, "空"),
        (b"external_id,division,content\n", "items.csv", 422, "没有数据行"),
        (b"\xff\xfe\xfd\xfc\x81\x30", "items.csv", 422, "编码"),
    ],
    ids=["png", "xls", "broken-zip", "text-named-xlsx", "bad-json", "json-object", "empty-json", "blank", "header-only",
         "undecodable"],
)  # fmt: skip
def test_a_file_that_cannot_be_read_is_refused_whole(data, filename, status, words):
    error = refusal(data, filename)
    assert error.status == status and words in error.detail


def test_a_header_with_unknown_or_missing_columns_lists_them():
    error = refusal(csv_bytes([["external_id", "内容", "division", "division"], ["HN-1", "x", "330481001", "1"]]))
    assert error.status == 422
    assert {(e["field"], e["message"][:4]) for e in error.errors} == {
        ("内容", "未知的列"),
        ("content", "缺少必填"),
        ("division", "列名重复"),
    }


@pytest.mark.parametrize("make", [csv_bytes, xlsx_bytes], ids=["csv", "xlsx"])
def test_over_the_row_limit_is_refused_whole(make):
    rows = [HEADER] + [[f"HN-{i}", *GOOD[1:]] for i in range(11)]
    assert refusal(make(rows), max_rows=10).status == 413
    assert len(read_import_file(make(rows[:11]), "", max_rows=10).rows) == 10


def test_json_rows_that_are_not_objects_are_reported_as_rows():
    _, (row,) = checked(b'["HN-1"]')
    assert [(e.field, e.reason) for e in row.errors] == [("row", "每一行应为一个对象 (each row must be an object)")]


def test_the_template_has_the_header_a_sample_row_and_a_sheet_explaining_each_column():
    workbook = load_workbook(io.BytesIO(template_xlsx()))
    assert workbook.sheetnames == [ITEMS_SHEET, GUIDE_SHEET]
    items = list(workbook[ITEMS_SHEET].iter_rows(values_only=True))
    assert items[0] == COLUMN_NAMES and len(items) == 2
    guide = {row[0]: row for row in workbook[GUIDE_SHEET].iter_rows(min_row=2, values_only=True) if row[0]}
    assert set(COLUMN_NAMES) <= set(guide)
    assert (
        guide["external_id"][2] == "必填" and guide["grid_id"][2] == "选填" and "北京时间" in guide["submitted_at"][3]
    )
    _, (sample,) = checked(template_xlsx())  # the sample row itself is a valid row
    assert sample.errors == []


def receipt(command, duplicate=False) -> OpinionReceipt:
    return OpinionReceipt(
        tracking_code="OLD0-0000-0001" if duplicate else command.tracking_code,
        case_number="330481-2026-000001",
        status="received",
        status_url="/v1/public/opinions/x",
        duplicate=duplicate,
    )


def county_command(external_id: str, **overrides) -> dict:
    details = CountySystemDetails(system="海宁市 12345 平台", external_id=external_id)
    fields = {"tracking_code": f"CODE-{external_id}", "channel": "county_system", "details": details, **overrides}
    return submit_opinion(**fields).model_dump(mode="json")


def test_a_batch_answers_each_command_in_order_and_a_refusal_stays_with_its_row():
    def receive(command):
        external_id = command.details.external_id
        if external_id == "bad-category":
            raise ServiceError(ErrorCode.INVALID, "类别“天气”不在本地区的类别清单中 (unknown category)", "category")
        return receipt(command, duplicate=external_id == "seen")

    commands = [county_command("new"), county_command("bad-category"), county_command("seen")]
    commands.append({**county_command("web"), "channel": "web", "details": {"channel": "web"}})
    outcomes = import_batch(commands, actor(role="county_system"), receive)
    assert outcomes[0] == ImportOutcome(tracking_code="CODE-new", case_number="330481-2026-000001")
    assert outcomes[1].error.field == "category" and "类别清单" in outcomes[1].error.reason
    assert outcomes[2].duplicate is True and outcomes[2].tracking_code == "OLD0-0000-0001"
    assert outcomes[3].error.field == "channel"


def test_a_batch_is_for_county_systems_and_admins_and_a_store_failure_fails_it():
    with pytest.raises(ServiceError) as raised:
        import_batch([county_command("new")], actor(role="station"), lambda c: receipt(c))
    assert raised.value.code is ErrorCode.FORBIDDEN and raised.value.field == "role"

    def unavailable(command):
        raise ServiceError(ErrorCode.UNAVAILABLE, "存储暂不可用")

    with pytest.raises(ServiceError):
        import_batch([county_command("new")], actor(role="admin"), unavailable)


def test_the_report_lists_every_row_in_order_with_the_columns_named():
    _, rows = checked(csv_bytes([HEADER, GOOD, BAD, [*GOOD[:1], "330481002", *GOOD[2:]]]))
    lines = {rows[1].number: rejected(rows[1].number, rows[1].external_id, rows[1].errors)}
    lines[rows[2].number] = line_of(rows[2], ImportOutcome(tracking_code="A", case_number="N", duplicate=True))
    error = {"field": "details.external_id", "reason": "已存在"}
    lines[rows[0].number] = line_of(rows[0], ImportOutcome.model_validate({"error": error}))
    report = report_of("csv", lines)
    assert [line.row for line in report.rows] == [2, 3, 4]
    assert (report.total, report.accepted, report.already_imported, report.rejected) == (3, 0, 1, 2)
    assert report.rows[0].errors[0].field == "external_id"  # intake's field, named as the file's column
    assert report.rows[2].status is RowStatus.ALREADY_IMPORTED and report.rows[2].tracking_code == "A"


def test_over_the_size_limit_is_refused_whole(monkeypatch):
    monkeypatch.setattr("gateway.imports.files.MAX_FILE_BYTES", 1024 * 1024)
    data = csv_bytes([HEADER, *([GOOD] * 20_000)])
    error = refusal(data)
    assert error.status == 413 and "1 MB" in error.detail
