"""The supervisor's console (督查): the overdue and half-time lists with their 催办 records, key
supervision (重点督办), statistics with charts and their CSV/XLSX files, red/black lists with the
rules they follow, and follow-up reviews (回头看) with the ledger of promised items.

Every page applies the API's `Supervisor` rule and scope check to the signed-in user and calls the
same supervision client; a form's refusal is shown beside its field, what was typed kept.
"""

import re
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, ValidationError

from contracts.case_finding import CaseQuery
from contracts.errors import ServiceError
from contracts.routing import CaseView, ExtensionDecisionIn, ExtensionRecord, ExtensionStatus
from contracts.supervision.key_items import KeyLevel, KeyRecordIn, KeyRecordKind, MarkKeyItemIn, UnmarkKeyItemIn
from contracts.supervision.reviews import ReviewOutcome, ReviewOutcomeIn, ReviewState
from contracts.supervision.statistics import PERIOD, StatisticsBy
from contracts.supervision.watch import ReminderIn, ReminderMethod
from contracts.vocabulary import DIVISION_CODE
from gateway import deps
from gateway.deps import running_platform
from gateway.imports.template import XLSX_MEDIA_TYPE
from gateway.pages.charts import Bar, bars
from gateway.pages.core import FormErrors, Session, allowed_by, check_csrf, form_errors, in_scope, render
from gateway.problems import Problem
from gateway.routers.supervision_statistics import CSV_MEDIA_TYPE, export, statistics_query
from gateway.statistics_export import filename, to_csv, to_xlsx
from infra.clock import local_today

router = APIRouter(prefix="/console/supervision", include_in_schema=False)

CaseId = Annotated[str, Path(max_length=20, pattern=r"^[0-9A-Za-z-]+$")]
CASE_NUMBER = re.compile(r"^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$")
ReviewId = Annotated[str, Path(max_length=60, pattern=r"^[A-Za-z0-9.-]+$")]
DivisionQuery = Annotated[str | None, Query(pattern=DIVISION_CODE.pattern)]
Month = Annotated[str | None, Query(alias="from", max_length=20)]
LastMonth = Annotated[str | None, Query(alias="to", max_length=20)]
PeriodQuery = Annotated[str | None, Query(max_length=10)]

METHODS = {ReminderMethod.PHONE: "电话催办", ReminderMethod.VISIT: "上门督办", ReminderMethod.LETTER: "发函催办"}
LEVELS = {KeyLevel.KEY: "重点督办", KeyLevel.LEADER_LED: "常委会领导领衔督办", KeyLevel.MAJOR: "大督办"}
RECORD_KINDS = {
    KeyRecordKind.PLAN: "督办方案",
    KeyRecordKind.SITE_VISIT: "实地督查",
    KeyRecordKind.PROGRESS: "办理进展",
}
REVIEW_STATES = {
    ReviewState.SCHEDULED: "待回头看",
    ReviewState.DUE: "已到期",
    ReviewState.KEPT: "已落实",
    ReviewState.FELL_SHORT: "未落实，责成整改",
}
OUTCOMES = {ReviewOutcome.KEPT: "已落实", ReviewOutcome.FELL_SHORT: "未落实，责成整改"}
GROUPINGS = {
    StatisticsBy.DIVISION: "下一级行政区划",
    StatisticsBy.UNIT: "主办单位",
    StatisticsBy.DEPUTY: "代表",
    StatisticsBy.CATEGORY: "类别",
    StatisticsBy.CHANNEL: "渠道",
    StatisticsBy.PERIOD: "月份",
}
RATES = [
    ("reply_rate", "办复率"),
    ("face_to_face_rate", "面商率"),
    ("satisfaction_rate", "满意率"),
    ("completion_rate", "办结率"),
    ("resolution_rate", "解决率"),
    ("on_time_rate", "按期答复率"),
    ("overdue_rate", "超期率"),
]
LABELS = {
    "methods": METHODS,
    "levels": LEVELS,
    "record_kinds": RECORD_KINDS,
    "review_states": REVIEW_STATES,
    "outcomes": OUTCOMES,
}


@dataclass
class Outcome:
    """A form tried: the errors by item (empty when done) and what was typed, to show again."""

    errors: dict[str, FormErrors] = field(default_factory=dict)
    typed: dict[str, dict] = field(default_factory=dict)


async def supervisor(request: Request, session, division: str | None = None):
    actor = await allowed_by(deps.Supervisor, session)
    division = division or actor.scope
    in_scope(actor, division)
    return actor, division, running_platform(request).supervision


