"""Citizens' side, no account needed: submit an opinion, follow it by its tracking code."""

import re
import secrets
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from prometheus_client import Counter

from contracts.events import SubmitOpinion
from contracts.rpc import PublicOpinionView, StationView
from contracts.vocabulary import DIVISION_CODE
from gateway.idempotency import HEADER as IDEMPOTENCY_HEADER
from gateway.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent
from gateway.json_body import openapi_request_body, read_json
from gateway.platform import Platform, PlatformDep
from gateway.problems import Problem
from gateway.rate_limit import enforce_public_rate_limit
from gateway.schemas import OpinionAccepted, OpinionIn
from infra.clock import utc_now
from infra.logs import correlation_id

router = APIRouter(prefix="/v1/public", tags=["public"])

# Crockford's base32 without I, L, O, U: unambiguous when read out over the phone.
TRACKING_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TRACKING_CODE = re.compile(rf"^[{TRACKING_ALPHABET}]{{4}}-[{TRACKING_ALPHABET}]{{4}}-[{TRACKING_ALPHABET}]{{4}}$")
SUBMISSIONS = Counter("public_opinion_submissions_total", "Opinions accepted at the gateway", ["channel"])


def new_tracking_code() -> str:
    """60 random bits as 12 base32 characters: unguessable, since the code alone shows the item."""
    value = secrets.randbits(60)
    chars = "".join(TRACKING_ALPHABET[(value >> shift) & 31] for shift in range(55, -5, -5))
    return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}"


@router.post(
    "/opinions",
    status_code=202,
    response_model=OpinionAccepted,
    responses={429: {"description": "提交过于频繁 / too many submissions from this address"}},
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
    command = SubmitOpinion(
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


@router.get("/opinions/{tracking_code}", response_model=PublicOpinionView)
async def track_opinion(tracking_code: Annotated[str, Path(max_length=20)], platform: PlatformDep) -> PublicOpinionView:
    code = tracking_code.upper()
    if not TRACKING_CODE.match(code):
        raise Problem(422, "查询编号格式不正确", "Tracking codes look like 7K3P-9XTA-2MQD", "tracking_code")
    return PublicOpinionView.model_validate(await platform.broker.call("intake", "public_view", tracking_code=code))


@router.get("/stations", response_model=list[StationView])
async def stations(
    division: Annotated[str, Query(pattern=DIVISION_CODE.pattern)], platform: PlatformDep
) -> list[StationView]:
    """Liaison stations of a division and below, with the deputies who receive there."""
    return await platform.broker.call("intake", "stations", division_prefix=division)
