"""The public portal: no account, phones first. The QR landing with its submission form, the
receipt, tracking by code and the reception schedule of the stations.

A submission goes the way of `POST /v1/public/opinions` (`accept_opinion`: the same checks, the same
rate limit, the same durable command); its photos go the way of `POST /v1/public/photos`.
"""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartParser

from contracts.errors import ErrorCode, ServiceError
from contracts.intake.photos import MAX_PHOTO_BYTES, PUBLIC_UPLOADER
from contracts.vocabulary import DIVISION_CODE, ENTITY_ID
from gateway.deps import Divisions, Intake, running_platform
from gateway.pages.core import FormErrors, PageProblem, check_csrf, form_errors, render
from gateway.problems import Problem
from gateway.rate_limit import enforce_public_rate_limit
from gateway.routers import directory
from gateway.routers.opinions import accept_opinion, checked_code
from gateway.schemas import OpinionIn

router = APIRouter(include_in_schema=False)

MAX_PHOTOS = 3
Division = Annotated[str, Path(pattern=DIVISION_CODE.pattern)]
ReceiverQuery = Annotated[str | None, Query(max_length=64, pattern=ENTITY_ID.pattern)]
# the API's field → the form's
FORM_FIELDS = {
    "content": "content",
    "category": "category",
    "photos": "photos",
    "contact": "contact_phone",
    "contact.phone": "contact_phone",
    "contact.name": "contact_name",
    "consent": "consent",
}
TYPED = ("content", "category", "contact_name", "contact_phone")


# three photos and the form's fields, with room for the multipart framing
MAX_SUBMISSION_BYTES = MAX_PHOTOS * MAX_PHOTO_BYTES + 256 * 1024


class InMemoryMultiPartParser(MultiPartParser):
    """Starlette's parser, keeping a photo in memory rather than spooling it to a temporary file: the
    gateway's filesystem is read-only in Kubernetes. The body is bounded before parsing (`bounded`)."""

    spool_max_size = MAX_PHOTO_BYTES + 1


async def bounded(request: Request):
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > MAX_SUBMISSION_BYTES:
            raise Problem(413, "照片过大", "照片每张不能超过 10 MB，最多 3 张", "photos")
        yield chunk


async def submission_form(request: Request):
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        return await request.form(max_files=0, max_fields=20)
    parser = InMemoryMultiPartParser(request.headers, bounded(request), max_files=MAX_PHOTOS + 1, max_fields=20)
    return await parser.parse()


def wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


@router.get("/")
async def home(request: Request):
    return render(request, "portal/home.html")


async def landing_context(intake, divisions, division: str, deputy: str | None, station: str | None) -> dict:
    place = await divisions.get(division)
    if place is None:
        raise PageProblem(404, "未找到该地区", f"本平台没有行政区划 {division}。")
    receiver = None
    if deputy or station:
        kind, receiver_id = ("deputy", deputy) if deputy else ("station", station)
        receiver = await intake.receiver(kind, receiver_id)
        if receiver.division[:6] != division[:6]:
            raise PageProblem(404, "未找到接收人", "二维码中的代表或联络站不存在或已停用。")
    categories = (await intake.categories(division)).names
    return {"division": division, "place": place["name"], "receiver": receiver, "categories": categories}


@router.get("/s/{division}")
async def landing(
    request: Request,
    division: Division,
    intake: Intake,
    divisions: Divisions,
    deputy: ReceiverQuery = None,
    station: ReceiverQuery = None,
):
    """What a deputy's or station's QR code opens: the receiver and the form. A client that does not
    ask for HTML gets the API's JSON answer, as before the pages existed."""
    if not wants_html(request):
        return await directory.qr_landing(division, intake, deputy, station)
    context = await landing_context(intake, divisions, division, deputy, station)
    return render(request, "portal/submit.html", form={}, errors=FormErrors(), **context)


def opinion_fields(division: str, form, receiver) -> dict:
    name, phone = (str(form.get(key, "")).strip() for key in ("contact_name", "contact_phone"))
    body = {
        "division": division,
        "channel": "qr" if receiver else "web",
        "content": str(form.get("content", "")),
        "category": str(form.get("category", "")) or None,
        "contact": {"name": name or None, "phone": phone} if name or phone else None,
    }
    if receiver:
        body[f"{receiver.kind}_id"] = receiver.id
    return body


