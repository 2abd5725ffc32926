"""The administrative divisions this platform serves: the gateway's own record."""

import time


class DivisionStore:
    """Divisions change rarely and are read on every submission: known codes are cached for a minute."""

    CACHE_SECONDS = 60.0

    def __init__(self, collection):
        self.divisions = collection
        self._known: dict[str, tuple[float, dict]] = {}

    async def save(self, code: str, name: str) -> None:
        await self.divisions.replace_one({"_id": code}, {"_id": code, "name": name}, upsert=True)
        self._known.pop(code, None)

    async def get(self, code: str) -> dict | None:
        cached = self._known.get(code)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        division = await self.divisions.find_one({"_id": code})
        if division:
            self._known[code] = (time.monotonic() + self.CACHE_SECONDS, division)
        return division
