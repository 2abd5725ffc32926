"""Exports (CSV with BOM, XLSX, JSON) and the PDF summary, rendered to an image to see it is not blank."""

import csv
import io
import json
import subprocess

from openpyxl import load_workbook
from PIL import Image

from services.legislation.aggregates import handlers as aggregates
from services.legislation.comments import handlers
from services.legislation.reports import exports, summary
from tests.factories import NOW
from tests.legislation_comments import CIPHER, DRAFT_ID, office, offline, public, staff, world


def comments(mongo_db):
    store, _ = world(mongo_db)
    handlers.receive_public(store, DRAFT_ID, public(contact=CIPHER.seal("龙美华", "13907721234")), NOW)
    handlers.record_offline(store, DRAFT_ID, offline(), staff(), NOW)
    return store


def test_the_exports_carry_both_texts_in_chinese_columns_and_never_a_contact(mongo_db):
    store = comments(mongo_db)
    every = list(store.comments.of_draft(DRAFT_ID))

    raw = exports.to_csv(every)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [row["渠道"] for row in rows] == ["网上", "鼓楼议事"]
    assert rows[1]["原话"].startswith("Nyaoh") and rows[1]["译文"].startswith("希望保留鼓楼")
    assert rows[0]["条文"] == "第3条" and rows[1]["参与人数"] == "23"

    sheet = load_workbook(io.BytesIO(exports.to_xlsx(every))).active
    table = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert table[0][0] == "意见编号" and table[2][6].startswith("Nyaoh") and len(table) == 3

    as_json = json.loads(exports.to_json(every))
    assert [item["has_contact"] for item in as_json] == [True, False]
    for content in (raw, exports.to_json(every)):
        assert "13907721234" not in content.decode("utf-8-sig") and "龙美华" not in content.decode("utf-8-sig")


def test_the_summary_pdf_shows_chinese_text_on_a_page_that_is_not_blank(mongo_db, tmp_path):
    store = comments(mongo_db)
    pdf = summary.render(aggregates.pull(store, DRAFT_ID, None, office()), NOW)
    assert pdf.startswith(b"%PDF")
    (tmp_path / "summary.pdf").write_bytes(pdf)

    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", "summary.pdf", "page"], cwd=tmp_path, check=True
    )
    page = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    dark = sum(page.histogram()[:128])  # pixels darker than mid-grey
    assert dark > 2000  # the title, totals and articles in Chinese glyphs, not an empty page
    fonts = subprocess.run(["pdffonts", "summary.pdf"], cwd=tmp_path, check=True, capture_output=True, text=True)
    assert "WenQuanYi" in fonts.stdout or "Noto" in fonts.stdout  # the CJK font is embedded
