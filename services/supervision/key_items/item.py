"""A key item (重点督办) as pure rules: marking, unmarking, records, and the period a list covers."""

import calendar
import re
from datetime import date, datetime

from pydantic import BaseModel

from contracts.errors import ErrorCode, ServiceError
from contracts.routing import UnitRef
from contracts.supervision import EvaluationRecorded
from contracts.supervision.key_items import (
    CaseKeyMarked,
    KeyItemView,
    KeyLevel,
    KeyRecord,
    KeyRecordIn,
    KeySource,
    MarkKeyItemIn,
    UnmarkKeyItemIn,
)
from contracts.vocabulary import Instant
from infra.clock import local_date


class KeyItem(BaseModel):
    case_id: str
    division: str
    lead_unit: UnitRef | None = None
    marked: bool
    level: KeyLevel
    source: KeySource
    lead_supervisor: str | None = None
    committees: list[str] = []
    reason: str
    marked_by: str
    marked_on: str  # ISO date, stored as a string so that a period is one indexed range
    marked_at: Instant
    unmarked_on: str | None = None
    unmark_reason: str | None = None
    records: list[KeyRecord] = []
    version: int = 0


def marked_event(item: KeyItem, now: datetime) -> CaseKeyMarked:
    fields = item.model_dump(include={"case_id", "division", "marked", "level", "source", "lead_supervisor"})
    reason = item.reason if item.marked else item.unmark_reason or item.reason
    return CaseKeyMarked(**fields, committees=item.committees, lead_unit=item.lead_unit, reason=reason, at=now)


def mark(
    case_id: str,
    division: str,
    lead_unit: UnitRef | None,
    current: KeyItem | None,
    command: MarkKeyItemIn,
    by: str,
    now: datetime,
) -> tuple[KeyItem, CaseKeyMarked]:
    """On the list, or back on it after being taken off; a case already on it is a conflict."""
    if current is not None and current.marked:
        raise ServiceError(ErrorCode.CONFLICT, "该案件已在重点督办清单上 (the case is already a key item)", "case_id")
    item = KeyItem(
        case_id=case_id,
        division=division,
        lead_unit=lead_unit,
        marked=True,
        level=command.level,
        source=KeySource.SUPERVISOR,
        lead_supervisor=command.lead_supervisor,
        committees=list(dict.fromkeys(command.committees)),
        reason=command.reason,
        marked_by=by,
        marked_on=local_date(now).isoformat(),
        marked_at=now,
        records=current.records if current else [],
        version=current.version if current else 0,
    )
    return item, marked_event(item, now)


def unmark(item: KeyItem, command: UnmarkKeyItemIn, now: datetime) -> tuple[KeyItem, CaseKeyMarked]:
    """销号: off the list, its records kept."""
    if not item.marked:
        raise ServiceError(
            ErrorCode.INVALID_TRANSITION, "该案件已不在重点督办清单上 (the case is not a key item now)", "case_id"
        )
    done = item.model_copy(
        update={"marked": False, "unmarked_on": local_date(now).isoformat(), "unmark_reason": command.reason}
    )
    return done, marked_event(done, now)


def add_record(item: KeyItem, command: KeyRecordIn, by: str, now: datetime) -> KeyItem:
    """督办方案, 实地督查, 办理进展: kept in order, only while the item is on the list."""
    if not item.marked:
        raise ServiceError(
            ErrorCode.INVALID_TRANSITION,
            "该案件已销号，不能再记录督办情况 (the item is off the list)",
            "case_id",
        )
    record = KeyRecord(**command.model_dump(), by=by, at=now)
    return item.model_copy(update={"records": [*item.records, record]})


def rehandle_limit_reached(
    current: KeyItem | None, division: str, lead_unit: UnitRef | None, event: EvaluationRecorded, now: datetime
) -> tuple[KeyItem, list[CaseKeyMarked]] | None:
    """不满意件再办理 used up: a further unsatisfied evaluation puts the case on the list (once)."""
    if event.reopen or event.rating.value != "unsatisfied" or (current is not None and current.marked):
        return None
    item = KeyItem(
        case_id=event.case_id,
        division=division,
        lead_unit=lead_unit,
        marked=True,
        level=KeyLevel.KEY,
        source=KeySource.REHANDLE_LIMIT,
        reason=(
            f"第 {event.round} 次答复仍不满意，再办理次数已用完，列入重点督办 "
            "(unsatisfied again after the re-handling limit)"
        ),
        marked_by="supervision",
        marked_on=local_date(now).isoformat(),
        marked_at=now,
        records=current.records if current else [],
        version=current.version if current else 0,
    )
    return item, [marked_event(item, now)]


PERIOD = re.compile(r"^(\d{4})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?$")


def period_range(period: str) -> tuple[date, date]:
    """`2026` → the year, `2026-Q3` → July to September, `2026-11` → November (first and last day)."""
    found = PERIOD.match(period)
    if not found:
        raise ServiceError(
            ErrorCode.INVALID, "期间格式应为 2026、2026-Q3 或 2026-11 (period: YYYY, YYYY-Qn or YYYY-MM)", "period"
        )
    year, quarter, month = int(found[1]), found[2], found[3]
    first, last = (1, 12)
    if quarter:
        first = 3 * int(quarter) - 2
        last = first + 2
    elif month:
        first = last = int(month)
    return date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])


def view(item: KeyItem) -> KeyItemView:
    return KeyItemView.model_validate(item.model_dump(include=set(KeyItemView.model_fields)))