async def upload_photos(request: Request, files: list[UploadFile]) -> list[str]:
    photo_files = running_platform(request).photo_files
    ids = []
    for upload in files:
        data = await upload.read(MAX_PHOTO_BYTES + 1)
        if len(data) > MAX_PHOTO_BYTES:
            raise Problem(413, "照片过大", f"照片“{upload.filename}”超过 10 MB", "photos")
        ids.append((await photo_files.upload(data, PUBLIC_UPLOADER)).id)
    return ids


@router.post("/s/{division}")
async def submit(
    request: Request,
    division: Division,
    intake: Intake,
    divisions: Divisions,
    deputy: ReceiverQuery = None,
    station: ReceiverQuery = None,
):
    platform = running_platform(request)
    form = await submission_form(request)
    check_csrf(request, form)
    context = await landing_context(intake, divisions, division, deputy, station)
    typed = {key: str(form.get(key, "")) for key in TYPED}
    files = [f for f in form.getlist("photos") if isinstance(f, UploadFile) and f.filename]
    body = opinion_fields(division, form, context["receiver"])
    errors = FormErrors()
    try:
        OpinionIn.model_validate(body)
    except ValidationError as error:
        errors = form_errors(error, FORM_FIELDS)
    if len(files) > MAX_PHOTOS:
        errors.fields["photos"] = f"最多上传 {MAX_PHOTOS} 张照片"
    if body["contact"] and form.get("consent") != "yes":
        errors.fields["consent"] = "留下联系方式前，请阅读并同意《个人信息处理告知》"
    if not errors:
        try:
            enforce_public_rate_limit(request, platform.public_limiter)
            photos = await upload_photos(request, files)
            accepted = await accept_opinion(OpinionIn.model_validate({**body, "photos": photos}), platform)
            return RedirectResponse(f"/receipt/{accepted.tracking_code}", status_code=303)
        except (Problem, ServiceError) as refusal:
            errors = form_errors(refusal, FORM_FIELDS)
    if files and "photos" not in errors.fields:
        errors.fields["photos"] = "为安全起见，照片需要重新选择"
    return render(request, "portal/submit.html", status_code=422, form=typed, errors=errors, **context)


@router.get("/receipt/{tracking_code}")
async def receipt(request: Request, tracking_code: Annotated[str, Path(max_length=20)]):
    try:
        code = checked_code(tracking_code)
    except Problem as problem:
        raise PageProblem(404, "查询编号格式不正确", problem.detail) from problem
    return render(request, "portal/receipt.html", code=code)


@router.get("/track")
async def track(request: Request, code: Annotated[str | None, Query(max_length=20)] = None):
    """Tracking by code: the timeline of states, the unit, the due date and the reply. Never the
    citizen's contact, nor photos (the public view shows them only where a division allows it)."""
    if not code:
        return render(request, "portal/track.html", code="", view=None, errors={})
    try:
        view = await running_platform(request).intake.public_view(checked_code(code))
    except Problem as problem:
        return render(request, "portal/track.html", 422, code=code, view=None, errors={"code": problem.title})
    except ServiceError as error:
        if error.code is not ErrorCode.NOT_FOUND:
            raise
        message = "没有找到这个查询编号的事项；刚提交的事项请稍等片刻再查"
        return render(request, "portal/track.html", 404, code=code, view=None, errors={"code": message})
    return render(request, "portal/track.html", code=view.tracking_code, view=view, errors={})


@router.get("/receptions")
async def receptions(request: Request, division: Annotated[str | None, Query(max_length=12)] = None):
    """The stations of a division and the announced reception sessions (接待公告)."""
    if not division:
        return render(request, "portal/receptions.html", division="", stations=None, sessions=None, errors={})
    if not DIVISION_CODE.match(division):
        errors = {"division": "行政区划代码应为 6、9 或 12 位数字"}
        return render(
            request, "portal/receptions.html", 422, division=division, stations=None, sessions=None, errors=errors
        )
    platform = running_platform(request)
    place = await platform.divisions.get(division)
    if place is None:
        errors = {"division": f"本平台没有行政区划 {division}"}
        return render(
            request, "portal/receptions.html", 404, division=division, stations=None, sessions=None, errors=errors
        )
    stations = (await platform.intake.stations(division, 100, None)).items
    sessions = (await platform.intake.public_receptions(division, 100, None)).items
    return render(
        request,
        "portal/receptions.html",
        division=division,
        place=place["name"],
        stations=stations,
        sessions=sessions,
        errors={},
    )
