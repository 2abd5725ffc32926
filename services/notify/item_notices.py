"""The notices of an item's course that recipients.py lists and notification.py lacked: the citizen's
receipt, assignment and reply (with the request to evaluate), the deputy's new item and reply to
evaluate, the units' reopen, and the supervisors' unsatisfied evaluation. Pure builders;
`ItemFollowers` is what they need to remember.

The citizen is `citizen:<tracking code>`: notify never holds their contact, only whether they gave one.
"""

from datetime import datetime

from pydantic import BaseModel

from contracts.intake.opinions import OpinionReceived, ReceiverKind
from contracts.routing import CaseAssigned, CaseReopened, CaseReplied
from contracts.supervision import EvaluationRecorded, Rating
from services.notify.notification import Notification, notice, unit_recipient
from services.notify.watch_notices import supervisor_recipient


class ItemFollowers(BaseModel):
    """Who follows one item: its citizen (if they left a contact), the deputy who received it (or, for a
    formal suggestion, its lead deputy, from case.assigned), its units."""

    tracking_code: str
    citizen: bool = False
    deputy: str | None = None
    units: list[str] = []
    suggestion: bool = False  # a formal suggestion (建议): the deputy is its lead deputy, who evaluates


def citizen_recipient(tracking_code: str) -> str:
    return f"citizen:{tracking_code}"


def _note(event_id: str, recipient: str, event, kind: str, title: str, body: str, now: datetime) -> Notification:
    case_id = getattr(event, "case_id", None) or getattr(event, "tracking_code", None)
    return notice(event_id, event, recipient, title, body, now, case_id, kind)


def followers_of_received(event: OpinionReceived) -> ItemFollowers:
    receiver = event.receiver
    deputy = receiver.id if receiver and receiver.kind is ReceiverKind.DEPUTY and receiver.id else None
    return ItemFollowers(tracking_code=event.tracking_code, citizen=event.has_contact, deputy=deputy)


def for_opinion_received(event_id: str, event: OpinionReceived, now: datetime) -> list[Notification]:
    followers = followers_of_received(event)
    code = event.tracking_code
    notes = []
    if followers.citizen:
        body = f"您反映的民情事项已受理，查询码 {code}，可凭查询码查询办理进度。"
        notes.append(_note(event_id, citizen_recipient(code), event, event.TYPE, "民情事项已受理", body, now))
    if followers.deputy:
        body = f"您的联络站或二维码收到一件新的民情事项（编号 {code}），请关注办理。"
        notes.append(_note(event_id, f"deputy:{followers.deputy}", event, event.TYPE, "收到新的民情事项", body, now))
    return notes


def for_case_assigned_citizen(
    event_id: str, event: CaseAssigned, followers: ItemFollowers | None, now: datetime
) -> list[Notification]:
    if followers is None or not followers.citizen:
        return []
    body = (
        f"您反映的事项（查询码 {event.case_id}）已交由{event.lead_unit.name}办理，"
        f"答复期限 {event.due_date.isoformat()}。"
    )
    return [_note(event_id, citizen_recipient(event.case_id), event, event.TYPE, "事项已交办", body, now)]


def for_case_replied(
    event_id: str, event: CaseReplied, followers: ItemFollowers | None, now: datetime
) -> list[Notification]:
    """The citizen hears of the reply and is asked to evaluate it; so is the deputy who received it."""
    if followers is None:
        return []
    unit, code = event.reply.unit.name, event.case_id
    notes = []
    if followers.citizen:
        body = f"您反映的事项（查询码 {code}）已由{unit}答复，请凭查询码查看答复并进行满意度评价。"
        notes.append(_note(event_id, citizen_recipient(code), event, event.TYPE, "事项已答复，请评价", body, now))
    if followers.deputy and followers.suggestion:
        body = f"您领衔提出的建议（编号 {code}）已由{unit}答复，请查看答复并进行满意度测评。"
        notes.append(_note(event_id, f"deputy:{followers.deputy}", event, event.TYPE, "建议答复待评价", body, now))
    elif followers.deputy:
        body = f"您接收的民情事项（编号 {code}）已由{unit}答复，请查看并评价。"
        notes.append(_note(event_id, f"deputy:{followers.deputy}", event, event.TYPE, "答复待评价", body, now))
    return notes


def for_case_reopened(
    event_id: str, event: CaseReopened, followers: ItemFollowers | None, now: datetime
) -> list[Notification]:
    """不满意件再办理: each of the case's units is told of the new deadline."""
    units = followers.units if followers else []
    body = f"民情事项（编号 {event.case_id}）评价不满意，须重新办理，答复期限 {event.due_date.isoformat()}。"
    return [_note(event_id, unit_recipient(unit), event, event.TYPE, "不满意件再办理", body, now) for unit in units]


def for_unsatisfied(event_id: str, event: EvaluationRecorded, now: datetime) -> list[Notification]:
    """不满意: the county's supervisors hear of it (a satisfied one tells nobody)."""
    if event.rating is not Rating.UNSATISFIED:
        return []
    who = "代表" if event.evaluator_kind.value == "deputy" else "群众"
    after = "将再办理" if event.reopen else "再办理次数已满，列入重点督办"
    body = f"民情事项（编号 {event.case_id}）第 {event.round} 轮答复被{who}评为不满意，{after}。"
    recipient = supervisor_recipient(event.division)
    return [_note(event_id, recipient, event, event.TYPE, "答复评价不满意", body, now)]
