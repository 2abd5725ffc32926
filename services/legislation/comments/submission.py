"""A batch of comments a contact point submitted to the office (上报), with its event in the outbox.

Submitting touches many documents, so it is one recoverable step (no multi-document transactions):
the batch is recorded first, `pending`, with no event; its comments are then frozen with its id
(a comment frozen already under it is left as it is); then it is `recorded` with the comments that
froze and `comments.submitted` in its outbox, in one guarded save; then the adoption figures count it
(once per submission) and it is `done`. A crash at any point leaves a state the sweeper completes.
"""

from enum import StrEnum

from pydantic import BaseModel

from contracts.legislation.comments import SubmissionView
from contracts.vocabulary import Instant


class SubmissionState(StrEnum):
    PENDING = "pending"
    RECORDED = "recorded"
    DONE = "done"
    VOID = "void"
    """Nothing could be frozen (every comment changed meanwhile): no event, nothing counted."""


UNFINISHED = (SubmissionState.PENDING, SubmissionState.RECORDED)


class Submission(BaseModel):
    submission_id: str
    draft_id: str
    division: str
    point_id: str | None = None
    comment_ids: list[str]
    task_ids: list[str] = []
    note: str = ""
    submitted_at: Instant
    submitted_by: str
    state: SubmissionState = SubmissionState.PENDING
    version: int = 0

    def view(self) -> SubmissionView:
        return SubmissionView(**self.model_dump(exclude={"task_ids", "state", "version"}))
