"""Bulk import over HTTP against the running platform: a county system's CSV with good and bad rows,
imported twice; an XLSX and a JSON file; whole files refused; the template; who may import."""

import csv
import io
import json
import uuid

import pytest
from openpyxl import Workbook, load_workbook

PROBLEM = "application/problem+json"
HEADER = ["external_id", "division", "content", "category", "submitted_at", "contact_name", "contact_phone", "grid_id"]


@pytest.fixture(scope="module")
def county_system(platform) -> str:
    with platform.admin() as admin:
        answer = admin.post(
            "/v1/admin/api-keys", json={"role": "county_system", "scope": "330481", "label": "海宁市 12345 平台"}
        )
        assert answer.status_code == 201, answer.text
        return answer.json()["key"]


@pytest.fixture
def prefix() -> str:
    """External ids of this run, so a rerun against a kept store starts afresh."""
    return f"HN{uuid.uuid4().hex[:8]}"


def rows(prefix: str) -> list[list[str]]:
    return [
        [f"{prefix}-1", "330481001", "文苑路公交站台的顶棚坏了，下雨天没法等车", "道路交通", "2026-11-20 09:30",
         "陈小明", "138 1234 5678", "wenyuan-01"],
        [f"{prefix}-2", "330481001", "灯", "", "", "", "12345", ""],
        [f"{prefix}-3", "330481002", "海洲街道的河道有污水直排，气味很大", "天气", "", "", "", ""],
        [f"{prefix}-4", "330481001", "小区门口的路灯不亮", "", "", "", "", "no-such-grid"],
        [f"{prefix}-5", "330481102", "长安镇老街的路面坑洼，雨天积水", "", "", "王芳", "0573-87654321", ""],
    ]  # fmt: skip


def as_csv(table) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([HEADER, *table])
    return out.getvalue().encode("utf-8-sig")


def send(client, data: bytes, name: str):
    return client.post("/v1/imports/opinions", files={"file": (name, data, "application/octet-stream")})


def test_a_csv_with_good_and_bad_rows_imported_twice(platform, county_system, prefix):
    data = as_csv(rows(prefix))
    with platform.client(county_system) as system:
        first = send(system, data, "items.csv")
        assert first.status_code == 200, first.text
        report = first.json()
        again = send(system, data, "items.csv").json()

    assert [(r["row"], r["status"]) for r in report["rows"]] == [
        (2, "accepted"),
        (3, "rejected"),
        (4, "rejected"),
        (5, "rejected"),
        (6, "accepted"),
    ]
    reasons = {r["row"]: {e["field"]: e["reason"] for e in r["errors"]} for r in report["rows"]}
    assert set(reasons[3]) == {"content", "contact_phone"}  # refused at the gateway
    assert "类别" in reasons[4]["category"] and "网格" in reasons[5]["grid_id"]  # refused by intake
    accepted = [r for r in report["rows"] if r["status"] == "accepted"]
    assert all(r["case_number"].startswith("330481-2026-") for r in accepted)

    assert [r["status"] for r in again["rows"]] == [
        "already_imported",
        "rejected",
        "rejected",
        "rejected",
        "already_imported",
    ]
    assert [r["tracking_code"] for r in again["rows"]] == [r["tracking_code"] for r in report["rows"]]
    assert (again["accepted"], again["already_imported"], again["rejected"]) == (0, 2, 3)

    with platform.client() as citizen:
        for line in accepted:
            view = citizen.get(f"/v1/public/opinions/{line['tracking_code']}")  # stored before the report
            assert view.status_code == 200 and view.json()["channel"] == "county_system"
            assert "陈小明" not in view.text and "13812345678" not in view.text
    with platform.admin() as admin:
        staff = admin.get(f"/v1/opinions/{accepted[0]['tracking_code']}").json()
    assert staff["submitted_at"].startswith("2026-11-20T01:30:00")  # 09:30 Beijing time
    assert staff["contact"]["phone"] in ("13812345678", "138****5678")


def test_xlsx_and_json_files_import_the_same_way(platform, county_system, prefix):
    workbook = Workbook()
    for row in [HEADER, *rows(prefix)[:2]]:
        workbook.active.append(row)
    xlsx = io.BytesIO()
    workbook.save(xlsx)
    as_json = json.dumps([dict(zip(HEADER, row, strict=True)) for row in rows(prefix)[:2]], ensure_ascii=False)
    with platform.client(county_system) as system:
        from_xlsx = send(system, xlsx.getvalue(), "items.xlsx").json()
        from_json = send(system, as_json.encode(), "items.json").json()
    assert [r["status"] for r in from_xlsx["rows"]] == ["accepted", "rejected"] and from_xlsx["format"] == "xlsx"
    assert [r["status"] for r in from_json["rows"]] == ["already_imported", "rejected"]
    assert from_json["rows"][0]["tracking_code"] == from_xlsx["rows"][0]["tracking_code"]


def test_a_malformed_or_oversized_file_is_a_problem_and_imports_nothing(platform, county_system, prefix):
    too_many = [[f"{prefix}-{i}", "330481001", "路灯不亮", "", "", "", "", ""] for i in range(10_001)]
    with platform.client(county_system) as system:
        malformed = send(system, b'[{"external_id": "x", ', "items.json")
        unsupported = send(system, b"%PDF-1.7\n\x00\x01", "items.pdf")
        oversized = send(system, as_csv(too_many), "items.csv")
        again = send(system, as_csv(too_many[:1]), "items.csv").json()
    for answer, status in ((malformed, 422), (unsupported, 415), (oversized, 413)):
        assert answer.status_code == status and answer.headers["content-type"] == PROBLEM
        assert answer.json()["field"] == "file"
    assert again["rows"][0]["status"] == "accepted"  # the oversized file's first row was not imported


def test_the_template_and_who_may_import(platform, county_system):
    with platform.client(county_system) as system:
        template = system.get("/v1/imports/opinions/template.xlsx")
    assert template.status_code == 200
    assert load_workbook(io.BytesIO(template.content)).sheetnames == ["民情导入", "填写说明"]
    with platform.admin() as admin:
        station = admin.post("/v1/admin/api-keys", json={"role": "station", "scope": "330481", "label": "联络站"})
    with platform.client(station.json()["key"]) as station_client:
        refused = send(station_client, as_csv(rows("X")[:1]), "items.csv")
    assert refused.status_code == 403 and refused.json()["field"] == "role"
