"""Near-duplicate groups (合并处置) and hot words (民情热词)."""

from fastapi import APIRouter

router = APIRouter(prefix="/v1", tags=["grouping"])
