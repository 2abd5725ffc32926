"""Receiving comments: a citizen's online, a meeting's offline. Each checks the draft is open and
has the articles named, stores the comment and counts it (comments/store.py)."""

import logging
from datetime import datetime

from prometheus_client import Counter
from ulid_transform import ulid_now

from contracts.actor import Actor
from contracts.errors import ErrorCode, ServiceError
from contracts.legislation.comments import CommentChannel, CommentReceipt, OfflineCommentIn, PublicCommentIn
from infra.pii import PiiCipher
from services.legislation.aggregates.themes import themes
from services.legislation.comments.comment import Comment
from services.legislation.drafts.draft import Draft

log = logging.getLogger(__name__)
COMMENTS_RECEIVED = Counter("legislation_comments_received_total", "Comments on drafts stored", ["channel"])


def new_comment_id() -> str:
    return ulid_now().lower()


def open_draft(store, draft_id: str, now: datetime) -> Draft:
    draft = store.drafts.get(draft_id)
    if draft is None:
        raise ServiceError(ErrorCode.NOT_FOUND, f"草案 {draft_id} 不存在 (no such draft)", "draft_id")
    if not draft.is_open(now):
        raise ServiceError(
            ErrorCode.INVALID_TRANSITION,
            f"草案不在征求意见期内（{draft.status(now).value}），不能再提意见 (the draft is not open for comments)",
            "draft_id",
        )
    return draft


def known_articles(draft: Draft, articles: list[int]) -> None:
    unknown = [number for number in articles if draft.article(number) is None]
    if unknown:
        numbers = "、".join(str(number) for number in unknown)
        raise ServiceError(ErrorCode.INVALID, f"草案没有第 {numbers} 条 (the draft has no such article)", "articles")


def point_of(store, point_id: str, field: str = "point_id"):
    point = store.points.get(point_id)
    if point is None:
        raise ServiceError(ErrorCode.INVALID, f"联系点 {point_id} 不存在 (no such contact point)", field)
    return point


def acting_for(actor: Actor, point) -> None:
    """The point's own staff or officers: its division within the key's scope, and its id when the key names one."""
    if not actor.can_see(point.division) or (actor.unit and actor.unit != point.point_id):
        raise ServiceError(ErrorCode.FORBIDDEN, "该联系点不在密钥的管辖范围内 (outside the key's scope)", "point_id")


def receive_public(store, draft_id: str, command: PublicCommentIn, now: datetime) -> CommentReceipt:
    draft = open_draft(store, draft_id, now)
    known_articles(draft, command.articles)
    point = point_of(store, command.point_id) if command.point_id else None
    division = point.division if point else command.division or draft.division
    comment = Comment(
        comment_id=new_comment_id(),
        draft_id=draft.draft_id,
        division=division,
        point_id=command.point_id,
        channel=CommentChannel.ONLINE,
        articles=command.articles,
        stance=command.stance,
        text=command.text,
        contact=command.contact,
        received_at=now,
        recorded_by="citizen",
    )
    stored = store.comments.add(comment, themes(comment.readable), now)
    COMMENTS_RECEIVED.labels(stored.channel.value).inc()
    log.info("comment %s on draft %s (%d articles)", stored.comment_id, draft.draft_id, len(stored.articles))
    return CommentReceipt(
        comment_id=stored.comment_id, draft_id=stored.draft_id, articles=stored.articles, received_at=now
    )


def record_offline(store, draft_id: str, command: OfflineCommentIn, actor: Actor, now: datetime) -> Comment:
    draft = open_draft(store, draft_id, now)
    known_articles(draft, command.articles)
    point = point_of(store, command.point_id)
    acting_for(actor, point)
    chain = [point.point_id]
    if command.task_id is not None:
        task = store.tasks.get(command.task_id)
        if task is None or task.draft_id != draft_id or task.point_id != point.point_id:
            raise ServiceError(
                ErrorCode.INVALID, "该联系点没有这项征询任务 (no such task of this point on this draft)", "task_id"
            )
        chain = task.chain  # what a partner hears under a forwarded task flows back to who forwarded it
    comment = Comment(
        comment_id=new_comment_id(),
        draft_id=draft.draft_id,
        division=point.division,
        point_id=point.point_id,
        task_id=command.task_id,
        chain=chain,
        channel=command.channel,
        articles=command.articles,
        stance=command.stance,
        text=command.text,
        language=command.language,
        translation=command.translation,
        meeting=command.meeting,
        participants=command.meeting.participants,
        contact=command.contact,
        received_at=now,
        recorded_by=actor.ref,
    )
    stored = store.comments.add(comment, themes(comment.readable), now)
    COMMENTS_RECEIVED.labels(stored.channel.value).inc()
    log.info("offline comment %s at point %s (%s)", stored.comment_id, point.point_id, command.channel.value)
    return stored


def loaded(store, comment_id: str) -> Comment:
    comment = store.comments.get(comment_id)
    if comment is None:
        raise ServiceError(ErrorCode.NOT_FOUND, f"意见 {comment_id} 不存在 (no such comment)", "comment_id")
    return comment


def on_chain(store, comment: Comment, actor: Actor) -> bool:
    """Whether the key is a point's on the comment's chain (one that forwarded the task it was heard under)."""
    return any(point and actor.can_see(point.division) for point in map(store.points.get, comment.chain))


def readable_by(store, comment: Comment, actor: Actor) -> None:
    """Staff of the comment's division or of a point on its chain, or the office of the draft's."""
    draft = store.drafts.get(comment.draft_id)
    if (
        not actor.can_see(comment.division)
        and not (draft and actor.can_see(draft.division))
        and not on_chain(store, comment, actor)
    ):
        raise ServiceError(ErrorCode.NOT_FOUND, f"意见 {comment.comment_id} 不存在 (no such comment)", "comment_id")


def contact_for_feedback(store, cipher: PiiCipher, comment_id: str) -> dict:
    """The contributor's contact, decrypted for notify to deliver the feedback; never shown elsewhere."""
    comment = loaded(store, comment_id)
    if comment.contact is None:
        raise ServiceError(ErrorCode.NOT_FOUND, "该意见没有留联系方式 (no contact was left)", "comment_id")
    opened = cipher.open(comment.contact)
    return {"comment_id": comment_id, "name": opened.get("name"), "phone": opened.get("phone")}
