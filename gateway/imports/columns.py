"""The columns of an import file and the check of one row, with every reason in Chinese."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from contracts.intake.imports import RowError
from contracts.intake.opinions import CONTENT_MAX
from contracts.vocabulary import DivisionCode, EntityId, within
from infra.clock import SHANGHAI
from infra.pii import normalise_phone

FUTURE_TOLERANCE = timedelta(minutes=5)  # clocks of county systems drift


class Column(NamedTuple):
    name: str
    title: str
    required: bool
    meaning: str
    example: str


COLUMNS = (
    Column(
        "external_id",
        "县级系统编号",
        True,
        "本系统中该事项的唯一编号。同一行政区划内再次导入相同编号不会重复登记，报告给出已有的查询编号",
        "HN12345-2026-00871",
    ),
    Column("division", "行政区划代码", True, "6、9 或 12 位 GB/T 2260 代码，须在密钥的管辖范围内", "330481001"),
    Column(
        "content",
        "民情内容",
        True,
        f"群众反映的问题，2 至 {CONTENT_MAX} 字",
        "文苑路公交站台的顶棚坏了，下雨天没法等车",
    ),
    Column("category", "类别", False, "须在本地区的类别清单中，如 道路交通、市政设施、环境保护", "道路交通"),
    Column(
        "submitted_at",
        "反映时间",
        False,
        "如 2026-11-23 09:30 或 2026-11-23T09:30:00+08:00；不写时区即为北京时间；空则为导入时间；不得晚于导入时间",
        "2026-11-23 09:30",
    ),
    Column("contact_name", "联系人姓名", False, "加密保存，不在公开查询中显示", "陈小明"),
    Column("contact_phone", "联系电话", False, "大陆手机号或固定电话（如 0573-87654321），加密保存", "13812345678"),
    Column("grid_id", "网格编号", False, "平台目录中的网格编号，须属于该县（市、区）且未停用", "wenyuan-01"),
)
COLUMN_NAMES = tuple(column.name for column in COLUMNS)
REQUIRED_COLUMNS = tuple(column.name for column in COLUMNS if column.required)


def column_table() -> str:
    """The columns as a Markdown table, for the OpenAPI description."""
    lines = ["| 列 column | 名称 | 必填 | 说明 | 示例 |", "|---|---|---|---|---|"]
    for c in COLUMNS:
        lines.append(f"| `{c.name}` | {c.title} | {'是' if c.required else '否'} | {c.meaning} | {c.example} |")
    return "\n".join(lines)


class ImportRow(BaseModel):
    """One row of an import file; the directory and category checks are intake's."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    external_id: str = Field(min_length=1, max_length=100)
    division: DivisionCode
    content: str = Field(min_length=2, max_length=CONTENT_MAX)
    category: str | None = Field(default=None, min_length=1, max_length=20)
    submitted_at: datetime | None = None
    contact_name: str | None = Field(default=None, min_length=1, max_length=50)
    contact_phone: str | None = Field(default=None, max_length=30)
    grid_id: EntityId | None = None

    @field_validator("submitted_at", mode="before")
    @classmethod
    def local_time(cls, value: Any) -> Any:
        """A time without an offset is Beijing time, as county systems and Excel write it."""
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value.strip().replace("/", "-"))
            except ValueError:
                raise ValueError(TIME_FORMAT) from None
        elif isinstance(value, date) and not isinstance(value, datetime):
            value = datetime.combine(value, time())
        if isinstance(value, datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=SHANGHAI)
        return value

    @field_validator("contact_phone")
    @classmethod
    def mainland_phone(cls, value: str | None) -> str | None:
        return normalise_phone(value) if value is not None else None


TIME_FORMAT = "时间格式不正确，应如 2026-11-23 09:30 (not a date and time)"


def cell(value: Any) -> Any:
    """A spreadsheet's or JSON's value as the row model takes it: blank is absent, numbers are text
    (Excel stores 330481001 and 13812345678 as numbers), dates and times stay as they are."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return value


def reason(error: dict) -> str:
    """pydantic's English message as a reason a clerk can act on, in Chinese first."""
    kind, context = error["type"], error.get("ctx", {})
    if kind == "missing":
        return "必填，不能为空 (required)"
    if kind == "extra_forbidden":
        return f"未知的列，可用的列：{'、'.join(COLUMN_NAMES)} (unknown column)"
    if kind == "string_too_short":
        return f"至少 {context.get('min_length')} 个字 (too short)"
    if kind == "string_too_long":
        return f"最多 {context.get('max_length')} 个字 (too long)"
    if kind == "string_pattern_mismatch":
        return "格式不正确：只能包含小写字母、数字、- 和 _ (invalid id)"
    if kind == "string_type":
        return "应为文本 (must be text)"
    if kind.startswith(("datetime", "timezone")):
        return TIME_FORMAT
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    return str(error["msg"])


@dataclass(frozen=True)
class RawRow:
    """A row as read from the file: its number as the caller sees it, and its cells by column name."""

    number: int
    cells: dict[str, Any]
    problem: str | None = None  # why the row is no row at all (a JSON array element that is not an object)


@dataclass(frozen=True)
class Checked:
    number: int
    row: ImportRow | None
    errors: list[RowError]
    external_id: str | None


def check_row(raw: RawRow, scope: str, now: datetime) -> Checked:
    """The row as an item to import, or every field that is wrong with it."""
    if raw.problem is not None:
        return Checked(raw.number, None, [RowError(field="row", reason=raw.problem)], None)
    cells = {name: cell(value) for name, value in raw.cells.items()}
    external_id = cells.get("external_id") if isinstance(cells.get("external_id"), str) else None
    try:
        row = ImportRow.model_validate({name: value for name, value in cells.items() if value is not None})
    except ValidationError as invalid:
        errors = [RowError(field=field_of(e["loc"]), reason=reason(e)) for e in invalid.errors(include_url=False)]
        return Checked(raw.number, None, errors, external_id)
    errors = []
    if not within(row.division, scope):
        errors.append(RowError(field="division", reason=f"不在密钥的管辖范围 {scope} 内 (outside the key's scope)"))
    if row.submitted_at is not None and row.submitted_at > now + FUTURE_TOLERANCE:
        errors.append(RowError(field="submitted_at", reason="反映时间晚于导入时间 (in the future)"))
    return Checked(raw.number, None if errors else row, errors, row.external_id)


def field_of(location: tuple) -> str:
    return ".".join(str(part) for part in location) or "row"


def check_rows(rows: list[RawRow], scope: str, now: datetime) -> list[Checked]:
    """Each row checked on its own, then a second row with the same division and external_id refused,
    since the file would otherwise import it once and call it a duplicate of itself."""
    checked, first_seen = [], {}
    for raw in rows:
        result = check_row(raw, scope, now)
        if result.row is not None:
            key = (result.row.division, result.row.external_id)
            if key in first_seen:
                duplicate = RowError(
                    field="external_id",
                    reason=f"与第 {first_seen[key]} 行的编号重复 (the same external_id as row {first_seen[key]})",
                )
                result = Checked(result.number, None, [duplicate], result.external_id)
            else:
                first_seen[key] = result.number
        checked.append(result)
    return checked
