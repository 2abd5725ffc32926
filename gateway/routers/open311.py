"""Open311 GeoReport v2 for county apps and civic apps."""

from fastapi import APIRouter

router = APIRouter(prefix="/open311/v2", tags=["open311"])
