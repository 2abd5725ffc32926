"""The deadline watch (督政议事会's lists, 催办 records) and the public ledger (挂单销号, 张榜公示).

Supervisors read the overdue and half-time lists of their divisions and record each 催办; they also
choose whether their division's public ledger shows the citizen's own words. The ledger itself is
public (no key): tracking codes, categories, units, dates and ratings, never a name or a phone.
"""

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from contracts.supervision.watch import (
    HalfTimeCaseView,
    LedgerEntry,
    LedgerSettingsIn,
    LedgerSettingsView,
    OverdueCaseView,
    ReminderIn,
    ReminderRecord,
)
from contracts.vocabulary import DIVISION_CODE
from gateway.auth import require_scope
from gateway.deps import (
    Cursor,
    DivisionParam,
    Divisions,
    Limit,
    ScopedDivision,
    Supervision,
    Supervisor,
    running_platform,
)
from gateway.idempotency import HEADER as IDEMPOTENCY_HEADER
from gateway.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent
from gateway.paging import PAGED, items_with_next_link
from gateway.problems import problem_responses

router = APIRouter(tags=["supervision"])

CaseId = Annotated[str, Path(max_length=20, examples=["7K3P-9XTA-2MQD"])]
DivisionPath = Annotated[str, Path(pattern=DIVISION_CODE.pattern, examples=["330481"])]
LIST = {"responses": {**PAGED, **problem_responses(401, 403, 422)}}


@router.get("/v1/supervision/overdue", response_model=list[OverdueCaseView], **LIST)
async def overdue(
    request: Request,
    response: Response,
    principal: Supervisor,
    division: ScopedDivision,
    supervision: Supervision,
    limit: Limit = 100,
    after: Cursor = None,
):
    """超期未答复 (督政议事会): open cases past their due date, longest overdue first, each with the
    watch's notices for its current due date and the 催办 records (method, who, when)."""
    page = await supervision.overdue_cases(division, limit, after)
    return items_with_next_link(request, response, page)


@router.get("/v1/supervision/half-time", response_model=list[HalfTimeCaseView], **LIST)
async def half_time(
    request: Request,
    response: Response,
    principal: Supervisor,
    division: ScopedDivision,
    supervision: Supervision,
    limit: Limit = 100,
    after: Cursor = None,
):
    """时间过半任务过半: open cases past the middle of their period (in working days) with neither
    progress nor a meeting recorded, the earliest midpoint first."""
    page = await supervision.half_time_cases(division, limit, after)
    return items_with_next_link(request, response, page)


@router.post(
    "/v1/supervision/cases/{case_id}/reminders",
    response_model=ReminderRecord,
    status_code=201,
    responses=problem_responses(401, 403, 404, 409, 422),
    openapi_extra={"parameters": [IDEMPOTENCY_KEY_PARAMETER]},
)
async def record_reminder(
    case_id: CaseId,
    body: ReminderIn,
    principal: Supervisor,
    supervision: Supervision,
    request: Request,
) -> ReminderRecord:
    """催办: a supervisor records a phone call, visit or letter to the units of an open case in their
    scope (404 outside it); who is the key's label, when is now. A replied or closed case: 409.
    A retry with the same Idempotency-Key gets the first record, and no second one is kept."""
    case_id = case_id.upper()
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None:
        return await supervision.record_reminder(case_id, body, principal)
    idempotency = running_platform(request).idempotency
    async with idempotent(idempotency, f"reminder:{principal.key_id}:{case_id}", key, body) as outcome:
        if outcome.replay:
            return ReminderRecord.model_validate(outcome.replay)
        record = await supervision.record_reminder(case_id, body, principal)
        outcome.response = record.model_dump(mode="json")
    return record


@router.get(
    "/v1/supervision/ledger-settings/{division}",
    response_model=LedgerSettingsView,
    responses=problem_responses(401, 403, 422),
)
async def ledger_settings(division: DivisionPath, principal: Supervisor, supervision: Supervision):
    """Whether the division's public ledger shows the citizen's words (default: no)."""
    require_scope(principal, division)
    return await supervision.ledger_settings(division)


@router.put(
    "/v1/supervision/ledger-settings/{division}",
    response_model=LedgerSettingsView,
    responses=problem_responses(401, 403, 422),
)
async def set_ledger_settings(
    division: DivisionPath, body: LedgerSettingsIn, principal: Supervisor, supervision: Supervision
):
    """A division (and those below it without their own choice) shows, or stops showing, the
    citizen's words on the public ledger."""
    require_scope(principal, division)
    return await supervision.set_ledger_settings(division, body)


@router.get(
    "/v1/public/ledger",
    response_model=list[LedgerEntry],
    tags=["public"],
    responses={**PAGED, **problem_responses(422)},
)
async def public_ledger(
    request: Request,
    response: Response,
    division: DivisionParam,
    supervision: Supervision,
    divisions: Divisions,
    limit: Limit = 50,
    after: Cursor = None,
):
    """挂单销号, 张榜公示 (no key needed): the division's assigned items, latest first, with their
    category, township, lead unit, status, dates and rating; the citizen's words only where the
    division allows it. Never a name, a phone or a staff record."""
    page = await supervision.public_ledger(division, limit, after)
    names = {}
    for code in {entry.township for entry in page.items if entry.township}:
        known = await divisions.get(code)
        names[code] = known.get("name") if known else None
    for entry in page.items:
        entry.township_name = names.get(entry.township)
    return items_with_next_link(request, response, page)
