"""Who hears what: the notifications an event causes, in Simplified Chinese."""

from datetime import datetime

from contracts.events import CaseAssigned
from contracts.rpc import NotificationView as Notification


def unit_recipient(unit_id: str) -> str:
    return f"unit:{unit_id}"


def for_case_assigned(event_id: str, event: CaseAssigned, now: datetime) -> list[Notification]:
    due = event.due_date.isoformat()
    notes = [
        Notification(
            id=f"{event_id}:{unit_recipient(event.lead_unit.id)}",
            recipient=unit_recipient(event.lead_unit.id),
            division=event.division,
            kind="case.assigned",
            title="新交办事项（主办）",
            body=f"贵单位有一件新交办的民情事项（编号 {event.case_id}），请签收并于 {due} 前答复。",
            created_at=now,
            case_id=event.case_id,
        )
    ]
    notes += [
        Notification(
            id=f"{event_id}:{unit_recipient(unit.id)}",
            recipient=unit_recipient(unit.id),
            division=event.division,
            kind="case.assigned",
            title="新交办事项（协办）",
            body=f"贵单位协办一件民情事项（编号 {event.case_id}，主办单位 {event.lead_unit.name}），答复期限 {due}。",
            created_at=now,
            case_id=event.case_id,
        )
        for unit in event.co_units
    ]
    return notes
