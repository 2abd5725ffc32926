"""Gap-free numbers from one atomic counter per key (case numbers, suggestion numbers).

Each counter remembers the claimant it last numbered, so a claimant asking again (a redelivery
after a crash between numbering and storing) gets the same number back instead of leaving a gap;
`release` gives a number back when its claimant could not be stored. Concurrent claimants in any
number of workers or replicas get distinct numbers: `$inc` on one document is atomic.
"""

from pymongo import ReturnDocument
from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError


class Sequences:
    def __init__(self, counters: Collection):
        self.counters = counters

    def next(self, key: str, claimant: str) -> int:
        try:
            counter = self.counters.find_one_and_update(
                {"_id": key, "last_claimant": {"$ne": claimant}},
                {"$inc": {"value": 1}, "$set": {"last_claimant": claimant}},
                upsert=True,
                return_document=ReturnDocument.AFTER,
            )
        except DuplicateKeyError:  # the counter's last number went to this very claimant
            counter = self.counters.find_one({"_id": key})
        return counter["value"]

    def release(self, key: str, claimant: str, number: int) -> None:
        """Takes back `number` if it is still the last one given, to `claimant`."""
        self.counters.update_one(
            {"_id": key, "last_claimant": claimant, "value": number},
            {"$inc": {"value": -1}, "$set": {"last_claimant": None}},
        )
