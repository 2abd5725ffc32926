"""Statistics as a table for Excel and WPS: CSV in UTF-8 with a BOM (so both detect the encoding)
and XLSX, with Chinese headers, one line per row and the total last. Rates are percents, blank when
there is nothing to divide by."""

import csv
import io

from openpyxl import Workbook

from contracts.supervision.statistics import Rate, StatisticsRow, StatisticsView

BOM = "\ufeff"
COUNTS_AND_RATES: tuple[tuple[str, str], ...] = (
    ("交办件数", "assigned"),
    ("已答复", "replied"),
    ("办复率(%)", "reply_rate"),
    ("见面件数", "met"),
    ("面商率(%)", "face_to_face_rate"),
    ("已测评", "evaluated"),
    ("满意", "satisfied"),
    ("基本满意", "basically_satisfied"),
    ("不满意", "unsatisfied"),
    ("满意率(%)", "satisfaction_rate"),
    ("办结", "completed"),
    ("办结率(%)", "completion_rate"),
    ("解决", "resolved"),
    ("解决率(%)", "resolution_rate"),
    ("按期答复", "on_time"),
    ("按期答复率(%)", "on_time_rate"),
    ("现超期", "overdue"),
    ("超期率(%)", "overdue_rate"),
    ("退回次数", "returned"),
    ("再办理次数", "reopened"),
)


def class_codes(view: StatisticsView) -> list[str]:
    return sorted({code for row in [view.total, *view.rows] for code in row.classes})


def header(view: StatisticsView) -> list[str]:
    classes = [title for code in class_codes(view) for title in (f"{code}类件数", f"{code}类占比(%)")]
    return ["代码", "名称", *(title for title, _ in COUNTS_AND_RATES), *classes]


def cell(value: int | Rate) -> int | float | None:
    return value.percent if isinstance(value, Rate) else value


def text(value: str) -> str:
    """A name a spreadsheet would take for a formula (=, +, -, @) is kept as text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def line(row: StatisticsRow, codes: list[str]) -> list:
    classes = []
    for code in codes:
        share = row.class_shares.get(code)
        classes += [row.classes.get(code, 0), share.percent if share else None]
    return [text(row.key), text(row.label), *(cell(getattr(row, name)) for _, name in COUNTS_AND_RATES), *classes]


def table(view: StatisticsView) -> list[list]:
    codes = class_codes(view)
    return [header(view), *(line(row, codes) for row in view.rows), line(view.total, codes)]


def to_csv(view: StatisticsView) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for values in table(view):
        writer.writerow(["" if value is None else value for value in values])
    return (BOM + out.getvalue()).encode("utf-8")


def to_xlsx(view: StatisticsView) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "统计"
    for values in table(view):
        sheet.append(values)
    sheet.freeze_panes = "C2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filename(view: StatisticsView, extension: str) -> str:
    return f"statistics-{view.division}-{view.first}-{view.last}-{view.by.value}.{extension}"
