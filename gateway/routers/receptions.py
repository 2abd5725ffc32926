"""Reception sessions of liaison stations (主题接待清单)."""

from fastapi import APIRouter

router = APIRouter(prefix="/v1", tags=["receptions"])
