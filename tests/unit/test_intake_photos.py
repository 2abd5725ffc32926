"""Photos judged by content and stored without metadata; which photos an item may reference."""

import io
import struct
import zlib

import pytest
from PIL import Image

from contracts.errors import ErrorCode, ServiceError
from contracts.intake.photos import MAX_PHOTO_BYTES, PhotoType
from services.intake.photos.image import MAX_PIXELS, clean_photo
from services.intake.photos.rules import attachable, checked_references
from tests.factories import photo_bytes


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def refusal(data: bytes) -> ServiceError:
    with pytest.raises(ServiceError) as raised:
        clean_photo(data)
    assert raised.value.code is ErrorCode.INVALID and raised.value.field == "file"
    return raised.value


def test_a_jpeg_loses_its_gps_position_and_every_other_metadata():
    original = photo_bytes("JPEG", gps=True)
    assert opened(original).getexif().get_ifd(0x8825)  # the factory really wrote a position

    photo = clean_photo(original)
    image = opened(photo.data)
    assert photo.content_type is PhotoType.JPEG and image.format == "JPEG"
    assert len(image.getexif()) == 0 and not image.getexif().get_ifd(0x8825)
    assert {"exif", "xmp", "comment"}.isdisjoint(image.info)
    for trace in (b"Exif", b"GPS", b"Pixel 8", b"xmpmeta"):
        assert trace not in photo.data


@pytest.mark.parametrize("kind", ["PNG", "WEBP"])
def test_png_and_webp_lose_their_exif_too(kind):
    original = photo_bytes(kind, gps=True)
    assert opened(original).getexif().get_ifd(0x8825)

    photo = clean_photo(original)
    image = opened(photo.data)
    assert image.format == kind and photo.content_type is PhotoType(f"image/{kind.lower()}")
    assert len(image.getexif()) == 0 and b"Pixel 8" not in photo.data and b"xmpmeta" not in photo.data


def test_the_orientation_is_applied_before_the_tag_is_dropped():
    photo = clean_photo(photo_bytes("JPEG", size=(64, 48), orientation=6))  # "rotate 90° clockwise to view"
    assert (photo.width, photo.height) == (48, 64)
    image = opened(photo.data)
    assert image.size == (48, 64) and 0x0112 not in image.getexif()


def test_the_type_comes_from_the_content_not_from_any_name():
    photo = clean_photo(photo_bytes("PNG"))  # whatever it was called on the way in
    assert photo.content_type is PhotoType.PNG and photo.data.startswith(b"\x89PNG")
    assert (photo.width, photo.height) == (64, 48)


def test_transparency_survives():
    image = Image.new("RGBA", (8, 8), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    assert opened(clean_photo(out.getvalue()).data).getpixel((0, 0))[3] == 0


@pytest.mark.parametrize(
    "data",
    [
        "这不是照片，只是一段文字。".encode(),
        photo_bytes("GIF"),
        photo_bytes("JPEG")[:200],  # cut short
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,  # a PNG signature and nothing else
        b"",
    ],
    ids=["text", "gif", "truncated-jpeg", "png-signature-only", "empty"],
)
def test_anything_but_a_whole_jpeg_png_or_webp_is_refused_naming_the_file(data):
    assert "(" in refusal(data).detail


def test_more_than_10_mb_is_refused_before_decoding():
    assert "10 MB" in refusal(b"\xff\xd8" + b"\x00" * MAX_PHOTO_BYTES).detail


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims `width`x`height`: what a decompression bomb looks like before it is decoded."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def test_too_many_pixels_are_refused_without_decoding_them():
    assert 10_000 * 5_000 > MAX_PIXELS
    assert "10000x5000" in refusal(png_header_only(10_000, 5_000)).detail


def test_an_item_references_at_most_three_distinct_well_formed_photos():
    ids = ["Zx3p9Qd0mB1vYw7kL2sT8a", "Ab3p9Qd0mB1vYw7kL2sT8a", "Cd3p9Qd0mB1vYw7kL2sT8a"]
    assert checked_references(ids) == ids
    for bad in (ids + ["Ef3p9Qd0mB1vYw7kL2sT8a"], [ids[0], ids[0]], ["../../etc"]):
        with pytest.raises(ServiceError) as raised:
            checked_references(bad)
        assert raised.value.code is ErrorCode.INVALID and raised.value.field == "photos"


def test_a_photo_is_attachable_when_free_or_already_this_items():
    attachable("Zx3p9Qd0mB1vYw7kL2sT8a", None, True, "7K3P-9XTA-2MQD")
    attachable("Zx3p9Qd0mB1vYw7kL2sT8a", "7K3P-9XTA-2MQD", True, "7K3P-9XTA-2MQD")
    with pytest.raises(ServiceError) as unknown:
        attachable("Zx3p9Qd0mB1vYw7kL2sT8a", None, False, "7K3P-9XTA-2MQD")
    with pytest.raises(ServiceError) as taken:
        attachable("Zx3p9Qd0mB1vYw7kL2sT8a", "AAAA-BBBB-CCCC", True, "7K3P-9XTA-2MQD")
    assert (unknown.value.code, taken.value.code) == (ErrorCode.INVALID, ErrorCode.CONFLICT)
    assert unknown.value.field == taken.value.field == "photos"
