"""A comment on a draft and the review rules a contact point applies to it (plain Python, no I/O).

The words a comment arrived with (`text`, and `translation` beside a non-Mandarin original) are
never changed: an edit goes to `edited`. Once submitted, a comment is frozen except for the office's
adoption decision.
"""

from datetime import datetime

from pydantic import BaseModel, model_validator

from contracts.errors import ErrorCode, ServiceError
from contracts.intake.opinions import SealedContact
from contracts.legislation.comments import (
    MANDARIN,
    Adoption,
    AdoptionDecision,
    CommentChannel,
    CommentStatus,
    CommentView,
    EditedText,
    Meeting,
    Stance,
)
from contracts.vocabulary import Instant

REVIEWABLE = {CommentStatus.RECEIVED, CommentStatus.ACCEPTED, CommentStatus.REJECTED}


class Comment(BaseModel):
    comment_id: str
    draft_id: str
    division: str
    point_id: str | None = None
    task_id: str | None = None
    chain: list[str] = []
    """The points the comment counts for and flows back to: the one that heard it and, under a forwarded
    task, each point the task came through (the task's chain, from the one the office asked)."""
    channel: CommentChannel
    articles: list[int]
    stance: Stance | None = None
    text: str
    language: str = MANDARIN
    translation: str | None = None
    edited: EditedText | None = None
    meeting: Meeting | None = None
    participants: int = 1
    status: CommentStatus = CommentStatus.RECEIVED
    merged_into: str | None = None
    duplicates: list[str] = []
    reject_reason: str | None = None
    submission_id: str | None = None
    adoption: Adoption | None = None
    contact: SealedContact | None = None
    received_at: Instant
    recorded_by: str
    seq: int = 0
    version: int = 0

    @model_validator(mode="after")
    def heard_by_its_point(self) -> "Comment":
        if not self.chain and self.point_id:
            self.chain = [self.point_id]
        return self

    def belongs_to(self, point_id: str | None) -> bool:
        """Whether the point may review and submit it: one on its chain; None, the office, for those of no point."""
        return point_id in self.chain if point_id else self.point_id is None

    def view(self) -> CommentView:
        return CommentView(
            **self.model_dump(exclude={"contact", "recorded_by"}),
            has_contact=self.contact is not None,
        )

    @property
    def readable(self) -> str:
        """The words a reader of Mandarin reads: the edited version, else the translation, else the original."""
        if self.edited is not None:
            return self.edited.text
        return self.translation or self.text


def refuse(detail: str, field: str = "comment_id", code: ErrorCode = ErrorCode.INVALID_TRANSITION) -> ServiceError:
    return ServiceError(code, detail, field)


def reviewable(comment: Comment) -> None:
    if comment.status is CommentStatus.SUBMITTED:
        raise refuse("意见已上报，不能再修改，只能由立法机关反馈 (a submitted comment is frozen)")
    if comment.status is CommentStatus.MERGED:
        raise refuse(f"意见已合并到 {comment.merged_into} (merged into another comment)")


def accept(comment: Comment) -> Comment:
    reviewable(comment)
    return comment.model_copy(update={"status": CommentStatus.ACCEPTED, "reject_reason": None})


def reject(comment: Comment, reason: str) -> Comment:
    reviewable(comment)
    return comment.model_copy(update={"status": CommentStatus.REJECTED, "reject_reason": reason})


def edit(comment: Comment, text: str, translation: str | None, actor_ref: str, now: datetime) -> Comment:
    """The edited wording beside the original, which stays as it arrived (原汁原味)."""
    reviewable(comment)
    edited = EditedText(text=text, translation=translation, edited_at=now, edited_by=actor_ref)
    return comment.model_copy(update={"edited": edited})


def merge(duplicate: Comment, primary: Comment) -> tuple[Comment, Comment]:
    """The duplicate points to the primary, which lists it; both on the same draft, neither frozen."""
    if duplicate.comment_id == primary.comment_id:
        raise refuse("不能把意见合并到自身 (a comment cannot be merged into itself)", "into", ErrorCode.INVALID)
    if duplicate.draft_id != primary.draft_id:
        raise refuse("只能合并同一草案的意见 (comments on different drafts)", "into", ErrorCode.INVALID)
    reviewable(duplicate)
    reviewable(primary)
    merged = duplicate.model_copy(update={"status": CommentStatus.MERGED, "merged_into": primary.comment_id})
    grown = primary.model_copy(update={"duplicates": [*primary.duplicates, duplicate.comment_id]})
    return merged, grown


def submit(comment: Comment, submission_id: str) -> Comment:
    if comment.status is not CommentStatus.ACCEPTED:
        raise refuse(
            f"只能上报已采用的意见，{comment.comment_id} 为 {comment.status.value} (only accepted ones are submitted)",
            "comment_ids",
        )
    return comment.model_copy(update={"status": CommentStatus.SUBMITTED, "submission_id": submission_id})


def decide_adoption(
    comment: Comment, decision: AdoptionDecision, reason: str, actor_ref: str, now: datetime
) -> Comment:
    """The office's feedback on a submitted comment; it may correct an earlier decision."""
    if comment.status is not CommentStatus.SUBMITTED:
        raise refuse("只能对已上报的意见反馈采纳情况 (only submitted comments get an adoption decision)")
    adoption = Adoption(decision=decision, reason=reason, decided_at=now, decided_by=actor_ref)
    return comment.model_copy(update={"adoption": adoption})
