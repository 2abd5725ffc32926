"""An import file read into rows: CSV (UTF-8 with or without BOM, or GB18030 as Excel writes it in
China), XLSX (the first sheet, read-only) or JSON (an array of row objects), judged by content.

A file that cannot be read is refused whole, naming `file`: 415 for what is not one of the three
formats, 413 over the row or size limit, 422 for a file of a known format that is malformed.
"""

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook

from gateway.imports.columns import COLUMN_NAMES, REQUIRED_COLUMNS, RawRow

MAX_ROWS = 10_000
MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_XLSX_UNPACKED_BYTES = 256 * 1024 * 1024  # a spreadsheet that inflates past this is a zip bomb

ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 .xls
NOT_TEXT = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF", b"\x1f\x8b")
TEXT_ENCODINGS = ("utf-8-sig", "gb18030")


class ImportFileError(Exception):
    """The file as a whole cannot be imported; nothing of it is."""

    def __init__(self, status: int, title: str, detail: str, errors: list[dict] | None = None):
        super().__init__(detail)
        self.status, self.title, self.detail, self.errors = status, title, detail, errors


@dataclass(frozen=True)
class ImportFile:
    format: str
    rows: list[RawRow]


def read_import_file(data: bytes, filename: str = "", max_rows: int = MAX_ROWS) -> ImportFile:
    if len(data) > MAX_FILE_BYTES:
        raise too_large(f"文件超过 {MAX_FILE_BYTES // (1024 * 1024)} MB，请分成几个文件导入 (file too large)")
    extension = filename.rpartition(".")[2].lower() if "." in filename else ""
    if data.startswith(ZIP):
        return ImportFile("xlsx", xlsx_rows(data, max_rows))
    if data.startswith(OLE) or extension == "xls":
        raise unsupported("不支持旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV (.xls is not supported)")
    if extension == "xlsx":
        raise malformed("文件扩展名为 .xlsx，但内容不是 XLSX 文件 (not an XLSX file)")
    if not data.strip():
        raise malformed("文件是空的 (empty file)")
    text = decoded(data, extension)
    if extension == "json" or (extension != "csv" and text.lstrip()[:1] in ("[", "{")):
        return ImportFile("json", json_rows(text, max_rows))
    return ImportFile("csv", csv_rows(text, max_rows))


def decoded(data: bytes, extension: str) -> str:
    if data.startswith(NOT_TEXT) or b"\x00" in data[:65536]:
        raise unsupported("应为 CSV、XLSX 或 JSON 文件 (expected CSV, XLSX or JSON)")
    for encoding in TEXT_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    if extension in ("csv", "json"):
        raise malformed("文件编码无法识别，应为 UTF-8 或 GB18030 (encoding is neither UTF-8 nor GB18030)")
    raise unsupported("应为 CSV、XLSX 或 JSON 文件 (expected CSV, XLSX or JSON)")


def csv_rows(text: str, max_rows: int) -> list[RawRow]:
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    try:
        return table_rows(enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1), max_rows)
    except csv.Error as error:
        raise malformed(f"CSV 格式错误 (malformed CSV): {error}") from None


def xlsx_rows(data: bytes, max_rows: int) -> list[RawRow]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
        if unpacked > MAX_XLSX_UNPACKED_BYTES:
            raise too_large("XLSX 文件解压后过大，请分成几个文件导入 (the spreadsheet unpacks too large)")
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ImportFileError:
        raise
    except Exception as error:  # openpyxl raises many kinds (KeyError, BadZipFile, InvalidFileException...)
        raise malformed(f"不是有效的 XLSX 文件 (not a valid XLSX file): {type(error).__name__}") from None
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some exporters write a wrong size; read what is there
        return table_rows(enumerate(sheet.iter_rows(values_only=True), 1), max_rows)
    except ImportFileError:
        raise
    except Exception as error:
        raise malformed(f"XLSX 文件内容无法读取 (unreadable sheet): {type(error).__name__}") from None
    finally:
        workbook.close()


def table_rows(records: Iterable[tuple[int, Iterable[Any]]], max_rows: int) -> list[RawRow]:
    """A header row (the first that is not blank), then one item per non-blank row."""
    records = ((number, list(values)) for number, values in records)
    nonblank = ((number, values) for number, values in records if any(not blank(v) for v in values))
    header_record = next(nonblank, None)
    if header_record is None:
        raise malformed("文件是空的 (empty file)")
    header = checked_header(header_record[1])
    return limited((RawRow(number, row_cells(header, values)) for number, values in nonblank), max_rows)


def checked_header(values: list[Any]) -> list[str]:
    header = [str(value).strip().lower() if value is not None else "" for value in values]
    while header and header[-1] == "":
        header.pop()
    unknown = [name or f"第 {index} 列（空）" for index, name in enumerate(header, 1) if name not in COLUMN_NAMES]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    errors = [{"field": name, "message": "未知的列 (unknown column)"} for name in unknown]
    errors += [{"field": name, "message": "缺少必填的列 (required column missing)"} for name in missing]
    errors += [{"field": name, "message": "列名重复 (repeated column)"} for name in repeated]
    if errors:
        raise malformed(
            f"表头不正确：{'；'.join(e['field'] + ' ' + e['message'] for e in errors)}。"
            f"可用的列：{', '.join(COLUMN_NAMES)}",
            errors,
        )
    return header


def row_cells(header: list[str], values: list[Any]) -> dict[str, Any]:
    cells = dict(zip(header, values, strict=False))
    for index, value in enumerate(values[len(header) :], len(header) + 1):
        if not blank(value):
            cells[f"column_{index}"] = value  # a cell right of the header: refused as an unknown column
    return cells


def json_rows(text: str, max_rows: int) -> list[RawRow]:
    try:
        items = json.loads(text)
    except json.JSONDecodeError as error:
        raise malformed(
            f"JSON 格式错误，第 {error.lineno} 行第 {error.colno} 列 (malformed JSON): {error.msg}"
        ) from None
    if not isinstance(items, list):
        raise malformed("JSON 文件应为由行对象组成的数组 (expected an array of row objects)")
    if not items:
        raise malformed("文件是空的 (empty file)")
    rows = (
        RawRow(number, item)
        if isinstance(item, dict)
        else RawRow(number, {}, "每一行应为一个对象 (each row must be an object)")
        for number, item in enumerate(items, 1)
    )
    return limited(rows, max_rows)


def limited(rows: Iterator[RawRow], max_rows: int) -> list[RawRow]:
    kept = []
    for row in rows:
        if len(kept) == max_rows:
            raise too_large(f"每个文件最多 {max_rows} 行，请分成几个文件导入 (more than {max_rows} rows)")
        kept.append(row)
    if not kept:
        raise malformed("文件只有表头，没有数据行 (no rows under the header)")
    return kept


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def malformed(detail: str, errors: list[dict] | None = None) -> ImportFileError:
    return ImportFileError(422, "导入文件格式不正确", detail, errors)


def unsupported(detail: str) -> ImportFileError:
    return ImportFileError(415, "不支持的文件格式", detail)


def too_large(detail: str) -> ImportFileError:
    return ImportFileError(413, "导入文件过大", detail)
