"""The photos: GridFS's `photos.files` and `photos.chunks`; our fields in each file's `metadata`.

A photo is uploaded unattached (`metadata.tracking_code` null) and attached once to the item that
references it; unattached photos older than a day are swept.
"""

import secrets
from datetime import datetime

from contracts.intake.photos import PhotoInfo, PhotoUploaded
from infra.clock import utc_now
from services.intake.photos.files import files_for
from services.intake.photos.image import CleanPhoto
from services.intake.photos.rules import attachable, checked_references

OWNER = "metadata.tracking_code"


def new_photo_id() -> str:
    """128 random bits, URL-safe: the id alone lets its uploader and the item's readers fetch it."""
    return secrets.token_urlsafe(16)


class PhotoStore:
    def __init__(self, db):
        self.bytes = files_for(db)
        self.files = self.bytes.files

    def ensure_indexes(self) -> None:
        self.files.create_index([("filename", 1), ("uploadDate", 1)])  # GridFS's own
        self.bytes.chunks.create_index([("files_id", 1), ("n", 1)], unique=True)  # GridFS's own
        self.files.create_index(OWNER, sparse=True)
        self.files.create_index([(OWNER, 1), ("metadata.uploaded_at", 1)])

    def save(self, photo: CleanPhoto, uploaded_by: str, now: datetime) -> PhotoUploaded:
        photo_id = new_photo_id()
        metadata = {
            "content_type": photo.content_type.value,
            "width": photo.width,
            "height": photo.height,
            "uploaded_by": uploaded_by,
            "uploaded_at": now,
            "tracking_code": None,
            "division": None,
        }
        self.bytes.put(photo_id, photo.data, metadata)
        return PhotoUploaded(
            id=photo_id, content_type=photo.content_type, size=len(photo.data), width=photo.width, height=photo.height
        )

    def info(self, photo_id: str) -> PhotoInfo | None:
        file = self.files.find_one({"_id": photo_id})
        if file is None:
            return None
        meta = file["metadata"]
        return PhotoInfo(id=photo_id, size=file["length"], **{k: meta[k] for k in PhotoInfo.model_fields if k in meta})

    def content(self, photo_id: str) -> bytes | None:
        return self.bytes.read(photo_id)

    def exists(self, photo_id: str) -> bool:
        return self.files.count_documents({"_id": photo_id}, limit=1) == 1

    def unavailable(self, photo_ids: list[str], tracking_code: str | None = None) -> list[str]:
        """The ids among `photo_ids` that no upload has, or that an item other than `tracking_code` took."""
        files = {file["_id"]: file for file in self.files.find({"_id": {"$in": list(photo_ids)}}, {OWNER: 1})}
        return [
            photo_id
            for photo_id in photo_ids
            if photo_id not in files or files[photo_id]["metadata"].get("tracking_code") not in (None, tracking_code)
        ]

    def check(self, photo_ids: list[str], tracking_code: str) -> None:
        """Refuses (INVALID or CONFLICT naming `photos`) what `attach` would refuse, changing nothing."""
        for photo_id in checked_references(photo_ids):
            file = self.files.find_one({"_id": photo_id}, {OWNER: 1})
            owner = file["metadata"].get("tracking_code") if file else None
            attachable(photo_id, owner, file is not None, tracking_code)

    def attach(self, photo_ids: list[str], tracking_code: str, division: str, now: datetime | None = None) -> None:
        """Gives the photos to the item; again for the same item changes nothing. Each photo is taken
        only if it is still free, so two items racing for one photo cannot both have it."""
        now = now or utc_now()
        self.check(photo_ids, tracking_code)
        for photo_id in photo_ids:
            taken = self.files.update_one(
                {"_id": photo_id, OWNER: None},
                {"$set": {OWNER: tracking_code, "metadata.division": division, "metadata.attached_at": now}},
            )
            if taken.matched_count == 0:  # attached meanwhile: fine if to this item
                self.check([photo_id], tracking_code)

    def sweep_unattached(self, older_than: datetime) -> int:
        """Deletes the photos no item took that were uploaded before `older_than`."""
        query = {OWNER: None, "metadata.uploaded_at": {"$lt": older_than}}
        abandoned = [file["_id"] for file in self.files.find(query, {"_id": 1})]
        # each only if still free: an item may have taken it since
        return sum(self.bytes.delete(photo_id, {OWNER: None}) for photo_id in abandoned)
