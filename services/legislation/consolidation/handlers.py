"""整理上报: a contact point reviews its comments (accept, merge, edit, reject) and submits a batch.

Comments without a point (citizens' online comments with no point's code) are the office's own to
review and submit. A change is saved guarded on the comment's version; a concurrent one is a conflict.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from ulid_transform import ulid_now

from contracts.actor import Actor
from contracts.errors import ErrorCode, ServiceError, parse
from contracts.legislation.comments import CommentsSubmitted, CommentStatus, EditIn, RejectIn, SubmissionView, SubmitIn
from contracts.vocabulary import Role, fixed_width_utc
from infra.aggregates import APPLY_ATTEMPTS, VersionConflict
from services.legislation.comments import comment as rules
from services.legislation.comments.comment import Comment
from services.legislation.comments.handlers import acting_for, loaded, point_of
from services.legislation.comments.submission import UNFINISHED, Submission, SubmissionState

log = logging.getLogger(__name__)


def reviewer(store, comment_point: str | None, draft_id: str, actor: Actor) -> None:
    """The point's staff review its comments; the draft's office reviews those of no point."""
    if comment_point is not None:
        acting_for(actor, point_of(store, comment_point))
        return
    draft = store.drafts.get(draft_id)
    if actor.role not in (Role.LEGISLATIVE_OFFICE, Role.ADMIN) or draft is None or not actor.can_see(draft.division):
        raise ServiceError(
            ErrorCode.FORBIDDEN, "网上直报的意见由立法机关整理 (the office reviews comments of no point)", "point_id"
        )


def comment_reviewer(store, comment: Comment, actor: Actor) -> None:
    """Staff of any point on the comment's chain: the one that heard it, and each that forwarded the
    task it was heard under (what a partner collects flows back to be reviewed and submitted there)."""
    if comment.point_id is None:
        reviewer(store, None, comment.draft_id, actor)
        return
    refusal = None
    for point_id in reversed(comment.chain):
        try:
            reviewer(store, point_id, comment.draft_id, actor)
            return
        except ServiceError as error:
            refusal = error
    raise refusal


def saved(store, comment: Comment, now: datetime, events=(), correlation_id: str = "-", applied=None) -> Comment:
    try:
        return store.comments.save(comment, now, events, correlation_id, applied)
    except VersionConflict as conflict:
        state = conflict.current.view().model_dump(mode="json") if conflict.current else None
        raise ServiceError(ErrorCode.CONFLICT, "意见已被他人更新 (changed meanwhile)", "comment_id", state) from None


def review(store, comment_id: str, actor: Actor, now: datetime, rule: Callable[[Comment], Comment]) -> Comment:
    comment = loaded(store, comment_id)
    comment_reviewer(store, comment, actor)
    changed = saved(store, rule(comment), now)
    if changed.status is CommentStatus.REJECTED:
        store.comments.unrepresent(changed)
    return changed


def rule_for(action: str, body: dict | None, actor_ref: str, now: datetime) -> Callable[[Comment], Comment]:
    """The review rule an action names: accept, reject (with a reason) or edit (the edited wording)."""
    if action == "accept":
        return rules.accept
    if action == "reject":
        reason = parse(RejectIn, body).reason
        return partial(rules.reject, reason=reason)
    if action == "edit":
        edit = parse(EditIn, body)
        return partial(rules.edit, text=edit.text, translation=edit.translation, actor_ref=actor_ref, now=now)
    raise ServiceError(ErrorCode.INVALID, f"未知的整理操作 {action} (unknown review action)", "action")


def point_comments(store, draft_id: str, point_id: str, actor: Actor) -> list[Comment]:
    """What a point consolidates on a draft (整理): its own comments and those its partners heard under
    tasks it forwarded, whatever their state, in the order they arrived. Its staff see them, and the
    draft's office (which reads them in the feed anyway)."""
    draft = store.drafts.get(draft_id)
    if draft is None:
        raise ServiceError(ErrorCode.NOT_FOUND, f"草案 {draft_id} 不存在 (no such draft)", "draft_id")
    point = point_of(store, point_id)
    if actor.role not in (Role.LEGISLATIVE_OFFICE, Role.ADMIN) or not actor.can_see(draft.division):
        acting_for(actor, point)
    return sorted(store.comments.of_point(draft_id, point_id), key=lambda c: (c.received_at, c.comment_id))


def merge(store, comment_id: str, into: str, actor: Actor, now: datetime) -> Comment:
    """The duplicate first, then the primary: a crash between leaves a duplicate pointing at a primary
    that does not list it yet, which a repeated merge completes. An unknown primary is the body's
    mistake, named `into` (the form shows it beside the field)."""
    duplicate, primary = loaded(store, comment_id), store.comments.get(into)
    if primary is None:
        raise ServiceError(ErrorCode.INVALID, f"要合并到的意见 {into} 不存在 (no such comment to merge into)", "into")
    comment_reviewer(store, duplicate, actor)
    comment_reviewer(store, primary, actor)
    if duplicate.merged_into == primary.comment_id and comment_id not in primary.duplicates:
        return saved(store, primary.model_copy(update={"duplicates": [*primary.duplicates, comment_id]}), now)
    merged, grown = rules.merge(duplicate, primary)
    store.comments.unrepresent(saved(store, merged, now))
    return saved(store, grown, now)


