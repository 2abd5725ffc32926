"""Photos of items, uploaded before the item that references them (at most 3 per item).

The bytes go between the caller and intake's own HTTP entrypoint (`PhotoFiles`), never through the
broker; who may upload or see a photo is decided here, from what intake answers over RPC.
An upload is read here in memory (at most 10 MB and a little multipart framing, never spooled to
disk: the gateway's filesystem is read-only in Kubernetes) and refused as soon as it is too large.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.responses import StreamingResponse
from python_multipart import MultipartParser
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import parse_options_header
from starlette.background import BackgroundTask

from contracts.actor import Actor
from contracts.intake.photos import (
    MAX_PHOTO_BYTES,
    PUBLIC_UPLOADER,
    PhotoInfo,
    PhotoPolicy,
    PhotoPolicyIn,
    PhotoUploaded,
)
from contracts.vocabulary import DIVISION_CODE, Role
from gateway.auth import require_scope
from gateway.clients import PhotoFiles
from gateway.deps import Admin, CaseReader, Divisions, Intake, administered, allowed, running_platform
from gateway.problems import PROBLEM_JSON, Problem, problem_responses
from gateway.rate_limit import enforce_public_rate_limit

router = APIRouter(prefix="/v1", tags=["photos"])

# who enters items (as POST /v1/opinions): stations, information officers, deputies, county systems
Uploader = allowed(Role.STATION, Role.INFO_OFFICER, Role.DEPUTY, Role.COUNTY_SYSTEM)
PhotoId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{8,64}$", examples=["Zx3p9Qd0mB1vYw7kL2sT8a"])]
FRAMING_BYTES = 64 * 1024  # multipart boundaries and part headers around the file
FIELD = "file"

UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": [FIELD],
                    "properties": {
                        FIELD: {
                            "type": "string",
                            "format": "binary",
                            "description": "JPEG、PNG 或 WebP，最大 10 MB / at most 10 MB",
                        }
                    },
                }
            }
        },
    }
}
TOO_LARGE = {
    413: {
        "description": "照片超过 10 MB / the photo is larger than 10 MB",
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}},
    }
}
IMAGE = {
    200: {
        "description": "去除元数据后的照片 / the photo, metadata stripped",
        "content": {"image/jpeg": {}, "image/png": {}, "image/webp": {}},
    }
}


async def photo_files(request: Request) -> PhotoFiles:
    """The gateway's one client of intake's HTTP entrypoint (`INTAKE_HTTP_URL`)."""
    return running_platform(request).photo_files


Files = Annotated[PhotoFiles, Depends(photo_files)]


def too_large() -> Problem:
    return Problem(413, "照片过大", f"照片不能超过 10 MB (a photo may have at most {MAX_PHOTO_BYTES} bytes)", FIELD)


def bad_upload(detail: str) -> Problem:
    return Problem(422, "请求参数不合法", detail, FIELD)


class FilePart:
    """Keeps the `file` part of a multipart body as python-multipart parses it; other parts are dropped."""

    def __init__(self):
        self.data = bytearray()
        self.count = 0
        self._in_file = False
        self._header, self._value, self._disposition = b"", b"", b""

    def callbacks(self) -> dict:
        return {
            "on_part_begin": self.on_part_begin,
            "on_header_field": lambda data, start, end: self._add("_header", data[start:end]),
            "on_header_value": lambda data, start, end: self._add("_value", data[start:end]),
            "on_header_end": self.on_header_end,
            "on_headers_finished": self.on_headers_finished,
            "on_part_data": self.on_part_data,
        }

    def _add(self, name: str, piece: bytes) -> None:
        setattr(self, name, getattr(self, name) + piece)

    def on_part_begin(self) -> None:
        self._in_file, self._disposition = False, b""

    def on_header_end(self) -> None:
        if self._header.lower() == b"content-disposition":
            self._disposition = self._value
        self._header, self._value = b"", b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._disposition)
        self._in_file = options.get(b"name") == FIELD.encode()
        if self._in_file:
            self.count += 1
            if self.count > 1:
                raise bad_upload("每次只能上传一张照片 (one photo per upload)")

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._in_file:
            self.data += data[start:end]
            if len(self.data) > MAX_PHOTO_BYTES:
                raise too_large()


async def read_photo(request: Request) -> bytes:
    """The bytes of the multipart field `file`; 413 as soon as the body proves too large, 422 if absent."""
    kind, options = parse_options_header(request.headers.get("content-type", ""))
    if kind != b"multipart/form-data" or b"boundary" not in options:
        raise bad_upload("请以 multipart/form-data 上传，字段名为 file (send multipart/form-data with a field 'file')")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_PHOTO_BYTES + FRAMING_BYTES:
        raise too_large()
    part = FilePart()
    parser = MultipartParser(options[b"boundary"], part.callbacks())
    received = 0
    try:
        async for chunk in request.stream():
            received += len(chunk)
            if received > MAX_PHOTO_BYTES + FRAMING_BYTES:
                raise too_large()
            parser.write(chunk)
        parser.finalize()
    except FormParserError:
        raise bad_upload("multipart 请求体格式不正确 (malformed multipart body)") from None
    if not part.count or not part.data:
        raise bad_upload("缺少照片文件（字段 file） (no photo in the field 'file')")
    return bytes(part.data)


@router.post(
    "/public/photos",
    status_code=201,
    response_model=PhotoUploaded,
    responses={**problem_responses(422, 429, 503), **TOO_LARGE},
    openapi_extra=UPLOAD_BODY,
)
async def upload_public_photo(request: Request, files: Files) -> PhotoUploaded:
    """A citizen's photo, before submitting the item that references it by `id` (`photos` of
    POST /v1/public/opinions). JPEG, PNG or WebP judged by content, at most 10 MB; stored without
    EXIF or other metadata (GPS position above all). An upload no item references within a day is deleted."""
    enforce_public_rate_limit(request, running_platform(request).public_limiter)
    return await files.upload(await read_photo(request), PUBLIC_UPLOADER)


@router.post(
    "/photos",
    status_code=201,
    response_model=PhotoUploaded,
    responses={**problem_responses(401, 403, 422, 503), **TOO_LARGE},
    openapi_extra=UPLOAD_BODY,
)
async def upload_photo(request: Request, principal: Uploader, files: Files) -> PhotoUploaded:
    """A photo for an item staff enter (POST /v1/opinions), with the same checks as the public upload.
    Until an item references it, only the key that uploaded it may fetch it."""
    return await files.upload(await read_photo(request), principal.key_id)


def check_staff_may_see(photo: PhotoInfo, principal: Actor) -> None:
    """Staff see the photos of items within their scope; an unattached upload, only its uploader."""
    if photo.tracking_code is None or photo.division is None:
        if photo.uploaded_by != principal.key_id:
            raise Problem(404, "未找到", f"No photo {photo.id} that this key may see", "photo_id")
        return
    require_scope(principal, photo.division)


async def streamed(photo: PhotoInfo, files: PhotoFiles, cache_control: str) -> StreamingResponse:
    answer = await files.download(photo.id)
    headers = {
        "Content-Length": answer.headers.get("content-length", str(photo.size)),
        "Cache-Control": cache_control,
        "X-Content-Type-Options": "nosniff",
        "Content-Disposition": f'inline; filename="{photo.id}.{photo.content_type.value.split("/")[1]}"',
    }
    return StreamingResponse(
        answer.aiter_bytes(),
        media_type=photo.content_type.value,
        headers=headers,
        background=BackgroundTask(answer.aclose),
    )


@router.get(
    "/photos/{photo_id}",
    response_class=Response,
    responses={**IMAGE, **problem_responses(401, 403, 404, 503)},
)
async def staff_photo(photo_id: PhotoId, principal: CaseReader, intake: Intake, files: Files) -> Response:
    """A photo for staff whose scope covers its item's division (or, before an item references it, for
    the key that uploaded it)."""
    photo = await intake.photo(photo_id)
    check_staff_may_see(photo, principal)
    return await streamed(photo, files, "private, max-age=3600")


@router.get(
    "/public/photos/{photo_id}",
    response_class=Response,
    responses={**IMAGE, **problem_responses(404, 503)},
)
async def public_photo(photo_id: PhotoId, intake: Intake, divisions: Divisions, files: Files) -> Response:
    """A photo of an item, for anyone, only where the item's division shows photos publicly
    (PUT /v1/admin/divisions/{code}/photo-policy); 404 otherwise, as for an unknown photo."""
    photo = await intake.photo(photo_id)
    if photo.division is None or not await divisions.public_photos(photo.division):
        raise Problem(404, "未找到", f"No public photo {photo_id}", "photo_id")
    return await streamed(photo, files, "public, max-age=300")


@router.put(
    "/admin/divisions/{code}/photo-policy",
    response_model=PhotoPolicy,
    responses=problem_responses(401, 403, 422),
)
async def set_photo_policy(
    code: Annotated[str, Path(pattern=DIVISION_CODE.pattern, examples=["330481"])],
    body: PhotoPolicyIn,
    principal: Admin,
    divisions: Divisions,
) -> PhotoPolicy:
    """Whether the public view shows photos of items in this division and the divisions below it that
    have no setting of their own (default: no). Other gateway replicas apply it within a minute."""
    await administered(principal, divisions, code, "code")
    await divisions.set_public_photos(code, body.public_photos)
    return PhotoPolicy(division=code, public_photos=body.public_photos)
