"""The close-the-loop notices (supervision's evaluation.requested, case.key_marked, review.due and
intake's evaluation.code_issued), mixed into NotifyService. Ids are event id + recipient, so a
redelivered event stores nothing twice.

- The one-time code goes to the citizen (`citizen:<tracking code>`) alone; its kind is what marks it
  a one-time code (recipients.ONE_TIME_CODES), sent by SMS whatever the hour. Nobody else's inbox
  holds it, and a citizen who erased their contact gets nothing.
- The evaluation request: case.replied's notice already asks the citizen and the deputy who follow
  the item (item_notices.py); the reminder before the window closes is this module's.
- Key items: the county's supervisors and the lead unit; follow-up reviews due: the same.
"""

from datetime import datetime

from contracts.intake.evaluation_codes import EvaluationCodeIssued
from contracts.supervision.evaluation_window import EvaluationRequested
from contracts.supervision.key_items import CaseKeyMarked, KeyLevel
from contracts.supervision.reviews import ReviewDue, ReviewKind
from infra.clock import SHANGHAI, utc_now
from infra.nameko_entrypoints import event_handler
from services.notify.item_notices import ItemFollowers, citizen_recipient
from services.notify.notification import Notification, notice, unit_recipient
from services.notify.watch_notices import supervisor_recipient

LEVELS = {KeyLevel.KEY: "重点督办", KeyLevel.LEADER_LED: "领导领衔督办", KeyLevel.MAJOR: "大督办"}


def for_code_issued(event_id: str, event: EvaluationCodeIssued, erased: bool, now: datetime) -> list[Notification]:
    if erased:
        return []
    until = event.expires_at.astimezone(SHANGHAI).strftime("%H:%M")
    body = f"您的满意度评价验证码为 {event.code}，{until} 前有效，仅限本人使用，请勿告知他人。"
    recipient = citizen_recipient(event.tracking_code)
    return [notice(event_id, event, recipient, "满意度评价验证码", body, now, event.tracking_code)]


def for_evaluation_requested(
    event_id: str, event: EvaluationRequested, followers: ItemFollowers | None, now: datetime
) -> list[Notification]:
    if not event.reminder or followers is None:
        return []
    closes = event.closes_on.isoformat()
    notes = []
    if followers.citizen:
        body = f"您反映的事项（查询码 {event.case_id}）的答复尚未评价，请于 {closes} 前评价，逾期记为未评价。"
        notes.append(
            notice(event_id, event, citizen_recipient(event.case_id), "请及时评价答复", body, now, event.case_id)
        )
    if followers.deputy:
        what = "您领衔提出的建议" if followers.suggestion else "民情事项"
        body = f"{what}（编号 {event.case_id}）的答复尚待您评价，评价期限 {closes}，逾期记为未评价。"
        recipient = f"deputy:{followers.deputy}"
        notes.append(notice(event_id, event, recipient, "答复待评价（提醒）", body, now, event.case_id))
    return notes


def for_key_marked(event_id: str, event: CaseKeyMarked, now: datetime) -> list[Notification]:
    level = LEVELS[event.level]
    if event.marked:
        lead = f"，由{event.lead_supervisor}领衔" if event.lead_supervisor else ""
        title = f"列入{level}"
        to_unit = f"贵单位主办的民情事项（编号 {event.case_id}）已列入人大{level}{lead}，请制定整改方案并按期报告进展。"
        to_supervisors = f"民情事项（编号 {event.case_id}）已列入{level}{lead}：{event.reason}"
    else:
        title = f"{level}销号"
        to_unit = f"民情事项（编号 {event.case_id}）已办结销号，不再列入{level}。"
        to_supervisors = f"民情事项（编号 {event.case_id}）已从{level}清单销号：{event.reason}"
    notes = [notice(event_id, event, supervisor_recipient(event.division), title, to_supervisors, now, event.case_id)]
    if event.lead_unit is not None:
        notes.append(notice(event_id, event, unit_recipient(event.lead_unit.id), title, to_unit, now, event.case_id))
    return notes


def for_review_due(event_id: str, event: ReviewDue, now: datetime) -> list[Notification]:
    what = f"承诺事项“{event.item}”" if event.kind is ReviewKind.PROMISED else "答复落实情况（抽查）"
    due = event.due_on.isoformat()
    to_supervisors = f"民情事项（编号 {event.case_id}，{event.unit.name}）的{what}已到回头看日期 {due}，请组织回头看。"
    to_unit = f"贵单位答复的民情事项（编号 {event.case_id}）的{what}将接受人大回头看，请准备落实情况。"
    return [
        notice(event_id, event, supervisor_recipient(event.division), "回头看到期", to_supervisors, now, event.case_id),
        notice(event_id, event, unit_recipient(event.unit.id), "回头看通知", to_unit, now, event.case_id),
    ]


class CloseLoopNoticeEntrypoints:
    @event_handler(EvaluationCodeIssued)
    def on_evaluation_code_issued(self, body):
        envelope, event = EvaluationCodeIssued.from_wire(body)
        erased = self.store.erased_contacts.find_one({"_id": event.tracking_code}) is not None
        self.store.add_notices(for_code_issued(envelope.event_id, event, erased, utc_now()))

    @event_handler(EvaluationRequested)
    def on_evaluation_requested(self, body):
        envelope, event = EvaluationRequested.from_wire(body)
        followers = self.store.followers_of(event.case_id)
        self.store.add_notices(for_evaluation_requested(envelope.event_id, event, followers, utc_now()))

    @event_handler(CaseKeyMarked)
    def on_case_key_marked(self, body):
        envelope, event = CaseKeyMarked.from_wire(body)
        self.store.add_notices(for_key_marked(envelope.event_id, event, utc_now()))

    @event_handler(ReviewDue)
    def on_review_due(self, body):
        envelope, event = ReviewDue.from_wire(body)
        self.store.add_notices(for_review_due(envelope.event_id, event, utc_now()))
