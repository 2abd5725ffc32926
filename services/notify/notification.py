"""Who hears what: the notifications an event causes, in Simplified Chinese.

A notification's id is the event's id plus the recipient, so each event notifies each recipient once.
"""

from datetime import datetime

from pydantic import BaseModel

from contracts.routing import CaseAssigned
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
    version: int = 0


def unit_recipient(unit_id: str) -> str:
    return f"unit:{unit_id}"


def for_case_assigned(event_id: str, event: CaseAssigned, now: datetime) -> list[Notification]:
    due = event.due_date.isoformat()

    def to_unit(unit_id: str, title: str, body: str) -> Notification:
        recipient = unit_recipient(unit_id)
        return Notification(
            id=f"{event_id}:{recipient}",
            recipient=recipient,
            division=event.division,
            kind="case.assigned",
            title=title,
            body=body,
            created_at=now,
            case_id=event.case_id,
        )

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
