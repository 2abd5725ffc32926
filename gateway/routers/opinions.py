"""Opinions: citizens submit and follow them without an account; staff read one with its contact."""

import re
import secrets
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from prometheus_client import Counter

from contracts.intake.evaluation_codes import EvaluatorProofIn
from contracts.intake.opinions import (
    STAFF_CHANNELS,
    ContactErasedView,
    EraseContactIn,
    OpinionReceipt,
    PublicOpinionView,
    StaffOpinionView,
    SubmitOpinion,
)
from contracts.supervision import EvaluationIn, EvaluationView, PublicEvaluationIn
from contracts.vocabulary import Role
from gateway.auth import require_scope
from gateway.clients import IntakeClient
from gateway.deps import CaseReader, Divisions, Intake, PlatformDep, Supervision, allowed
from gateway.idempotency import HEADER as IDEMPOTENCY_HEADER
from gateway.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent
from gateway.json_body import openapi_request_body, read_json
from gateway.platform import Platform
from gateway.problems import Problem, problem_responses
from gateway.rate_limit import enforce_public_rate_limit
from gateway.schemas import OpinionAccepted, OpinionIn, StaffOpinionIn
from infra.clock import utc_now
from infra.logs import correlation_id

router = APIRouter(prefix="/v1", tags=["opinions"])

# Crockford's base32 without I, L, O, U: unambiguous when read out over the phone.
TRACKING_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TRACKING_CODE = re.compile(rf"^[{TRACKING_ALPHABET}]{{4}}-[{TRACKING_ALPHABET}]{{4}}-[{TRACKING_ALPHABET}]{{4}}$")
SUBMISSIONS = Counter("public_opinion_submissions_total", "Opinions accepted at the gateway", ["channel"])

Submitter = allowed(Role.STATION, Role.INFO_OFFICER, Role.DEPUTY, Role.COUNTY_SYSTEM)
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
    if body.deputy_id or body.station_id:
        kind = "deputy" if body.deputy_id else "station"
        await platform.references.check_receiver(kind, body.deputy_id or body.station_id, body.division)
    if body.category:
        await platform.references.check_category(body.category, body.division)
    if body.photos:
        await check_photos(platform.intake, body.photos)
    contact = platform.cipher.seal(body.contact.name, body.contact.phone) if body.contact else None
    # built from input validated just above, so it skips a second validation on this hot path
    command = SubmitOpinion.model_construct(
        tracking_code=new_tracking_code(),
        division=body.division,
        channel=body.channel,
        content=body.content,
        submitted_at=utc_now(),
        contact=contact,
        category=body.category,
        details=body.details(),
        grid_id=None,
        photos=body.photos,
        entered_by=None,
    )
    await platform.broker.send_command(command.envelope(body.division, correlation_id.get()))
    SUBMISSIONS.labels(body.channel.value).inc()
    return OpinionAccepted(
        tracking_code=command.tracking_code, status_url=f"/v1/public/opinions/{command.tracking_code}"
    )


async def check_photos(intake: IntakeClient, photos: list[str]) -> None:
    unknown = await intake.unknown_photos(photos)
    if unknown:
        raise Problem(422, "照片不存在或已被使用", f"Unknown or already used photos: {', '.join(unknown)}", "photos")


