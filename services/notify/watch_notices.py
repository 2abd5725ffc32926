"""The deadline watch's notices (supervision's case.due_soon, case.overdue, case.half_time), mixed
into NotifyService. The lead and co-handling units hear of each; the supervisors of the county
(`supervisor:<county code>`, the people's congress that supervises) hear of overdue and half-time
cases. Ids are event id + recipient, so a redelivered event stores nothing twice."""

from datetime import datetime

from contracts.supervision.watch import CaseDueSoon, CaseHalfTime, CaseOverdue, WatchEvent
from infra.clock import utc_now
from infra.nameko_entrypoints import event_handler
from services.notify.notification import Notification, notice, unit_recipient

COUNTY_DIGITS = 6


def supervisor_recipient(division: str) -> str:
    return f"supervisor:{division[:COUNTY_DIGITS]}"


def notices(
    event_id: str, event: WatchEvent, now: datetime, title: str, to_units: str, to_supervisors: str | None
) -> list[Notification]:
    recipients = [unit_recipient(event.lead_unit.id), *(unit_recipient(unit.id) for unit in event.co_units)]
    bodies = dict.fromkeys(recipients, to_units)
    if to_supervisors is not None:
        bodies[supervisor_recipient(event.division)] = to_supervisors
    return [notice(event_id, event, recipient, title, body, now, event.case_id) for recipient, body in bodies.items()]


def for_due_soon(event_id: str, event: CaseDueSoon, now: datetime) -> list[Notification]:
    due = event.due_date.isoformat()
    return notices(
        event_id,
        event,
        now,
        "事项临近答复期限",
        f"民情事项（编号 {event.case_id}）将于 {due} 到期，还剩 {event.working_days_left} 个工作日，请抓紧办理答复。",
        None,
    )


def for_overdue(event_id: str, event: CaseOverdue, now: datetime) -> list[Notification]:
    due = event.due_date.isoformat()
    return notices(
        event_id,
        event,
        now,
        "事项已超期未答复",
        f"民情事项（编号 {event.case_id}）答复期限为 {due}，现已超期，请立即办理并答复。",
        f"民情事项（编号 {event.case_id}，主办单位 {event.lead_unit.name}）已超过答复期限 {due}，请督办。",
    )


def for_half_time(event_id: str, event: CaseHalfTime, now: datetime) -> list[Notification]:
    return notices(
        event_id,
        event,
        now,
        "时间过半，尚无办理进展",
        f"民情事项（编号 {event.case_id}）办理时间已过半（期限 {event.due_date.isoformat()}），"
        "尚未记录办理进展或见面沟通，请及时推进。",
        f"民情事项（编号 {event.case_id}，主办单位 {event.lead_unit.name}）时间过半，尚无进展或见面记录。",
    )


class WatchNoticeEntrypoints:
    @event_handler(CaseDueSoon)
    def on_case_due_soon(self, body):
        envelope, event = CaseDueSoon.from_wire(body)
        self.store.add_notices(for_due_soon(envelope.event_id, event, utc_now()))

    @event_handler(CaseOverdue)
    def on_case_overdue(self, body):
        envelope, event = CaseOverdue.from_wire(body)
        self.store.add_notices(for_overdue(envelope.event_id, event, utc_now()))

    @event_handler(CaseHalfTime)
    def on_case_half_time(self, body):
        envelope, event = CaseHalfTime.from_wire(body)
        self.store.add_notices(for_half_time(envelope.event_id, event, utc_now()))
