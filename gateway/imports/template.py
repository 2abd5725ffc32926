"""The template to download: the header row and a sample row, and a second sheet explaining each column."""

import io
from functools import cache

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from gateway.imports.columns import COLUMNS
from gateway.imports.files import MAX_FILE_BYTES, MAX_ROWS

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ITEMS_SHEET = "民情导入"
GUIDE_SHEET = "填写说明"
TEXT_COLUMNS = {"external_id", "division", "contact_phone", "grid_id"}  # so Excel keeps leading zeros
NOTES = (
    f"每个文件最多 {MAX_ROWS} 行、{MAX_FILE_BYTES // (1024 * 1024)} MB；"
    "第一行为表头（列名须为英文列名），从第二行起每行一件事项。",
    "“民情导入”工作表的第二行是示例，导入前请删除或改为真实事项。",
    "可上传 XLSX（第一个工作表）、CSV（UTF-8 或 GB18030 编码）或 JSON（由行对象组成的数组）。",
    "报告按行号逐行说明：已受理（附查询编号和案件编号）、此前已导入（附已有的编号）或未导入（附列名和原因）。",
    "有误的行不会登记，改正后可将整个文件再次导入：已导入的行不会重复登记。",
    "联系人姓名和电话加密保存，只有回访群众的工作人员可见，公开查询中不显示。",
)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


@cache
def template_xlsx() -> bytes:
    workbook = Workbook()
    items = workbook.active
    items.title = ITEMS_SHEET
    items.append([column.name for column in COLUMNS])
    items.append([column.example for column in COLUMNS])
    for index, column in enumerate(COLUMNS, 1):
        letter = get_column_letter(index)
        items.column_dimensions[letter].width = 40 if column.name == "content" else 20
        items.cell(1, index).font = Font(bold=True)
        items.cell(1, index).fill = HEADER_FILL
        if column.name in TEXT_COLUMNS:
            items.cell(2, index).number_format = "@"
    items.freeze_panes = "A2"

    guide = workbook.create_sheet(GUIDE_SHEET)
    guide.append(["列名", "名称", "是否必填", "说明", "示例"])
    for column in COLUMNS:
        guide.append([column.name, column.title, "必填" if column.required else "选填", column.meaning, column.example])
    guide.append([])
    for note in NOTES:
        guide.append([note])
    for letter, width in zip("ABCDE", (16, 14, 10, 70, 36), strict=True):
        guide.column_dimensions[letter].width = width
    for cell in guide[1]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
    for row in guide.iter_rows(min_row=2, max_row=len(COLUMNS) + 1, min_col=4, max_col=4):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
