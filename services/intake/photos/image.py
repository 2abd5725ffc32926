"""A photo judged by its content and stored without its metadata. Plain Python and Pillow, no I/O.

Only JPEG, PNG and WebP are accepted, whatever the file is called or claims to be: Pillow is asked
to open the bytes with those three decoders only, checks them (`verify`), then decodes them for
real. The stored photo is re-encoded from its pixels alone, the orientation applied first, so
nothing of the original's EXIF (GPS position, camera, time), XMP, IPTC or comments survives. The
ICC colour profile is kept: it describes colours, not people, and without it colours shift.
"""

import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from contracts.errors import ErrorCode, ServiceError
from contracts.intake.photos import MAX_PHOTO_BYTES, PhotoType

FORMATS = {"JPEG": PhotoType.JPEG, "PNG": PhotoType.PNG, "WEBP": PhotoType.WEBP}
# 40 megapixels decode to 120 MB of RGB: beyond that a small file may be a decompression bomb
MAX_PIXELS = 40_000_000
# what survives the re-encoding of the original's `info`: transparency is part of the picture
KEPT_INFO = ("transparency", "icc_profile")
ENCODING = {
    PhotoType.JPEG: {"format": "JPEG", "quality": 90},
    PhotoType.PNG: {"format": "PNG"},
    PhotoType.WEBP: {"format": "WEBP", "quality": 90},
}
JPEG_MODES = {"RGB", "L", "CMYK"}


@dataclass(frozen=True)
class CleanPhoto:
    data: bytes
    content_type: PhotoType
    width: int
    height: int


def refuse(chinese: str, english: str) -> ServiceError:
    return ServiceError(ErrorCode.INVALID, f"{chinese} ({english})", "file")


def too_large() -> ServiceError:
    return refuse(f"照片不能超过 {MAX_PHOTO_BYTES // 2**20} MB", f"a photo may have at most {MAX_PHOTO_BYTES} bytes")


NOT_AN_IMAGE = ("文件不是 JPEG、PNG 或 WebP 图片，或图片已损坏", "not a JPEG, PNG or WebP image, or a damaged one")
DECODING_ERRORS = (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError, EOFError)


def clean_photo(data: bytes) -> CleanPhoto:
    """The photo re-encoded in its own format without metadata; INVALID naming `file` otherwise."""
    if not data:
        raise refuse("文件为空", "the file is empty")
    if len(data) > MAX_PHOTO_BYTES:
        raise too_large()
    try:
        content_type = checked_type(data)
        with Image.open(io.BytesIO(data), formats=list(FORMATS)) as image:
            image.load()  # verify() checks the structure; decoding finds a truncated picture
            ImageOps.exif_transpose(image, in_place=True)  # no second copy of the pixels
            return CleanPhoto(reencoded(image, content_type), content_type, image.width, image.height)
    except ServiceError:
        raise
    except DECODING_ERRORS:
        raise refuse(*NOT_AN_IMAGE) from None


def checked_type(data: bytes) -> PhotoType:
    """The format the content shows, once Pillow has verified it and its size is known to be bearable."""
    with Image.open(io.BytesIO(data), formats=list(FORMATS)) as probe:
        if probe.width * probe.height > MAX_PIXELS:
            raise refuse(
                f"图片像素过多（最多 {MAX_PIXELS // 1_000_000} 百万像素）",
                f"at most {MAX_PIXELS} pixels, this one has {probe.width}x{probe.height}",
            )
        content_type = FORMATS[probe.format]
        probe.verify()
    return content_type


def reencoded(image: Image.Image, content_type: PhotoType) -> bytes:
    """The pixels alone in a fresh file. The encoders also copy some of `info` (XMP, comments) into
    what they write, so `info` keeps only what describes the picture itself."""
    image.info = {key: image.info[key] for key in KEPT_INFO if key in image.info}
    if content_type is PhotoType.JPEG and image.mode not in JPEG_MODES:
        image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, **ENCODING[content_type])
    return out.getvalue()
