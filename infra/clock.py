"""Time is UTC in storage and Asia/Shanghai for working days and display (ARCHITECTURE.md, rule 8)."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def utc_now() -> datetime:
    return datetime.now(UTC)


def local_date(instant: datetime) -> date:
    return instant.astimezone(SHANGHAI).date()


def local_today() -> date:
    return local_date(utc_now())
