"""intake's photo entrypoints with nameko's worker_factory on the real store: HTTP upload and download
(called with werkzeug requests), the `photo` RPC, attaching to items, the sweep, GridFS's layout."""

import io
import json
import os
from datetime import timedelta

import pytest
from nameko.testing.services import worker_factory
from PIL import Image
from werkzeug.test import EnvironBuilder

from contracts.errors import ErrorCode, ServiceError
from infra.clock import utc_now
from infra.embedded import EmbeddedClient
from infra.pii import PiiCipher
from infra.settings import DEV_PII_KEY
from services.intake.photos.files import CHUNK_BYTES
from services.intake.photos.http import HttpEntrypoint, body_within
from services.intake.service import IntakeService
from services.intake.store import IntakeStore
from tests.factories import Publications, photo_bytes

CODE = "7K3P-9XTA-2MQD"


def intake_on(db):
    store = IntakeStore(db, Publications())
    store.ensure_indexes()
    return worker_factory(IntakeService, store=store, cipher=PiiCipher(DEV_PII_KEY))


@pytest.fixture
def intake(mongo_db):
    return intake_on(mongo_db)


def upload_request(data: bytes, uploader: str | None = "01KEY", **options):
    headers = {"X-Uploaded-By": uploader} if uploader else {}
    return EnvironBuilder(method="POST", path="/photos", data=data, headers=headers, **options).get_request()


def upload(intake, data: bytes, uploader: str = "01KEY") -> dict:
    answer = intake.upload_photo(upload_request(data, uploader))
    assert answer.status_code == 201 and answer.mimetype == "application/json"
    return json.loads(answer.get_data())


def download(intake, photo_id: str):
    return intake.download_photo(EnvironBuilder(path=f"/photos/{photo_id}").get_request(), photo_id)


def nothing_stored(intake) -> bool:
    photos = intake.store.photos
    return photos.files.count_documents({}) == 0 and photos.bytes.chunks.count_documents({}) == 0


def test_an_uploaded_photo_comes_back_without_its_gps_position(intake):
    uploaded = upload(intake, photo_bytes("JPEG", gps=True))
    assert uploaded["content_type"] == "image/jpeg" and (uploaded["width"], uploaded["height"]) == (64, 48)
    assert len(uploaded["id"]) >= 22  # 128 random bits

    answer = download(intake, uploaded["id"])
    assert answer.status_code == 200 and answer.mimetype == "image/jpeg"
    content = answer.get_data()
    assert len(content) == uploaded["size"] == int(answer.headers["Content-Length"])
    image = Image.open(io.BytesIO(content))
    assert len(image.getexif()) == 0 and not image.getexif().get_ifd(0x8825)
    assert b"GPS" not in content and b"Exif" not in content


def test_a_png_is_stored_as_a_png_whatever_it_was_called(intake):
    uploaded = upload(intake, photo_bytes("PNG"))
    assert uploaded["content_type"] == "image/png"
    assert download(intake, uploaded["id"]).get_data().startswith(b"\x89PNG")


@pytest.mark.parametrize("data", ["不是照片".encode() * 10, photo_bytes("GIF")], ids=["text", "gif"])
def test_what_is_not_a_photo_is_refused_naming_the_file_and_nothing_is_stored(intake, data):
    with pytest.raises(ServiceError) as raised:
        intake.upload_photo(upload_request(data))
    assert raised.value.code is ErrorCode.INVALID and raised.value.field == "file"
    assert nothing_stored(intake)


def test_more_than_10_mb_is_refused_unread_and_nothing_is_stored(intake):
    eleven_mb = b"\xff\xd8\xff" + os.urandom(11 * 2**20)
    with pytest.raises(ServiceError) as raised:
        intake.upload_photo(upload_request(eleven_mb))
    assert raised.value.field == "file" and "10 MB" in raised.value.detail
    assert nothing_stored(intake)


def test_a_body_without_a_length_is_read_only_up_to_the_limit():
    stream = io.BytesIO(os.urandom(3 * 2**20))
    request = EnvironBuilder(method="POST", input_stream=stream).get_request()
    request.environ.pop("CONTENT_LENGTH", None)
    request.environ["wsgi.input_terminated"] = True  # a server that passes a chunked body through
    assert body_within(request, 2**20) is None and stream.tell() <= 2**20 + 65536
    assert len(body_within(EnvironBuilder(method="POST", data=b"x" * 10).get_request(), 2**20)) == 10


def test_an_upload_names_its_uploader(intake):
    with pytest.raises(ServiceError) as raised:
        intake.upload_photo(upload_request(photo_bytes(), uploader=None))
    assert raised.value.field == "uploaded_by" and nothing_stored(intake)


def test_refusals_are_answered_over_http_as_json_with_their_code():
    entrypoint = HttpEntrypoint("POST", "/photos")
    answer = entrypoint.response_from_exception(ServiceError(ErrorCode.INVALID, "文件不是图片 (not an image)", "file"))
    assert answer.status_code == 422 and answer.mimetype == "application/json"
    assert json.loads(answer.get_data()) == {
        "code": "invalid",
        "detail": "文件不是图片 (not an image)",
        "field": "file",
    }
    missing = entrypoint.response_from_exception(ServiceError(ErrorCode.NOT_FOUND, "照片不存在", "photo_id"))
    assert missing.status_code == 404


