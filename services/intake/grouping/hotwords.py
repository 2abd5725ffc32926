"""民情热词: how many items mention each term, per area and day, summed over a period.

An item is counted on the day it was submitted (Asia/Shanghai), in its own division and every one
it lies in (village, township, county), so an area's count for a day is one document.
"""

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from contracts.errors import ErrorCode, ServiceError
from contracts.intake.grouping import HotWord
from infra.clock import local_date
from services.intake.categories import enclosing

MAX_DAYS = 366


def areas_of(division: str) -> list[str]:
    """The areas an item of `division` counts in: itself and the divisions it lies in."""
    return enclosing(division)


def day_of(submitted_at: datetime) -> date:
    return local_date(submitted_at)


def days(first: date, last: date) -> list[date]:
    """Every day of the period, both ends included; refused if it runs backwards or beyond a year."""
    if last < first:
        raise ServiceError(ErrorCode.INVALID, "起始日期晚于结束日期 (from is after to)", "from")
    if (last - first).days + 1 > MAX_DAYS:
        raise ServiceError(ErrorCode.INVALID, f"统计期间不能超过 {MAX_DAYS} 天 (at most {MAX_DAYS} days)", "from")
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def top(daily_counts: Iterable[dict[str, int]], limit: int) -> list[HotWord]:
    """The `limit` terms mentioned by the most items over the days, ties by the term."""
    total: Counter[str] = Counter()
    for counts in daily_counts:
        total.update(counts)
    ranked = sorted(total.items(), key=lambda pair: (-pair[1], pair[0]))
    return [HotWord(term=term, count=count) for term, count in ranked[:limit]]
