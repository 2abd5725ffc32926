"""What stations, units and supervisors do to a case: `POST /v1/cases/{id}/{action}`."""

from fastapi import APIRouter

router = APIRouter(prefix="/v1", tags=["cases"])