def test_the_photo_rpc_tells_who_uploaded_it_and_later_whose_item_it_is(intake):
    uploaded = upload(intake, photo_bytes(), uploader="01STATIONKEY")
    info = intake.photo(uploaded["id"])
    assert info["uploaded_by"] == "01STATIONKEY" and info["tracking_code"] is None and info["division"] is None
    assert {k: info[k] for k in uploaded} == uploaded

    intake.store.photos.attach([uploaded["id"]], CODE, "330481001")
    info = intake.photo(uploaded["id"])
    assert info["tracking_code"] == CODE and info["division"] == "330481001"


@pytest.mark.parametrize("photo_id", ["Zx3p9Qd0mB1vYw7kL2sT8a", "../etc/passwd"])
def test_an_unknown_photo_is_not_found(intake, photo_id):
    with pytest.raises(ServiceError) as raised:
        intake.photo(photo_id)
    assert raised.value.code is ErrorCode.NOT_FOUND and raised.value.field == "photo_id"
    with pytest.raises(ServiceError):
        download(intake, photo_id)


def test_attaching_is_idempotent_and_a_photo_belongs_to_one_item(intake):
    photos = intake.store.photos
    ids = [upload(intake, photo_bytes())["id"] for _ in range(3)]
    assert all(photos.exists(photo_id) for photo_id in ids) and not photos.exists("Zx3p9Qd0mB1vYw7kL2sT8a")

    photos.attach(ids, CODE, "330481001")
    photos.attach(ids, CODE, "330481001")  # a redelivered submission
    assert {photos.info(photo_id).tracking_code for photo_id in ids} == {CODE}

    with pytest.raises(ServiceError) as taken:
        photos.attach([ids[0]], "AAAA-BBBB-CCCC", "330481001")
    assert taken.value.code is ErrorCode.CONFLICT and taken.value.field == "photos"
    with pytest.raises(ServiceError) as unknown:
        photos.check(["Zx3p9Qd0mB1vYw7kL2sT8a"], "AAAA-BBBB-CCCC")
    assert unknown.value.code is ErrorCode.INVALID and unknown.value.field == "photos"
    assert photos.unavailable([ids[0], "Zx3p9Qd0mB1vYw7kL2sT8a"]) == [ids[0], "Zx3p9Qd0mB1vYw7kL2sT8a"]
    assert photos.unavailable(ids, CODE) == []  # its own item may reference it again
    fourth = upload(intake, photo_bytes())["id"]
    assert photos.unavailable([fourth]) == []
    with pytest.raises(ServiceError) as too_many:
        photos.attach([*ids, fourth], CODE, "330481001")
    assert too_many.value.field == "photos" and photos.info(fourth).tracking_code is None


def test_the_sweep_deletes_uploads_no_item_took_within_a_day(intake, monkeypatch):
    photos = intake.store.photos
    kept, abandoned, fresh = (upload(intake, photo_bytes())["id"] for _ in range(3))
    photos.attach([kept], CODE, "330481001")
    day_ago = utc_now() - timedelta(days=1, minutes=1)
    photos.files.update_many({"_id": {"$in": [kept, abandoned]}}, {"$set": {"metadata.uploaded_at": day_ago}})

    intake.sweep_photos()
    assert photos.exists(kept) and photos.exists(fresh) and not photos.exists(abandoned)
    assert photos.bytes.chunks.count_documents({"files_id": abandoned}) == 0
    assert download(intake, kept).status_code == 200


def noise_png(side: int) -> bytes:
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, "PNG")
    return out.getvalue()


def test_a_large_photo_is_kept_in_gridfs_chunks_of_255_kib(intake):
    uploaded = upload(intake, noise_png(400))  # about 480 kB: two chunks
    file = intake.store.photos.files.find_one({"_id": uploaded["id"]})
    assert file["length"] == uploaded["size"] and file["chunkSize"] == CHUNK_BYTES == 255 * 1024
    chunks = list(intake.store.photos.bytes.chunks.find({"files_id": uploaded["id"]}).sort("n", 1))
    assert [chunk["n"] for chunk in chunks] == list(range(-(-file["length"] // CHUNK_BYTES)))
    assert (
        len(chunks) >= 2 and b"".join(bytes(c["data"]) for c in chunks) == download(intake, uploaded["id"]).get_data()
    )


def test_the_embedded_store_keeps_photos_across_a_restart(tmp_path):
    client = EmbeddedClient(tmp_path)
    uploaded = upload(intake_on(client["intake"]), noise_png(400))
    content = download(intake_on(client["intake"]), uploaded["id"]).get_data()
    client.close()

    again = EmbeddedClient(tmp_path)
    try:
        restarted = intake_on(again["intake"])
        assert download(restarted, uploaded["id"]).get_data() == content
        assert restarted.photo(uploaded["id"])["size"] == len(content)
    finally:
        again.close()
