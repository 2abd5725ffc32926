"""Photos of items: what an upload answers, what intake tells the gateway about one photo, and a
division's choice to show its items' photos in the public view.

The bytes never travel through the broker: the gateway streams them to and from intake's own HTTP
entrypoint (`services/intake/photos/entrypoints.py` says why); only these small models do.
"""

import re
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field

from contracts.vocabulary import DivisionCode

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTOS_PER_ITEM = 3
PHOTO_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
PUBLIC_UPLOADER = "public"  # who uploaded a photo through the anonymous endpoint: nobody in particular


class PhotoType(StrEnum):
    """What a photo is, judged from its content (never from its name or declared type)."""

    JPEG = "image/jpeg"
    PNG = "image/png"
    WEBP = "image/webp"


class PhotoUploaded(BaseModel):
    """An upload accepted: its id (unguessable) for the item to reference, and what it turned out to be."""

    id: str = Field(examples=["Zx3p9Qd0mB1vYw7kL2sT8a"])
    content_type: PhotoType = Field(examples=["image/jpeg"])
    size: int = Field(description="去除元数据后的字节数 / bytes stored, metadata stripped", examples=[482113])
    width: int = Field(examples=[1600])
    height: int = Field(examples=[1200])


class PhotoInfo(PhotoUploaded):
    """What intake knows of a stored photo, for the gateway to decide who may see it."""

    uploaded_at: datetime
    uploaded_by: str = Field(description="the uploading key's id, or 'public' for an anonymous upload")
    tracking_code: str | None = Field(default=None, description="the item it belongs to, once attached")
    division: str | None = Field(default=None, description="that item's division, once attached")


PublicPhotos = Annotated[
    bool,
    Field(description="公开查询页面是否显示照片 / whether the public view shows the items' photos", examples=[True]),
]


class PhotoPolicyIn(BaseModel):
    public_photos: PublicPhotos


class PhotoPolicy(BaseModel):
    """A division's own setting; a division without one follows the nearest enclosing division that has one,
    and photos stay private when none has."""

    division: DivisionCode
    public_photos: PublicPhotos
