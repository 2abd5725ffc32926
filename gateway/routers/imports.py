"""Bulk import of items from county systems."""

from fastapi import APIRouter

router = APIRouter(prefix="/v1", tags=["imports"])
