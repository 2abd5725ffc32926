"""Formal deputy suggestions (代表建议) and their pre-review."""

from fastapi import APIRouter

router = APIRouter(prefix="/v1", tags=["suggestions"])
