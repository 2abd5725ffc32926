"""Which photos an item may reference: at most three, each once, each existing and not another item's."""

from contracts.errors import ErrorCode, ServiceError
from contracts.intake.photos import MAX_PHOTOS_PER_ITEM, PHOTO_ID


def checked_references(photo_ids: list[str]) -> list[str]:
    """The ids as given, when there are at most three distinct well-formed ones; INVALID naming `photos`."""
    if len(photo_ids) > MAX_PHOTOS_PER_ITEM:
        raise ServiceError(
            ErrorCode.INVALID,
            f"每条民情最多 {MAX_PHOTOS_PER_ITEM} 张照片 (at most {MAX_PHOTOS_PER_ITEM} photos per item)",
            "photos",
        )
    if len(set(photo_ids)) != len(photo_ids):
        raise ServiceError(ErrorCode.INVALID, "同一张照片引用了两次 (a photo is referenced twice)", "photos")
    for photo_id in photo_ids:
        if not isinstance(photo_id, str) or not PHOTO_ID.match(photo_id):
            raise ServiceError(ErrorCode.INVALID, f"照片编号格式不正确 (malformed photo id {photo_id!r})", "photos")
    return photo_ids


def attachable(photo_id: str, owner: str | None, exists: bool, tracking_code: str) -> None:
    """A photo may be attached when it exists and belongs to no item, or already to this one."""
    if not exists:
        raise ServiceError(
            ErrorCode.INVALID, f"照片 {photo_id} 不存在或已过期 (unknown or expired photo {photo_id})", "photos"
        )
    if owner is not None and owner != tracking_code:
        raise ServiceError(
            ErrorCode.CONFLICT, f"照片 {photo_id} 已属于另一条民情 (photo {photo_id} belongs to another item)", "photos"
        )
