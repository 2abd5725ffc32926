"""What the public submission checks before its 202, kept for a minute: a QR code's receiver and the
division's categories. Each is one RPC to intake when not yet known; the busy path without a receiver
or category makes none."""

import time
from collections.abc import Awaitable, Callable
from typing import Any

from contracts.errors import ErrorCode, ServiceError
from gateway.clients import IntakeClient
from gateway.problems import Problem

TTL_SECONDS = 60.0
MAX_ENTRIES = 10_000


class References:
    def __init__(self, intake: IntakeClient, ttl: float = TTL_SECONDS):
        self.intake, self.ttl = intake, ttl
        self._known: dict[tuple, tuple[float, Any]] = {}

    async def _cached(self, key: tuple, fetch: Callable[[], Awaitable[Any]]) -> Any:
        now = time.monotonic()
        hit = self._known.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        value = await fetch()
        if len(self._known) >= MAX_ENTRIES:
            self._known.clear()
        self._known[key] = (now + self.ttl, value)
        return value

    async def check_receiver(self, kind: str, entry_id: str, division: str) -> None:
        """An active deputy or station of the item's county, or 422 naming `<kind>_id`."""
        field = f"{kind}_id"

        async def fetch():
            try:
                return await self.intake.receiver(kind, entry_id)
            except ServiceError as refused:
                if refused.code is ErrorCode.NOT_FOUND:
                    return None
                raise

        receiver = await self._cached(("receiver", kind, entry_id), fetch)
        if receiver is None or receiver.division[:6] != division[:6]:
            raise Problem(422, "二维码对应的接收人不存在或已停用", f"No active {kind} {entry_id} here", field)

    async def check_category(self, category: str, division: str) -> None:
        categories = await self._cached(("categories", division), lambda: self.intake.categories(division))
        if category not in categories.names:
            raise Problem(422, "类别不在本地区的类别清单中", f"Unknown category {category}", "category")
