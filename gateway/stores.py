"""The administrative divisions this platform serves: the gateway's own record."""

import time


class DivisionStore:
    """Divisions change rarely and are read on every submission: known codes are cached for a minute."""

    CACHE_SECONDS = 60.0

    def __init__(self, collection):
        self.divisions = collection
        self._known: dict[str, tuple[float, dict]] = {}

    async def save(self, code: str, name: str) -> None:
        # $set, not a replacement: the division's settings (public_photos) outlive a rename
        await self.divisions.update_one({"_id": code}, {"$set": {"name": name}}, upsert=True)
        self._known.pop(code, None)

    async def get(self, code: str) -> dict | None:
        cached = self._known.get(code)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        division = await self.divisions.find_one({"_id": code})
        if division:
            self._known[code] = (time.monotonic() + self.CACHE_SECONDS, division)
        return division

    async def set_public_photos(self, code: str, public: bool) -> None:
        await self.divisions.update_one({"_id": code}, {"$set": {"public_photos": public}})
        self._known.pop(code, None)

    async def public_photos(self, division: str) -> bool:
        """Whether the public view shows photos of items in `division`: its own setting, else that of the
        nearest enclosing division (village 12, township 9, county 6 digits) that has one; else no."""
        for code in (division[:n] for n in (12, 9, 6) if n <= len(division)):
            known = await self.get(code)
            if known is not None and "public_photos" in known:
                return bool(known["public_photos"])
        return False