async def act(
    request: Request, session, item: str, model: type[BaseModel], fields: tuple, call, named_case: bool = True
) -> Outcome:
    """Reads a form, checks its CSRF token and the role, validates it with the API's input model and
    makes the call; a refusal comes back as errors beside the form's fields."""
    form = await request.form(max_files=0, max_fields=20)
    check_csrf(request, form)
    actor = await allowed_by(deps.Supervisor, session)
    typed = {name: str(form.get(name, "")).strip() for name in fields}
    body = {name: value for name, value in typed.items() if value}
    if "committees" in body:
        body["committees"] = [part.strip() for part in body["committees"].replace("，", ",").split(",") if part]
    if "participants" in body:
        body["participants"] = [part.strip() for part in body["participants"].replace("，", ",").split(",") if part]
    if not named_case:  # the form names the case it is about, and that name is not a case number
        errors = FormErrors({"case_id": "请填写事项编号（如 7K3P-9XTA-2MQD）"})
        return Outcome({item: errors}, {item: typed})
    try:
        await call(model.model_validate(body), actor)
    except (ValidationError, Problem, ServiceError) as refusal:
        return Outcome({item: form_errors(refusal, {name: name for name in fields})}, {item: typed})
    return Outcome()


def done(path: str, item: str) -> RedirectResponse:
    return RedirectResponse(f"{path}{'&' if '?' in path else '?'}done={item}", status_code=303)


# ---- 超期 and 时间过半: the watch's lists, and 催办


async def pending_extensions(request: Request, actor, division: str) -> list[tuple[CaseView, ExtensionRecord]]:
    """The division's cases whose lead unit asked for more time and awaits a decision (延期申请),
    newest first, each with its pending request: routing's `GET /v1/cases?extension=pending`."""
    query = CaseQuery(division=division, extension="pending", limit=100)
    cases = (await running_platform(request).routing.find_cases(query, actor)).items
    listed = []
    for case in cases:
        asked = [extension for extension in case.extensions if extension.status is ExtensionStatus.PENDING]
        if asked:
            listed.append((case, asked[-1]))
    return listed


async def watch_page(request: Request, session, division: str | None, outcome: Outcome | None = None, status=200):
    actor, division, supervision = await supervisor(request, session, division)
    overdue = (await supervision.overdue_cases(division, 100, None)).items
    half_time = (await supervision.half_time_cases(division, 100, None)).items
    pending = await pending_extensions(request, actor, division)
    outcome = outcome or Outcome()
    return render(
        request,
        "console/supervision/watch.html",
        status_code=status,
        division=division,
        overdue=overdue,
        half_time=half_time,
        pending=pending,
        errors=outcome.errors,
        typed=outcome.typed,
        done=request.query_params.get("done"),
        **LABELS,
    )


@router.get("")
async def watch(request: Request, session: Session, division: DivisionQuery = None):
    return await watch_page(request, session, division)


@router.post("/cases/{case_id}/reminders")
async def remind(request: Request, session: Session, case_id: CaseId, division: DivisionQuery = None):
    case_id = case_id.upper()
    supervision = running_platform(request).supervision
    outcome = await act(
        request,
        session,
        case_id,
        ReminderIn,
        ("method", "note"),
        lambda body, actor: supervision.record_reminder(case_id, body, actor),
    )
    if outcome.errors:
        return await watch_page(request, session, division, outcome, 422)
    return done(f"/console/supervision?division={division}" if division else "/console/supervision", case_id)


@router.post("/extensions")
async def decide_extension(request: Request, session: Session, division: DivisionQuery = None):
    """延期审批: approves (the due date moves) or refuses the pending extension request of a case, as
    `POST /v1/cases/{id}/decide-extension` does: one listed among the pending requests (its
    refusal shown beside it), or the case whose number the supervisor typed."""
    form = await request.form(max_files=0, max_fields=20)
    case_id = str(form.get("case_id", "")).strip().upper()
    named = CASE_NUMBER.match(case_id) is not None
    item = f"extension-{case_id}" if named and form.get("listed") == "1" else "extension"
    routing = running_platform(request).routing
    outcome = await act(
        request,
        session,
        item,
        ExtensionDecisionIn,
        ("approve", "note"),
        lambda body, actor: routing.act_on_case(case_id, "decide-extension", body, actor),
        named_case=named,
    )
    if outcome.errors:
        outcome.typed[item]["case_id"] = case_id
        return await watch_page(request, session, division, outcome, 422)
    return done(f"/console/supervision?division={division}" if division else "/console/supervision", case_id)


