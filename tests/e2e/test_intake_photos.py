"""Photos over HTTP through the gateway and intake's own HTTP entrypoint: uploaded, cleaned of their
GPS position, refused when not an image or too large, attached to an item, shown publicly where the
division allows it."""

import io

import pytest
from PIL import Image

from tests.conftest import wait_until
from tests.factories import photo_bytes

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def keys(platform):
    with platform.admin() as admin:

        def create(role, scope):
            answer = admin.post("/v1/admin/api-keys", json={"role": role, "scope": scope, "label": f"照片 {role}"})
            assert answer.status_code == 201, answer.text
            return answer.json()["key"]

        return {"station": create("station", "330481001"), "supervisor": create("supervisor", "330481")}


def refused(answer, status: int) -> bool:
    return (
        answer.status_code == status and answer.headers["content-type"] == PROBLEM and answer.json()["field"] == "file"
    )


def test_a_staff_photo_comes_back_without_its_gps_position(platform, keys):
    with platform.client(keys["station"]) as station:
        answer = station.post("/v1/photos", files={"file": ("现场.jpg", photo_bytes("JPEG", gps=True), "image/jpeg")})
        assert answer.status_code == 201, answer.text
        uploaded = answer.json()
        assert uploaded["content_type"] == "image/jpeg" and (uploaded["width"], uploaded["height"]) == (64, 48)

        photo = station.get(f"/v1/photos/{uploaded['id']}")
    assert photo.status_code == 200 and photo.headers["content-type"] == "image/jpeg"
    assert len(photo.content) == uploaded["size"]
    image = Image.open(io.BytesIO(photo.content))
    assert len(image.getexif()) == 0 and not image.getexif().get_ifd(0x8825)
    assert b"GPS" not in photo.content and b"Exif" not in photo.content


def test_the_content_decides_not_the_name(platform):
    with platform.client() as citizen:
        png = citizen.post("/v1/public/photos", files={"file": ("photo.jpg", photo_bytes("PNG"), "image/jpeg")})
        text = citizen.post("/v1/public/photos", files={"file": ("photo.jpg", "只是文字".encode(), "image/jpeg")})
    assert png.status_code == 201 and png.json()["content_type"] == "image/png"
    assert refused(text, 422) and text.json()["detail"].startswith("文件不是")


def test_an_11_mb_photo_is_refused(platform):
    eleven_mb = b"\xff\xd8\xff" + bytes(11 * 2**20)
    with platform.client() as citizen:
        answer = citizen.post("/v1/public/photos", files={"file": ("big.jpg", eleven_mb, "image/jpeg")})
    assert refused(answer, 413) and "10 MB" in answer.json()["detail"]


def test_an_items_photo_is_for_staff_in_scope_and_public_where_the_division_allows_it(platform, keys):
    with platform.client() as citizen:
        photo_id = citizen.post("/v1/public/photos", files={"file": ("p.webp", photo_bytes("WEBP"), "image/webp")})
        photo_id = photo_id.json()["id"]
        submitted = citizen.post(
            "/v1/public/opinions",
            json={
                "division": "330481001",
                "channel": "web",
                "content": "硖石街道西山路口的井盖松动了",
                "photos": [photo_id],
            },
        )
        assert submitted.status_code == 202, submitted.text
        assert citizen.get(f"/v1/public/photos/{photo_id}").status_code == 404  # nobody's yet, and not public

    with platform.client(keys["supervisor"]) as supervisor:  # did not upload it: sees it once the item has it
        photo = wait_until(lambda: (answer := supervisor.get(f"/v1/photos/{photo_id}")).status_code == 200 and answer)
    assert photo.headers["content-type"] == "image/webp"

    with platform.client() as citizen:
        assert citizen.get(f"/v1/public/photos/{photo_id}").status_code == 404  # 海宁 has not chosen to show them
        with platform.admin() as admin:
            policy = admin.put("/v1/admin/divisions/330481/photo-policy", json={"public_photos": True})
            assert policy.json() == {"division": "330481", "public_photos": True}
        public = citizen.get(f"/v1/public/photos/{photo_id}")
        assert public.status_code == 200 and public.content == photo.content
        with platform.admin() as admin:
            admin.put("/v1/admin/divisions/330481/photo-policy", json={"public_photos": False}).raise_for_status()
        assert citizen.get(f"/v1/public/photos/{photo_id}").status_code == 404