def submit(store, draft_id: str, command: SubmitIn, actor: Actor, now: datetime, correlation_id: str) -> SubmissionView:
    """Records the batch (pending), then completes it: frozen comments, `comments.submitted`, figures."""
    draft = store.drafts.get(draft_id)
    if draft is None:
        raise ServiceError(ErrorCode.NOT_FOUND, f"草案 {draft_id} 不存在 (no such draft)", "draft_id")
    reviewer(store, command.point_id, draft_id, actor)
    if command.comment_ids is None:
        batch = store.comments.of_point(draft_id, command.point_id, CommentStatus.ACCEPTED.value)
    else:
        batch = [loaded(store, comment_id) for comment_id in dict.fromkeys(command.comment_ids)]
    strangers = [c.comment_id for c in batch if c.draft_id != draft_id or not c.belongs_to(command.point_id)]
    if strangers:
        raise ServiceError(
            ErrorCode.INVALID, f"意见不属于该联系点或该草案：{'、'.join(strangers)} (not this point's)", "comment_ids"
        )
    if not batch:
        raise ServiceError(ErrorCode.INVALID, "没有待上报的已采用意见 (nothing accepted to submit)", "comment_ids")
    submission_id = ulid_now().lower()
    for comment in batch:
        rules.submit(comment, submission_id)  # refuses before anything changes
    submission = Submission(
        submission_id=submission_id,
        draft_id=draft_id,
        division=store.points.get(command.point_id).division if command.point_id else draft.division,
        point_id=command.point_id,
        comment_ids=[c.comment_id for c in batch],
        note=command.note,
        submitted_at=now,
        submitted_by=actor.ref,
    )
    store.comments.submissions.add(submission)
    completed = complete(store, submission.model_copy(update={"version": 1}), now, correlation_id)
    if completed.state is SubmissionState.VOID:
        raise ServiceError(ErrorCode.CONFLICT, "意见已被他人更新或上报 (changed meanwhile)", "comment_ids")
    return completed.view()


def freeze(store, comment_id: str, submission_id: str, now: datetime) -> Comment | None:
    """The comment frozen under the submission (already, or now); None if it changed so it cannot be."""
    for _ in range(APPLY_ATTEMPTS):
        comment = store.comments.get(comment_id)
        if comment is not None and comment.submission_id == submission_id:
            return comment
        if comment is None or comment.status is not CommentStatus.ACCEPTED:
            return None
        try:
            return store.comments.save(rules.submit(comment, submission_id), now)
        except VersionConflict:
            continue
    return None


def complete(store, submission: Submission, now: datetime, correlation_id: str = "-") -> Submission:
    """Takes a submission from where it stands to `done` (or `void`); safe to run again, or from two
    replicas at once: freezing is per comment, the state changes are guarded saves, and the figures
    count a submission once."""
    submissions = store.comments.submissions
    if submission.state is SubmissionState.PENDING:
        frozen = [c for c in (freeze(store, i, submission.submission_id, now) for i in submission.comment_ids) if c]
        state = SubmissionState.RECORDED if frozen else SubmissionState.VOID
        task_ids = sorted({c.task_id for c in frozen if c.task_id})
        recorded = submission.model_copy(
            update={"state": state, "comment_ids": [c.comment_id for c in frozen], "task_ids": task_ids}
        )
        draft = store.drafts.get(submission.draft_id)
        event = CommentsSubmitted(
            **recorded.model_dump(include={"submission_id", "draft_id", "division", "point_id", "task_ids"}),
            office_id=draft.office_id,
            office_division=draft.division,
            comment_ids=recorded.comment_ids,
            submitted_at=recorded.submitted_at,
        )
        try:
            submission = submissions.save(recorded, [event] if frozen else [], correlation_id)
        except VersionConflict as conflict:  # another replica recorded it
            submission = conflict.current
    if submission.state is SubmissionState.RECORDED:
        comments = [store.comments.get(comment_id) for comment_id in submission.comment_ids]
        store.comments.adoption.submitted(
            submission.submission_id, ((c.draft_id, c.chain, c.division) for c in comments)
        )
        try:
            submission = submissions.save(submission.model_copy(update={"state": SubmissionState.DONE}))
        except VersionConflict as conflict:
            submission = conflict.current
        log.info("submission %s: %d comments of draft %s", submission.submission_id, len(comments), submission.draft_id)
    return submission


def settle(store, older_than: timedelta, now: datetime, limit: int = 100) -> int:
    """Completes the submissions a crash left unfinished (older than `older_than`); how many."""
    query = {"state": {"$in": list(UNFINISHED)}, "submitted_at": {"$lt": fixed_width_utc(now - older_than)}}
    found = store.comments.submissions.page(query, "submitted_at", False, limit).items
    for submission in found:
        complete(store, submission, now)
    return len(found)
