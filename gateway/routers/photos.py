"""Photos of items, uploaded before the item that references them."""

from fastapi import APIRouter

router = APIRouter(prefix="/v1", tags=["photos"])
