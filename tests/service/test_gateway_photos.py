"""The photo routes with a fake broker and a fake intake HTTP entrypoint (an httpx MockTransport that
cleans photos with intake's real code): roles and scopes, content sniffing, size limits, the public
setting per division, and the division store that keeps it."""

import asyncio
import io
import json
import secrets
from types import SimpleNamespace

import httpx
import pytest
from PIL import Image

from contracts.errors import ServiceError
from contracts.vocabulary import Role
from gateway import deps
from gateway.clients import PhotoFiles
from gateway.db import AwaitableCollection
from gateway.rate_limit import RateLimiter
from gateway.routers.photos import photo_files
from gateway.stores import DivisionStore
from infra.embedded import EmbeddedClient
from services.intake.photos.http import error_response
from services.intake.photos.image import clean_photo
from tests.factories import actor, photo_bytes
from tests.service.test_gateway_routers import FakeDivisions, Gateway

UPLOADERS = {Role.STATION, Role.INFO_OFFICER, Role.DEPUTY, Role.COUNTY_SYSTEM}
READERS = {Role.STATION, Role.INFO_OFFICER, Role.SUPERVISOR, Role.DEPUTY, Role.HANDLER, Role.COUNTY_SYSTEM}


class FakeIntakeFiles:
    """intake's photo entrypoint and `photo` RPC from memory, with intake's own cleaning."""

    def __init__(self):
        self.photos: dict[str, dict] = {}
        self.requests: list[httpx.Request] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.method == "POST":
            try:
                photo = clean_photo(request.content)
            except ServiceError as error:
                refusal = error_response(error)
                return httpx.Response(refusal.status_code, content=refusal.get_data())
            photo_id = secrets.token_urlsafe(16)
            info = {
                "id": photo_id,
                "content_type": photo.content_type.value,
                "size": len(photo.data),
                "width": photo.width,
                "height": photo.height,
            }
            self.photos[photo_id] = {
                **info,
                "data": photo.data,
                "uploaded_at": "2026-11-23T02:00:00Z",
                "uploaded_by": request.headers["x-uploaded-by"],
                "tracking_code": None,
                "division": None,
            }
            return httpx.Response(201, json=info)
        photo = self.photos.get(request.url.path.rsplit("/", 1)[1])
        if photo is None:
            return httpx.Response(404, json={"code": "not_found", "detail": "照片不存在", "field": "photo_id"})
        return httpx.Response(200, content=photo["data"], headers={"content-type": photo["content_type"]})

    def info(self, kw: dict) -> dict:
        photo = self.photos.get(kw["photo_id"])
        if photo is None:
            raise ServiceError("not_found", "照片不存在 (no photo)", "photo_id")
        return {k: v for k, v in photo.items() if k != "data"}

    def attach(self, photo_id: str, division: str = "330481001") -> None:
        self.photos[photo_id].update(tracking_code="7K3P-9XTA-2MQD", division=division)

    def uploads(self) -> int:
        return sum(request.method == "POST" for request in self.requests)


class PhotoDivisions(FakeDivisions):
    public: dict[str, bool] = {}

    async def set_public_photos(self, code: str, public: bool) -> None:
        PhotoDivisions.public = {**self.public, code: public}

    async def public_photos(self, division: str) -> bool:
        return any(self.public.get(division[:n], False) for n in (12, 9, 6))


class PhotoGateway(Gateway):
    def __init__(self):
        super().__init__()
        self.intake = FakeIntakeFiles()
        self.broker.answers[("intake", "photo")] = self.intake.info
        PhotoDivisions.public = {}
        transport = httpx.MockTransport(self.intake.handle)
        self.app.dependency_overrides[photo_files] = lambda: PhotoFiles("http://intake", transport=transport)
        self.app.dependency_overrides[deps.division_store] = PhotoDivisions
        self.app.state.platform = SimpleNamespace(public_limiter=None)

    def as_key(self, key_id: str, role: Role, method: str, url: str, **kwargs) -> httpx.Response:
        original = deps.current_principal
        self.app.dependency_overrides[original] = lambda: actor(key_id=key_id, role=role, scope="330481")

        async def send():
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
                return await client.request(method, url, **kwargs)

        return asyncio.run(send())

    def upload(self, data: bytes, name: str = "photo.jpg", declared: str = "image/jpeg", **kwargs):
        return self.request("POST", "/v1/photos", Role.STATION, files={"file": (name, data, declared)}, **kwargs)


@pytest.fixture
def gateway():
    return PhotoGateway()


def is_problem(answer: httpx.Response, status: int, field: str) -> bool:
    return (
        answer.status_code == status
        and answer.headers["content-type"] == "application/problem+json"
        and answer.json()["field"] == field
    )


