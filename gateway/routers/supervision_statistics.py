"""督办 statistics (统计) and red/black lists (红黑榜) for supervisors, within their scope."""

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Body, Path, Query, Response
from pydantic import ValidationError

from contracts.supervision.statistics import (
    MONTH,
    PERIOD,
    RankingRulesIn,
    RankingRulesView,
    RankingView,
    StatisticsBy,
    StatisticsQuery,
    StatisticsView,
)
from contracts.vocabulary import DIVISION_CODE
from gateway.auth import require_scope
from gateway.deps import ScopedDivision, Supervision, Supervisor
from gateway.imports.template import XLSX_MEDIA_TYPE
from gateway.problems import Problem, problem_responses
from gateway.statistics_export import filename, to_csv, to_xlsx
from infra.clock import local_today

router = APIRouter(prefix="/v1/supervision", tags=["supervision"])
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"


class ExportFormat(StrEnum):
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


def this_year() -> tuple[str, str]:
    today = local_today()
    return f"{today.year:04d}-01", today.strftime("%Y-%m")


def statistics_query(division: str, first: str | None, last: str | None, by: str) -> StatisticsQuery:
    """Checked here so that bad input names its field in a problem before any call."""
    default_first, default_last = this_year()
    fields = {"division": division, "from": first or default_first, "to": last or default_last, "by": by}
    for name in ("from", "to"):
        if not MONTH.match(fields[name]):
            raise Problem(422, "请求参数不合法", f"{name}: 月份格式应为 YYYY-MM (a month, YYYY-MM)", name)
    try:
        return StatisticsQuery.model_validate(fields)
    except ValidationError as error:
        first_error = error.errors(include_url=False)[0]
        field = str(first_error["loc"][0]) if first_error["loc"] else "to"
        raise Problem(422, "请求参数不合法", first_error["msg"].removeprefix("Value error, "), field) from None


EXPORTS = {
    ExportFormat.CSV: ("text/csv", {"schema": {"type": "string"}, "example": "\ufeff代码,名称,交办件数,..."}),
    ExportFormat.XLSX: (XLSX_MEDIA_TYPE, {"schema": {"type": "string", "format": "binary"}}),
}


@router.get(
    "/statistics",
    response_model=StatisticsView,
    responses={
        200: {
            "description": "JSON，或 `format=csv`（UTF-8 带 BOM）/ `format=xlsx` 的表格 (a table, Chinese headers)",
            "content": dict(EXPORTS.values()),
        },
        **problem_responses(401, 403, 422),
    },
)
async def statistics(
    principal: Supervisor,
    division: ScopedDivision,
    statistics: Supervision,
    first: Annotated[
        str | None, Query(alias="from", max_length=20, description="开始月份 YYYY-MM（默认今年一月）")
    ] = None,
    last: Annotated[str | None, Query(alias="to", max_length=20, description="结束月份 YYYY-MM（默认本月）")] = None,
    by: Annotated[
        str,
        Query(
            max_length=20,
            description="分组：division（下一级行政区划）、unit（主办单位）、deputy（代表）、category、channel、"
            "period（按月）",
        ),
    ] = StatisticsBy.DIVISION.value,
    format: Annotated[ExportFormat, Query(description="json（默认）、csv 或 xlsx")] = ExportFormat.JSON,
):
    """办复率, 面商率, 满意率, 办结率, 解决率, 按期答复率, 超期 and class shares, each with its counts,
    for the cases first assigned in the months `from`..`to` in `division` and every division below it,
    one row per `by` key and the total. Read from counters kept up to date as events arrive."""
    if by not in {b.value for b in StatisticsBy}:
        known = "、".join(b.value for b in StatisticsBy)
        raise Problem(422, "请求参数不合法", f"by: 未知的分组方式 {by}，应为 {known} (unknown grouping)", "by")
    view = await statistics.statistics(statistics_query(division, first, last, by))
    if format is ExportFormat.CSV:
        return export(to_csv(view), CSV_MEDIA_TYPE, filename(view, "csv"))
    if format is ExportFormat.XLSX:
        return export(to_xlsx(view), XLSX_MEDIA_TYPE, filename(view, "xlsx"))
    return Response(view.model_dump_json(by_alias=True), media_type="application/json")


def export(body: bytes, media_type: str, name: str) -> Response:
    return Response(body, media_type=media_type, headers={"content-disposition": f'attachment; filename="{name}"'})


@router.get("/rankings", response_model=RankingView, responses=problem_responses(401, 403, 422))
async def rankings(
    principal: Supervisor,
    division: ScopedDivision,
    statistics: Supervision,
    period: Annotated[
        str | None,
        Query(max_length=10, description="期间：YYYY、YYYY-Qn 或 YYYY-MM（默认本季度）", examples=["2026-Q4"]),
    ] = None,
):
    """红黑榜: the division's units ranked for the period by on-time rate, satisfaction and returns,
    against the division's published rules (`rules`); units with too few cases listed apart."""
    today = local_today()
    period = period or f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    if not PERIOD.match(period):
        raise Problem(
            422, "请求参数不合法", "period: 期间格式应为 YYYY、YYYY-Qn 或 YYYY-MM (a year, quarter or month)", "period"
        )
    return Response(
        (await statistics.rankings(division, period)).model_dump_json(by_alias=True), media_type="application/json"
    )


DivisionPath = Annotated[str, Path(pattern=DIVISION_CODE.pattern, description="行政区划代码", examples=["330481"])]


@router.get("/rankings/rules/{division}", response_model=RankingRulesView, responses=problem_responses(401, 403, 422))
async def ranking_rules(principal: Supervisor, division: DivisionPath, statistics: Supervision):
    """The rules the division's 红黑榜 follows: its own, the nearest division's above it, or the default."""
    require_scope(principal, division)
    return await statistics.ranking_rules(division)


@router.put("/rankings/rules/{division}", response_model=RankingRulesView, responses=problem_responses(401, 403, 422))
async def set_ranking_rules(
    principal: Supervisor, division: DivisionPath, statistics: Supervision, rules: Annotated[RankingRulesIn, Body()]
):
    """The division sets its 红黑榜 thresholds and the minimum number of cases to be ranked."""
    require_scope(principal, division)
    return await statistics.set_ranking_rules(division, rules)
