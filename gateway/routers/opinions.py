"""Opinions: citizens submit and follow them without an account; staff read one with its contact."""

import re
import secrets
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from prometheus_client import Counter

from contracts.intake.opinions import PublicOpinionView, StaffOpinionView, SubmitOpinion
from gateway.auth import require_scope
from gateway.deps import CaseReader, Intake
from gateway.idempotency import HEADER as IDEMPOTENCY_HEADER
from gateway.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent
from gateway.json_body import openapi_request_body, read_json
from gateway.platform import Platform
from gateway.problems import Problem, problem_responses
from gateway.rate_limit import enforce_public_rate_limit
from gateway.schemas import OpinionAccepted, OpinionIn
from infra.clock import utc_now
from infra.logs import correlation_id

router = APIRouter(prefix="/v1", tags=["opinions"])

# Crockford's base32 without I, L, O, U: unambiguous when read out over the phone.
TRACKING_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TRACKING_CODE = re.compile(rf"^[{TRACKING_ALPHABET}]{{4}}-[{TRACKING_ALPHABET}]{{4}}-[{TRACKING_ALPHABET}]{{4}}$")
SUBMISSIONS = Counter("public_opinion_submissions_total", "Opinions accepted at the gateway", ["channel"])

TrackingCode = Annotated[str, Path(max_length=20, examples=["7K3P-9XTA-2MQD"])]


def new_tracking_code() -> str:
    """60 random bits as 12 base32 characters: unguessable, since the code alone shows the item."""
    value = secrets.randbits(60)
    chars = "".join(TRACKING_ALPHABET[(value >> shift) & 31] for shift in range(55, -5, -5))
    return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}"


def checked_code(tracking_code: str) -> str:
    code = tracking_code.upper()
    if not TRACKING_CODE.match(code):
        raise Problem(422, "查询编号格式不正确", "Tracking codes look like 7K3P-9XTA-2MQD", "tracking_code")
    return code


@router.post(
    "/public/opinions",
    status_code=202,
    response_model=OpinionAccepted,
    responses=problem_responses(400, 409, 415, 422, 429, 503),
    openapi_extra={**openapi_request_body(OpinionIn), "parameters": [IDEMPOTENCY_KEY_PARAMETER]},
)
async def submit_opinion(request: Request) -> Response:
    """Accepted (202) once the broker has stored it; a retry with the same Idempotency-Key gets the same code.

    The busiest endpoint, so it reads its body, header and platform from the request itself:
    FastAPI's dependency solving cost as much CPU as the rest of the route (see json_body).
    """
    platform: Platform = request.app.state.platform
    enforce_public_rate_limit(request, platform.public_limiter)
    body = await read_json(request, OpinionIn)
    idempotency_key = request.headers.get(IDEMPOTENCY_HEADER)
    if idempotency_key is None:
        return accepted_response(await accept_opinion(body, platform))
    async with idempotent(platform.idempotency, "public-opinion", idempotency_key, body) as outcome:
        if outcome.replay:
            return accepted_response(OpinionAccepted.model_validate(outcome.replay))
        accepted = await accept_opinion(body, platform)
        outcome.response = accepted.model_dump()
    return accepted_response(accepted)


def accepted_response(accepted: OpinionAccepted) -> Response:
    return Response(accepted.model_dump_json(), status_code=202, media_type="application/json")


async def accept_opinion(body: OpinionIn, platform: Platform) -> OpinionAccepted:
    if await platform.divisions.get(body.division) is None:
        raise Problem(422, "未知的行政区划", f"Division {body.division} is not served by this platform", "division")
    contact = platform.cipher.seal(body.contact.name, body.contact.phone) if body.contact else None
    # built from input validated just above, so it skips a second validation on this hot path
    command = SubmitOpinion.model_construct(
        tracking_code=new_tracking_code(),
        division=body.division,
        channel=body.channel,
        content=body.content,
        submitted_at=utc_now(),
        contact=contact,
    )
    await platform.broker.send_command(command.envelope(body.division, correlation_id.get()))
    SUBMISSIONS.labels(body.channel.value).inc()
    return OpinionAccepted(
        tracking_code=command.tracking_code, status_url=f"/v1/public/opinions/{command.tracking_code}"
    )


@router.get(
    "/public/opinions/{tracking_code}",
    response_model=PublicOpinionView,
    responses=problem_responses(404, 422),
)
async def track_opinion(tracking_code: TrackingCode, intake: Intake) -> PublicOpinionView:
    """Progress of an item for whoever holds its tracking code: never the citizen's contact."""
    return await intake.public_view(checked_code(tracking_code))


@router.get(
    "/opinions/{tracking_code}",
    response_model=StaffOpinionView,
    responses=problem_responses(401, 403, 404),
)
async def staff_opinion(tracking_code: TrackingCode, principal: CaseReader, intake: Intake) -> StaffOpinionView:
    """One item with the citizen's contact, for staff whose scope covers its division: in full for
    the staff who call back (stations, information officers), masked for everyone else."""
    view = await intake.staff_view(tracking_code.upper(), principal)
    require_scope(principal, view.division)
    return view