@router.post(
    "/opinions",
    status_code=201,
    response_model=OpinionReceipt,
    responses={
        200: {"model": OpinionReceipt, "description": "县级系统编号此前已导入 / seen before: the stored item"},
        **problem_responses(400, 401, 403, 409, 422, 503),
    },
    openapi_extra={"parameters": [IDEMPOTENCY_KEY_PARAMETER]},
)
async def enter_opinion(
    body: StaffOpinionIn,
    principal: Submitter,
    intake: Intake,
    platform: PlatformDep,
    request: Request,
    response: Response,
) -> OpinionReceipt:
    """An item entered by staff from a visit, a meeting, the hotline, a mailbox, a grid officer or a
    deputy, or sent by a county system (201 with its tracking code and case number).

    Each role uses its own channels (a station: station_visit, village_meeting, mailbox, hotline; an
    information officer: grid_officer; a deputy: deputy; a county system: county_system). The
    station, deputy, grid, reception session and category are checked before anything is stored.
    """
    if body.details.channel not in STAFF_CHANNELS.get(principal.role, frozenset()):
        raise Problem(
            403,
            "该角色不能使用此渠道",
            f"Role {principal.role.value} may not use {body.details.channel}",
            "details.channel",
        )
    require_scope(principal, body.division)
    if body.photos:
        await check_photos(intake, body.photos)
    command = SubmitOpinion(
        tracking_code=new_tracking_code(),
        division=body.division,
        channel=body.details.channel,
        content=body.content,
        submitted_at=utc_now(),
        contact=platform.cipher.seal(body.contact.name, body.contact.phone) if body.contact else None,
        category=body.category,
        details=body.details,
        grid_id=body.grid_id,
        photos=body.photos,
        entered_by=principal.label,
    )
    idempotency_key = request.headers.get(IDEMPOTENCY_HEADER)
    if idempotency_key is None:
        receipt = await intake.submit_staff_opinion(command, principal)
    else:
        async with idempotent(
            platform.idempotency, f"staff-opinion:{principal.key_id}", idempotency_key, body
        ) as outcome:
            if outcome.replay:
                receipt = OpinionReceipt.model_validate(outcome.replay)
            else:
                receipt = await intake.submit_staff_opinion(command, principal)
                outcome.response = receipt.model_dump(mode="json")
    response.status_code = 200 if receipt.duplicate else 201
    return receipt


@router.post(
    "/public/opinions/{tracking_code}/erase-contact",
    response_model=ContactErasedView,
    responses=problem_responses(403, 404, 422, 429, 503),
)
async def erase_contact(
    tracking_code: TrackingCode, body: EraseContactIn, request: Request, platform: PlatformDep, intake: Intake
) -> ContactErasedView:
    """个人信息删除 (PIPL 删除权): the citizen who gave a phone number proves it with its last four digits,
    and their name and phone are erased. The item stays, anonymised. Five wrong tries lock the code."""
    enforce_public_rate_limit(request, platform.public_limiter)
    return await intake.erase_contact(checked_code(tracking_code), body)


@router.post(
    "/public/opinions/{tracking_code}/evaluation",
    response_model=EvaluationView,
    status_code=201,
    responses=problem_responses(403, 404, 409, 422, 429, 503),
)
async def evaluate_opinion(
    tracking_code: TrackingCode,
    body: PublicEvaluationIn,
    request: Request,
    platform: PlatformDep,
    intake: Intake,
    supervision: Supervision,
) -> EvaluationView:
    """满意度测评 without an account: the citizen proves the item is theirs with the one-time code sent
    to their phone (`POST .../evaluation-code`) or the last four digits of that phone, and rates the
    reply once. Wrong tries count per code and per client address; past either limit even the right
    proof is refused. Unsatisfied reopens the case (不满意件再办理) until the re-handling limit, after
    which the case goes on the key supervision list instead."""
    enforce_public_rate_limit(request, platform.public_limiter)
    code = checked_code(tracking_code)
    if bool(body.one_time_code) == bool(body.phone_last_four):
        raise Problem(
            422, "请提供验证码或手机号后四位之一", "Give either one_time_code or phone_last_four", "phone_last_four"
        )
    address = request.client.host if request.client else "unknown"
    proof = await intake.prove_evaluator(
        code, EvaluatorProofIn(one_time_code=body.one_time_code, phone_last_four=body.phone_last_four), address
    )
    evaluation = EvaluationIn.model_validate(body.model_dump(exclude={"phone_last_four", "one_time_code"}))
    return await supervision.evaluate_as_citizen(proof.case_id, evaluation)


@router.get(
    "/public/opinions/{tracking_code}",
    response_model=PublicOpinionView,
    responses=problem_responses(404, 422),
)
async def track_opinion(tracking_code: TrackingCode, intake: Intake, divisions: Divisions) -> PublicOpinionView:
    """Progress of an item for whoever holds its tracking code: never the citizen's contact; its
    photos only where the division shows photos publicly."""
    view = await intake.public_view(checked_code(tracking_code))
    if view.photos and not await divisions.public_photos(view.division):
        view.photos = []
    return view


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
