"""An item as grouping knows it: its terms, its band keys, and the group it belongs to.

Near-duplicates are items of the same division, submitted within `WINDOW` of each other, whose
terms have a Jaccard similarity of at least `THRESHOLD`. The band keys only find the candidates;
the stored terms confirm them exactly (an estimate from 16 hashes would be ±0.1 at 0.3).
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel

from contracts.vocabulary import Instant

THRESHOLD = 0.3
WINDOW = timedelta(days=30)
CANDIDATES = 30  # the most promising candidates confirmed per new item, whatever the store holds


class Indexed(BaseModel):
    tracking_code: str
    division: str
    submitted_at: Instant
    terms: list[str]
    keys: list[str]
    group_id: str | None = None
    left_groups: list[str] = []  # groups a station took this item out of: it is not put back


@dataclass(frozen=True)
class Match:
    item: Indexed
    similarity: float


def jaccard(first: list[str], second: list[str]) -> float:
    a, b = set(first), set(second)
    return len(a & b) / len(a | b) if a or b else 0.0


def near(item: Indexed, other: Indexed) -> float | None:
    """The similarity if `other` is a near-duplicate of `item`, else None."""
    if other.tracking_code == item.tracking_code or other.division != item.division:
        return None
    if abs(other.submitted_at - item.submitted_at) > WINDOW:
        return None
    similarity = jaccard(item.terms, other.terms)
    return similarity if similarity >= THRESHOLD else None


def matches(item: Indexed, candidates: list[Indexed]) -> list[Match]:
    """The near-duplicates among `candidates`, most similar first."""
    found = [Match(other, score) for other in candidates if (score := near(item, other)) is not None]
    return sorted(found, key=lambda match: (-match.similarity, match.item.tracking_code))


def period(submitted_at: datetime) -> int:
    """The `WINDOW`-long period an item is filed in: its near-duplicates are in it or a neighbour."""
    return submitted_at.astimezone(UTC).date().toordinal() // WINDOW.days


def periods_around(submitted_at: datetime) -> list[int]:
    here = period(submitted_at)
    return [here - 1, here, here + 1]
