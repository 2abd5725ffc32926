"""Who hears what: the notifications an event causes, in Simplified Chinese.

A notification's id is the event's id plus the recipient, so each event notifies each recipient once.
"""

from datetime import datetime

from pydantic import BaseModel

from contracts.routing import CaseAssigned, CaseConsultationAnswered, CaseConsultationRequested, CaseTriaged
from contracts.vocabulary import Instant


class Notification(BaseModel):
    id: str
    recipient: str
    division: str
    kind: str
    title: str
    body: str
    created_at: Instant
    case_id: str | None = None
    read_at: Instant | None = None  # when the recipient marked it read in the in-app inbox
    version: int = 0


def notice(
    event_id: str,
    event,
    recipient: str,
    title: str,
    body: str,
    now: datetime,
    case_id: str | None = None,
    kind: str | None = None,
) -> Notification:
    """The event's notice to one recipient, in the event's division and of its type unless `kind` says."""
    return Notification(
        id=f"{event_id}:{recipient}",
        recipient=recipient,
        division=event.division,
        kind=kind or event.TYPE,
        title=title,
        body=body,
        created_at=now,
        case_id=case_id,
    )


def unit_recipient(unit_id: str) -> str:
    return f"unit:{unit_id}"


def for_case_assigned(event_id: str, event: CaseAssigned, now: datetime) -> list[Notification]:
    due = event.due_date.isoformat()

    def to_unit(unit_id: str, title: str, body: str) -> Notification:
        return notice(event_id, event, unit_recipient(unit_id), title, body, now, event.case_id, "case.assigned")

    lead = to_unit(
        event.lead_unit.id,
        "新交办事项（主办）",
        f"贵单位有一件新交办的民情事项（编号 {event.case_id}），请签收并于 {due} 前答复。",
    )
    co_handlers = [
        to_unit(
            unit.id,
            "新交办事项（协办）",
            f"贵单位协办一件民情事项（编号 {event.case_id}，主办单位 {event.lead_unit.name}），答复期限 {due}。",
        )
        for unit in event.co_units
    ]
    return [lead, *co_handlers]


def station_recipient(division: str) -> str:
    return f"station:{division}"


def for_consultation_requested(event_id: str, event: CaseConsultationRequested, now: datetime) -> list[Notification]:
    """征求意见: each asked unit is asked, in its inbox, to answer by the date."""
    body = (
        f"联络站拟将一件民情事项（编号 {event.case_id}）交由贵单位办理（第 {event.round} 轮征求意见），"
        f"请于 {event.reply_by.isoformat()} 前答复是否同意并说明理由。"
    )
    title = "征求拟办单位意见"
    return [notice(event_id, event, unit_recipient(unit.id), title, body, now, event.case_id) for unit in event.units]


def for_consultation_answered(event_id: str, event: CaseConsultationAnswered, now: datetime) -> list[Notification]:
    """The station of the case's division hears each answer."""
    recipient = station_recipient(event.division)
    verdict = "同意" if event.agree else "不同意"
    late = "（逾期答复）" if event.late else ""
    body = f"{event.unit.name} 对事项（编号 {event.case_id}）第 {event.round} 轮征求意见答复：{verdict}{late}。"
    return [notice(event_id, event, recipient, "拟办单位已答复征求意见", body, now, event.case_id)]


def for_case_triaged(event_id: str, event: CaseTriaged, now: datetime) -> list[Notification]:
    """An item no rule matched waits for manual triage (人工分办): its division's station hears of it,
    with the units routing suggests. A matched item notifies nobody here (its units hear on assignment)."""
    if event.matched:
        return []
    recipient = station_recipient(event.division)
    names = "、".join(unit.name for unit in event.suggested_units)
    hint = f"系统建议承办单位：{names}。" if names else "暂无系统建议的承办单位。"
    body = f"一件民情事项（编号 {event.case_id}）未匹配分办规则，请尽快分办（1 个工作日内交办）。{hint}"
    return [notice(event_id, event, recipient, "新事项待人工分办", body, now, event.case_id)]