# ---- 重点督办


def current_quarter() -> str:
    today = local_today()
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


async def key_items_page(request, session, division, period, outcome: Outcome | None = None, status=200):
    actor, division, supervision = await supervisor(request, session, division)
    period = period or current_quarter()
    period_error = None if PERIOD.match(period) else "期间格式应为 YYYY、YYYY-Qn 或 YYYY-MM，例如 2026-Q4"
    items = [] if period_error else (await supervision.key_items(division, period, 100, None)).items
    outcome = outcome or Outcome()
    return render(
        request,
        "console/supervision/key_items.html",
        status_code=422 if period_error else status,
        division=division,
        period=period,
        period_error=period_error,
        items=items,
        errors=outcome.errors,
        typed=outcome.typed,
        done=request.query_params.get("done"),
        **LABELS,
    )


@router.get("/key-items")
async def key_items(request: Request, session: Session, division: DivisionQuery = None, period: PeriodQuery = None):
    return await key_items_page(request, session, division, period)


async def key_item_action(request, session, case_id: str, model, fields, action: str, item: str | None = None):
    supervision = running_platform(request).supervision
    calls = {
        "mark": supervision.mark_key_item,
        "unmark": supervision.unmark_key_item,
        "records": supervision.record_key_item,
    }
    item = item or case_id
    outcome = await act(request, session, item, model, fields, lambda body, actor: calls[action](case_id, body, actor))
    if outcome.errors:
        for typed in outcome.typed.values():
            typed["action"] = action
            typed["case_id"] = case_id
        return await key_items_page(request, session, None, request.query_params.get("period"), outcome, 422)
    return done("/console/supervision/key-items", case_id)


@router.post("/key-items")
async def mark_new(request: Request, session: Session):
    """Marks the case whose number the supervisor typed (重点督办 by hand)."""
    form = await request.form(max_files=0, max_fields=20)
    case_id = str(form.get("case_id", "")).strip().upper()
    if not case_id or len(case_id) > 20:
        check_csrf(request, form)
        errors = FormErrors({"case_id": "请填写事项编号（如 7K3P-9XTA-2MQD）"})
        typed = {
            name: str(form.get(name, "")) for name in ("case_id", "level", "lead_supervisor", "committees", "reason")
        }
        outcome = Outcome({"new": errors}, {"new": typed})
        return await key_items_page(request, session, None, None, outcome, 422)
    fields = ("level", "lead_supervisor", "committees", "reason")
    return await key_item_action(request, session, case_id, MarkKeyItemIn, fields, "mark", "new")


@router.post("/key-items/{case_id}/unmark")
async def unmark(request: Request, session: Session, case_id: CaseId):
    return await key_item_action(request, session, case_id.upper(), UnmarkKeyItemIn, ("reason",), "unmark")


@router.post("/key-items/{case_id}/records")
async def record(request: Request, session: Session, case_id: CaseId):
    fields = ("kind", "on", "text", "participants")
    return await key_item_action(request, session, case_id.upper(), KeyRecordIn, fields, "records")


# ---- 统计: figures, charts and files


def percent(rate) -> str:
    return "—" if rate.percent is None else f"{rate.percent:.2f}%"


def charts_of(view) -> list[tuple]:
    """(title, chart) of each figure drawn for the rows: counts, then three rates on a 0–100 scale."""
    rows = view.rows
    charts = [("交办件数", bars("交办件数", [Bar(row.label, row.assigned, f"{row.assigned} 件") for row in rows]))]
    for name, title in (("reply_rate", "办复率"), ("satisfaction_rate", "满意率"), ("on_time_rate", "按期答复率")):
        items = [Bar(row.label, getattr(row, name).percent or 0, percent(getattr(row, name))) for row in rows]
        charts.append((title, bars(title, items, 100)))
    return charts


@router.get("/statistics")
async def statistics(
    request: Request,
    session: Session,
    division: DivisionQuery = None,
    first: Month = None,
    last: LastMonth = None,
    by: Annotated[str, Query(max_length=20)] = StatisticsBy.DIVISION.value,
):
    """The figures of the cases assigned in the months asked, one row per grouping, with charts
    (交办件数, 办复率, 满意率, 按期答复率) and links to the same figures as CSV and XLSX files."""
    actor, division, supervision = await supervisor(request, session, division)
    typed = {"from": first or "", "to": last or "", "by": by}
    errors = {}
    view = None
    try:
        if by not in set(StatisticsBy):
            raise Problem(422, "请求参数不合法", "请从列表中选择分组方式", "by")
        view = await supervision.statistics(statistics_query(division, first, last, by))
    except Problem as problem:
        errors[problem.field or "from"] = problem.detail
    query = f"division={division}&from={view.first}&to={view.last}&by={view.by.value}" if view else ""
    return render(
        request,
        "console/supervision/statistics.html",
        status_code=422 if errors else 200,
        division=division,
        view=view,
        typed=typed,
        errors=errors,
        groupings=GROUPINGS,
        rates=RATES,
        percent=percent,
        charts=charts_of(view) if view else [],
        csv_link=f"/console/supervision/statistics/export?{query}&format=csv" if view else None,
        xlsx_link=f"/console/supervision/statistics/export?{query}&format=xlsx" if view else None,
    )


