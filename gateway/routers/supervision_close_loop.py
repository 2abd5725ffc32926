"""督办 closes the loop: key supervision (重点督办), a case's evaluation state, the citizen's one-time
evaluation code, and follow-up reviews (回头看) with the ledger of promised items."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from contracts.intake.evaluation_codes import EvaluationCodeSent
from contracts.supervision.evaluation_window import CaseEvaluationView
from contracts.supervision.key_items import PERIOD_PATTERN, KeyItemView, KeyRecordIn, MarkKeyItemIn, UnmarkKeyItemIn
from contracts.supervision.reviews import ReviewOutcomeIn, ReviewState, ReviewView
from gateway.deps import CaseReader, Cursor, Intake, Limit, PlatformDep, ScopedDivision, Supervision, Supervisor
from gateway.paging import PAGED, items_with_next_link
from gateway.problems import problem_responses
from gateway.rate_limit import enforce_public_rate_limit
from gateway.routers.opinions import TrackingCode, checked_code

router = APIRouter(tags=["supervision"])

CaseId = Annotated[str, Path(max_length=20, pattern=r"^[A-Za-z0-9-]+$", examples=["7K3P-9XTA-2MQD"])]
ReviewId = Annotated[
    str, Path(max_length=60, pattern=r"^[A-Za-z0-9.-]+$", examples=["7K3P-9XTA-2MQD.20261123020000000000.p1"])
]
Period = Annotated[
    str,
    Query(
        pattern=PERIOD_PATTERN,
        description="期间：年 2026、季度 2026-Q3 或月份 2026-11 / a year, quarter or month",
        examples=["2026-Q4"],
    ),
]
CHANGE = problem_responses(401, 403, 404, 409, 422)


@router.post(
    "/v1/supervision/key-items/{case_id}/mark",
    response_model=KeyItemView,
    responses=CHANGE,
)
async def mark_key_item(
    case_id: CaseId, body: MarkKeyItemIn, principal: Supervisor, supervision: Supervision
) -> KeyItemView:
    """列入重点督办 (领导领衔督办, 大督办): a case under watch in the supervisor's divisions, with the
    leading supervisor and the supervising committees. Outside them the case is not found (404);
    a case already on the list is a conflict (409). Announced as `case.key_marked`."""
    return await supervision.mark_key_item(case_id.upper(), body, principal)


@router.post("/v1/supervision/key-items/{case_id}/unmark", response_model=KeyItemView, responses=CHANGE)
async def unmark_key_item(
    case_id: CaseId, body: UnmarkKeyItemIn, principal: Supervisor, supervision: Supervision
) -> KeyItemView:
    """销号: the case comes off the list with the reason; its records stay."""
    return await supervision.unmark_key_item(case_id.upper(), body, principal)


@router.post("/v1/supervision/key-items/{case_id}/records", response_model=KeyItemView, responses=CHANGE)
async def record_key_item(
    case_id: CaseId, body: KeyRecordIn, principal: Supervisor, supervision: Supervision
) -> KeyItemView:
    """督办方案 (`plan`), 实地督查 (`site_visit`) or 办理进展 (`progress`) of a key item on the list."""
    return await supervision.record_key_item(case_id.upper(), body, principal)


@router.get(
    "/v1/supervision/key-items",
    response_model=list[KeyItemView],
    responses={**PAGED, **problem_responses(401, 403, 422)},
)
async def key_items(
    request: Request,
    response: Response,
    principal: Supervisor,
    division: ScopedDivision,
    supervision: Supervision,
    period: Period,
    limit: Limit = 100,
    after: Cursor = None,
):
    """重点督办清单: the items on the list at any time in the period (marked by its end and not taken
    off before its start), earliest marked first, with their records."""
    page = await supervision.key_items(division, period, limit, after)
    return items_with_next_link(request, response, page)


@router.get(
    "/v1/supervision/key-items/{case_id}", response_model=KeyItemView, responses=problem_responses(401, 403, 404)
)
async def key_item(case_id: CaseId, principal: Supervisor, supervision: Supervision) -> KeyItemView:
    return await supervision.key_item(case_id.upper(), principal)


@router.get(
    "/v1/supervision/evaluations/{case_id}",
    response_model=CaseEvaluationView,
    responses=problem_responses(401, 403, 404),
)
async def evaluation_state(case_id: CaseId, principal: CaseReader, supervision: Supervision) -> CaseEvaluationView:
    """满意度测评 state of a case: each reply's window (awaiting, evaluated, or not evaluated once it
    closed unanswered: never counted as satisfied), and its re-handlings against the limit."""
    return await supervision.evaluation_state(case_id.upper(), principal)


@router.post(
    "/v1/public/opinions/{tracking_code}/evaluation-code",
    response_model=EvaluationCodeSent,
    status_code=202,
    responses=problem_responses(404, 409, 422, 429, 503),
)
async def evaluation_code(
    tracking_code: TrackingCode, request: Request, platform: PlatformDep, intake: Intake
) -> EvaluationCodeSent:
    """满意度测评验证码: a 6-digit one-time code sent by SMS to the phone the citizen gave, valid for
    10 minutes and for 5 tries; then `POST .../evaluation` with `one_time_code`. Only for a replied
    item with a phone; one code a minute per item. The answer shows the phone masked, never the code."""
    enforce_public_rate_limit(request, platform.public_limiter)
    return await intake.issue_evaluation_code(checked_code(tracking_code))


@router.get(
    "/v1/supervision/reviews",
    response_model=list[ReviewView],
    responses={**PAGED, **problem_responses(401, 403, 422)},
)
async def reviews(
    request: Request,
    response: Response,
    principal: Supervisor,
    division: ScopedDivision,
    supervision: Supervision,
    state: ReviewState | None = None,
    limit: Limit = 100,
    after: Cursor = None,
):
    """回头看 tasks, soonest due first; `state=due` keeps those whose date has come."""
    page = await supervision.reviews(division, state, None, limit, after)
    return items_with_next_link(request, response, page)


@router.post("/v1/supervision/reviews/{review_id}/outcome", response_model=ReviewView, responses=CHANGE)
async def record_review(
    review_id: ReviewId, body: ReviewOutcomeIn, principal: Supervisor, supervision: Supervision
) -> ReviewView:
    """回头看's outcome, once: `kept`, or `fell_short` with the rectification ordered (责成整改),
    which reopens the case on a new deadline under the same units."""
    return await supervision.record_review(review_id, body, principal)


@router.get(
    "/v1/supervision/promises",
    response_model=list[ReviewView],
    responses={**PAGED, **problem_responses(401, 403, 422)},
)
async def promises(
    request: Request,
    response: Response,
    principal: Supervisor,
    division: ScopedDivision,
    supervision: Supervision,
    limit: Limit = 100,
    after: Cursor = None,
):
    """答复承诺解决事项台账: every promised item of the replies in the division, by promised date, with
    whether its follow-up review found it kept."""
    page = await supervision.reviews(division, None, "promised", limit, after)
    return items_with_next_link(request, response, page)
