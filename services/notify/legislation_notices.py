"""Legislation's notices, mixed into NotifyService: the office hears its consultation open and close;
a contact point hears of a task given to it, by the office or forwarded by a partner (区域协同).
Recipients are `legislative_office:<division>` and `contact_point:<division>`, the inboxes the keys of
that role and scope read (`contracts.notify.delivery.principal_recipient`); ids are event id +
recipient, so a redelivered event stores nothing twice."""

from datetime import datetime

from contracts.legislation.comments import AdoptionDecision, CommentAdoptionDecided, CommentsSubmitted
from contracts.legislation.drafts import DraftClosed, DraftOpened
from contracts.legislation.tasks import TaskAssigned, TaskForwarded
from infra.clock import SHANGHAI, utc_now
from infra.nameko_entrypoints import event_handler
from services.notify.notification import Notification, notice


def office_recipient(division: str) -> str:
    return f"legislative_office:{division}"


def point_recipient(division: str) -> str:
    return f"contact_point:{division}"


def beijing(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def for_draft_opened(event_id: str, event: DraftOpened, now: datetime) -> list[Notification]:
    body = f"《{event.title}》（{event.version}）已开始公开征求意见，截止时间 {beijing(event.closes_at)}（北京时间）。"
    return [notice(event_id, event, office_recipient(event.division), "草案开始征求意见", body, now)]


def for_draft_closed(event_id: str, event: DraftClosed, now: datetime) -> list[Notification]:
    early = f"已提前结束征求意见（{event.reason}）" if event.early else "征求意见期已届满"
    body = f"《{event.title}》{early}，结束时间 {beijing(event.closed_at)}（北京时间），可汇总各联系点意见。"
    return [notice(event_id, event, office_recipient(event.division), "草案征求意见结束", body, now)]


def questions(focus: list[str]) -> str:
    return f"重点征询：{'；'.join(focus)}。" if focus else ""


def for_task_assigned(event_id: str, event: TaskAssigned, now: datetime) -> list[Notification]:
    body = (
        f"立法机关请贵联系点就《{event.draft_title}》征集意见，"
        f"请于 {event.due_date.isoformat()} 前整理上报。{questions(event.focus_questions)}"
    )
    return [notice(event_id, event, point_recipient(event.division), "新的立法征询意见任务", body, now)]


def for_task_forwarded(event_id: str, event: TaskForwarded, now: datetime) -> list[Notification]:
    body = (
        f"协作联系点（{event.from_point_id}）转来《{event.draft_title}》的征询任务，"
        f"请于 {event.due_date.isoformat()} 前收集意见，意见将随任务回流。{questions(event.focus_questions)}"
    )
    return [notice(event_id, event, point_recipient(event.division), "协作联系点转来的征询任务", body, now)]


def contributor_recipient(comment_id: str) -> str:
    """The person who left a comment with a contact; notify delivers to them through
    `legislation.contact_for_feedback(comment_id)`, and keeps no contact itself."""
    return f"contributor:{comment_id}"


def for_comments_submitted(event_id: str, event: CommentsSubmitted, now: datetime) -> list[Notification]:
    source = f"联系点（{event.point_id}）" if event.point_id else "网上直报"
    body = f"{source}上报了 {len(event.comment_ids)} 条意见（批次 {event.submission_id}），请汇总研究并反馈采纳情况。"
    return [notice(event_id, event, office_recipient(event.office_division), "收到上报的立法意见", body, now)]


OUTCOMES = {
    AdoptionDecision.ADOPTED: "已被采纳",
    AdoptionDecision.PARTLY_ADOPTED: "已被部分采纳",
    AdoptionDecision.NOT_ADOPTED: "未被采纳",
}


def for_comment_adoption_decided(event_id: str, event: CommentAdoptionDecided, now: datetime) -> list[Notification]:
    """采纳反馈 to the contributor, if they left a contact; the reason goes with it."""
    if not event.has_contact:
        return []
    body = f"感谢您对《{event.draft_title}》提出的意见。您的意见{OUTCOMES[event.decision]}：{event.reason}"
    return [notice(event_id, event, contributor_recipient(event.comment_id), "立法意见采纳情况反馈", body, now)]


class LegislationNoticeEntrypoints:
    @event_handler(DraftOpened)
    def on_draft_opened(self, body):
        envelope, event = DraftOpened.from_wire(body)
        self.store.add_notices(for_draft_opened(envelope.event_id, event, utc_now()))

    @event_handler(DraftClosed)
    def on_draft_closed(self, body):
        envelope, event = DraftClosed.from_wire(body)
        self.store.add_notices(for_draft_closed(envelope.event_id, event, utc_now()))

    @event_handler(TaskAssigned)
    def on_task_assigned(self, body):
        envelope, event = TaskAssigned.from_wire(body)
        self.store.add_notices(for_task_assigned(envelope.event_id, event, utc_now()))

    @event_handler(TaskForwarded)
    def on_task_forwarded(self, body):
        envelope, event = TaskForwarded.from_wire(body)
        self.store.add_notices(for_task_forwarded(envelope.event_id, event, utc_now()))

    @event_handler(CommentsSubmitted)
    def on_comments_submitted(self, body):
        envelope, event = CommentsSubmitted.from_wire(body)
        self.store.add_notices(for_comments_submitted(envelope.event_id, event, utc_now()))

    @event_handler(CommentAdoptionDecided)
    def on_comment_adoption_decided(self, body):
        envelope, event = CommentAdoptionDecided.from_wire(body)
        self.store.add_notices(for_comment_adoption_decided(envelope.event_id, event, utc_now()))