@router.get("/statistics/export")
async def statistics_file(
    request: Request,
    session: Session,
    format: Annotated[str, Query(pattern="^(csv|xlsx)$")],
    division: DivisionQuery = None,
    first: Month = None,
    last: LastMonth = None,
    by: Annotated[str, Query(max_length=20)] = StatisticsBy.DIVISION.value,
) -> Response:
    """The same file `GET /v1/supervision/statistics?format=…` gives, for the signed-in supervisor."""
    actor, division, supervision = await supervisor(request, session, division)
    if by not in set(StatisticsBy):
        raise Problem(422, "请求参数不合法", "by: 未知的分组方式", "by")
    view = await supervision.statistics(statistics_query(division, first, last, by))
    if format == "csv":
        return export(to_csv(view), CSV_MEDIA_TYPE, filename(view, "csv"))
    return export(to_xlsx(view), XLSX_MEDIA_TYPE, filename(view, "xlsx"))


# ---- 红黑榜


RULE_FIELDS = (
    "min_cases",
    "red_on_time",
    "red_satisfaction",
    "red_max_return_rate",
    "black_on_time",
    "black_satisfaction",
    "black_return_rate",
)


async def rankings_page(request, session, division, period, outcome: Outcome | None = None, status=200):
    """The lists for the period, and the form of the division's rules: what was typed when a save
    was refused, else the rules in force (the division's own, the nearest above it, or the default)."""
    actor, division, supervision = await supervisor(request, session, division)
    period = period or current_quarter()
    period_error = None if PERIOD.match(period) else "期间格式应为 YYYY、YYYY-Qn 或 YYYY-MM，例如 2026-Q4"
    view = None if period_error else await supervision.rankings(division, period)
    rules = view.rules if view else await supervision.ranking_rules(division)
    outcome = outcome or Outcome()
    typed = outcome.typed.get("rules") or {name: f"{getattr(rules, name):g}" for name in RULE_FIELDS}
    return render(
        request,
        "console/supervision/rankings.html",
        status_code=422 if period_error else status,
        division=division,
        period=period,
        view=view,
        errors={"period": period_error} if period_error else {},
        percent=percent,
        rules=rules,
        rule_values=typed,
        rule_errors=outcome.errors.get("rules", FormErrors()),
        done=request.query_params.get("done"),
    )


@router.get("/rankings")
async def rankings(request: Request, session: Session, division: DivisionQuery = None, period: PeriodQuery = None):
    return await rankings_page(request, session, division, period)


# ---- 回头看 and the promised items' ledger


async def reviews_page(request, session, division, outcome: Outcome | None = None, status=200):
    actor, division, supervision = await supervisor(request, session, division)
    due = (await supervision.reviews(division, ReviewState.DUE, None, 100, None)).items
    promised = (await supervision.reviews(division, None, "promised", 100, None)).items
    outcome = outcome or Outcome()
    return render(
        request,
        "console/supervision/reviews.html",
        status_code=status,
        division=division,
        due=due,
        promised=promised,
        errors=outcome.errors,
        typed=outcome.typed,
        done=request.query_params.get("done"),
        **LABELS,
    )


@router.get("/reviews")
async def reviews(request: Request, session: Session, division: DivisionQuery = None):
    return await reviews_page(request, session, division)


@router.post("/reviews/{review_id}/outcome")
async def review_outcome(request: Request, session: Session, review_id: ReviewId):
    supervision = running_platform(request).supervision
    fields = ("outcome", "visited_on", "finding", "rectification")
    outcome = await act(
        request,
        session,
        review_id,
        ReviewOutcomeIn,
        fields,
        lambda body, actor: supervision.record_review(review_id, body, actor),
    )
    if outcome.errors:
        return await reviews_page(request, session, None, outcome, 422)
    return done("/console/supervision/reviews", review_id)