def test_staff_upload_is_for_the_roles_that_enter_items(gateway):
    for role in Role:
        answer = gateway.request("POST", "/v1/photos", role, files={"file": ("a.jpg", photo_bytes(), "image/jpeg")})
        if role in UPLOADERS or role is Role.ADMIN:
            assert answer.status_code == 201, (role, answer.text)
        else:
            assert is_problem(answer, 403, "role"), (role, answer.text)
    assert gateway.intake.uploads() == len(UPLOADERS) + 1


def test_a_photo_loses_its_gps_position_on_the_way_through(gateway):
    uploaded = gateway.upload(photo_bytes("JPEG", gps=True)).json()
    answer = gateway.request("GET", f"/v1/photos/{uploaded['id']}", Role.STATION)
    assert answer.status_code == 200 and answer.headers["content-type"] == "image/jpeg"
    assert answer.headers["x-content-type-options"] == "nosniff"
    image = Image.open(io.BytesIO(answer.content))
    assert len(image.getexif()) == 0 and b"GPS" not in answer.content and len(answer.content) == uploaded["size"]


def test_a_png_named_jpg_is_accepted_as_a_png(gateway):
    answer = gateway.upload(photo_bytes("PNG"), name="photo.jpg", declared="image/jpeg")
    assert answer.status_code == 201
    assert answer.json()["content_type"] == "image/png" and answer.json()["width"] == 64


def test_a_text_file_named_jpg_is_refused_naming_the_file_and_nothing_is_stored(gateway):
    answer = gateway.upload("这是一段文字，不是照片。".encode(), name="photo.jpg", declared="image/jpeg")
    assert is_problem(answer, 422, "file")
    assert answer.json()["detail"].startswith("文件不是")
    assert gateway.intake.photos == {}


def test_an_11_mb_upload_is_refused_before_intake_sees_it(gateway):
    eleven_mb = b"\xff\xd8\xff" + bytes(11 * 2**20)
    answer = gateway.upload(eleven_mb)
    assert is_problem(answer, 413, "file") and "10 MB" in answer.json()["detail"]

    async def chunked():  # no Content-Length: cut off once past the limit
        boundary = b"--b0undary\r\n"
        yield boundary + b'Content-Disposition: form-data; name="file"; filename="big.jpg"\r\n\r\n'
        for _ in range(11):
            yield bytes(2**20)
        yield b"\r\n--b0undary--\r\n"

    answer = gateway.request(
        "POST",
        "/v1/public/photos",
        headers={"content-type": "multipart/form-data; boundary=b0undary"},
        content=chunked(),
    )
    assert is_problem(answer, 413, "file")
    assert gateway.intake.requests == []


@pytest.mark.parametrize(
    ("options", "why"),
    [
        ({"files": {"picture": ("a.jpg", b"x", "image/jpeg")}}, "no field named file"),
        ({"json": {"file": "aGVsbG8="}}, "not multipart"),
        ({"files": {"file": ("a.jpg", b"", "image/jpeg")}}, "empty file"),
    ],
)
def test_an_upload_without_a_photo_in_the_field_file_is_refused(gateway, options, why):
    answer = gateway.request("POST", "/v1/photos", Role.STATION, **options)
    assert is_problem(answer, 422, "file"), why
    assert gateway.intake.requests == []


def test_citizens_upload_without_a_key_within_the_public_rate_limit(gateway):
    gateway.app.dependency_overrides.pop(deps.current_principal)
    gateway.app.state.platform = SimpleNamespace(public_limiter=RateLimiter(2, 60))
    files = {"file": ("a.webp", photo_bytes("WEBP"), "application/octet-stream")}
    first, second, third = (gateway.request("POST", "/v1/public/photos", files=files) for _ in range(3))
    assert first.status_code == second.status_code == 201 and first.json()["content_type"] == "image/webp"
    assert third.status_code == 429 and "retry-after" in third.headers
    assert gateway.intake.uploads() == 2
    uploaded = first.json()["id"]
    assert gateway.intake.photos[uploaded]["uploaded_by"] == "public"
    assert gateway.request("POST", "/v1/photos", files=files).status_code == 401


def test_staff_see_a_photo_of_an_item_in_their_scope(gateway):
    photo_id = gateway.upload(photo_bytes()).json()["id"]
    gateway.intake.attach(photo_id, "330481001")
    url = f"/v1/photos/{photo_id}"
    for role in Role:
        answer = gateway.request("GET", url, role)
        if role in READERS or role is Role.ADMIN:
            assert answer.status_code == 200 and answer.content.startswith(b"\xff\xd8"), role
        else:
            assert is_problem(answer, 403, "role"), role
    for role in {*READERS, Role.ADMIN}:
        assert is_problem(gateway.request("GET", url, role, scope="330482"), 403, "division"), role


def test_before_an_item_takes_it_only_its_uploader_sees_a_photo(gateway):
    photo_id = gateway.upload(photo_bytes()).json()["id"]  # by key 01KEY
    url = f"/v1/photos/{photo_id}"
    assert gateway.as_key("01KEY", Role.STATION, "GET", url).status_code == 200
    assert is_problem(gateway.as_key("01OTHERKEY", Role.SUPERVISOR, "GET", url), 404, "photo_id")
    gateway.intake.attach(photo_id)
    assert gateway.as_key("01OTHERKEY", Role.SUPERVISOR, "GET", url).status_code == 200


def test_an_unknown_or_malformed_photo_id(gateway):
    assert is_problem(gateway.request("GET", "/v1/photos/Zx3p9Qd0mB1vYw7kL2sT8a", Role.STATION), 404, "photo_id")
    calls = len(gateway.broker.calls)
    assert is_problem(gateway.request("GET", "/v1/photos/a..b", Role.STATION), 422, "photo_id")
    assert len(gateway.broker.calls) == calls


def test_the_public_sees_photos_only_where_the_division_allows_it(gateway):
    attached, unattached = (gateway.upload(photo_bytes()).json()["id"] for _ in range(2))
    gateway.app.dependency_overrides.pop(deps.current_principal)
    gateway.intake.attach(attached, "330481001")
    assert is_problem(gateway.request("GET", f"/v1/public/photos/{attached}"), 404, "photo_id")

    gateway.app.dependency_overrides[deps.current_principal] = lambda: actor(role=Role.ADMIN, scope="330481")
    answer = gateway.request("PUT", "/v1/admin/divisions/330481/photo-policy", json={"public_photos": True})
    assert answer.json() == {"division": "330481", "public_photos": True}
    gateway.app.dependency_overrides.pop(deps.current_principal)

    answer = gateway.request("GET", f"/v1/public/photos/{attached}")
    assert answer.status_code == 200 and answer.headers["cache-control"].startswith("public")
    assert is_problem(gateway.request("GET", f"/v1/public/photos/{unattached}"), 404, "photo_id")


def test_only_an_administrator_of_the_division_sets_its_photo_policy(gateway):
    url, body = "/v1/admin/divisions/330481/photo-policy", {"public_photos": True}
    for role in Role:
        answer = gateway.request("PUT", url, role, json=body)
        assert answer.status_code == 200 if role is Role.ADMIN else is_problem(answer, 403, "role"), role
    assert is_problem(gateway.request("PUT", url, Role.ADMIN, scope="330482", json=body), 403, "code")
    assert is_problem(
        gateway.request("PUT", "/v1/admin/divisions/999999/photo-policy", Role.ADMIN, json=body), 403, "code"
    )
    assert is_problem(gateway.request("PUT", "/v1/admin/divisions/33/photo-policy", Role.ADMIN, json=body), 422, "code")
    answer = gateway.request("PUT", url, Role.ADMIN, json={"public_photos": "maybe"})
    assert is_problem(answer, 422, "public_photos")


def test_an_unreachable_intake_is_a_503_problem(gateway):
    def refuse(request):
        raise httpx.ConnectError("connection refused", request=request)

    transport = httpx.MockTransport(refuse)
    gateway.app.dependency_overrides[photo_files] = lambda: PhotoFiles("http://intake", transport=transport)
    answer = gateway.upload(photo_bytes())
    assert answer.status_code == 503 and answer.headers["content-type"] == "application/problem+json"


def test_the_division_store_keeps_the_setting_across_a_rename_and_below_the_division(tmp_path):
    client = EmbeddedClient(tmp_path)
    divisions = DivisionStore(AwaitableCollection(client["gateway"]["divisions"]))

    async def scenario():
        await divisions.save("330481", "海宁市")
        await divisions.save("330481001", "硖石街道")
        assert not await divisions.public_photos("330481001")  # private unless someone says otherwise
        await divisions.set_public_photos("330481", True)
        await divisions.save("330481", "海宁市（县级市）")  # a rename keeps it
        inherited = await divisions.public_photos("330481001")
        await divisions.set_public_photos("330481001", False)
        return inherited, await divisions.public_photos("330481001"), await divisions.public_photos("330481")

    try:
        assert asyncio.run(scenario()) == (True, False, True)
        assert client["gateway"]["divisions"].find_one({"_id": "330481"})["name"] == "海宁市（县级市）"
    finally:
        client.close()


def test_intake_refusals_keep_their_code_and_field(gateway):
    body = json.dumps({"code": "invalid", "detail": "文件不是 JPEG、PNG 或 WebP 图片", "field": "file"})
    transport = httpx.MockTransport(lambda request: httpx.Response(422, content=body))
    gateway.app.dependency_overrides[photo_files] = lambda: PhotoFiles("http://intake", transport=transport)
    answer = gateway.upload(photo_bytes())
    assert is_problem(answer, 422, "file") and answer.json()["code"] == "invalid"
