"""采纳反馈: the office decides on each submitted comment; the figures follow, and the contributor is told
(notify hears `comment.adoption_decided`)."""

import logging
from datetime import datetime

from contracts.actor import Actor
from contracts.errors import ErrorCode, ServiceError
from contracts.legislation.aggregates import AdoptionFigures
from contracts.legislation.comments import AdoptionIn, CommentAdoptionDecided
from services.legislation.comments import comment as rules
from services.legislation.comments.comment import Comment
from services.legislation.comments.handlers import loaded
from services.legislation.consolidation.handlers import saved

log = logging.getLogger(__name__)


def decide(store, comment_id: str, command: AdoptionIn, actor: Actor, now: datetime, correlation_id: str) -> Comment:
    comment = loaded(store, comment_id)
    draft = store.drafts.get(comment.draft_id)
    if draft is None or not actor.can_see(draft.division):
        raise ServiceError(ErrorCode.FORBIDDEN, "该草案不在密钥的管辖范围内 (outside the key's scope)", "comment_id")
    previous = comment.adoption.decision if comment.adoption else None
    decided = rules.decide_adoption(comment, command.decision, command.reason, actor.ref, now)
    event = CommentAdoptionDecided(
        comment_id=comment.comment_id,
        draft_id=draft.draft_id,
        draft_title=draft.title,
        division=comment.division,
        point_id=comment.point_id,
        decision=command.decision,
        reason=command.reason,
        decided_at=now,
        has_contact=comment.contact is not None,
    )
    where = (comment.draft_id, comment.chain, comment.division)
    entry = store.comments.adoption.deciding(comment.comment_id, where, command.decision, previous, now)
    stored = saved(store, decided, now, [event], correlation_id, entry and entry["_id"])
    store.comments.adoption.decided(entry)
    log.info("comment %s: %s", comment_id, command.decision.value)
    return stored


SCOPES = ("draft", "point", "division")


def significant(division: str) -> str:
    """A province's or city's six-digit code as the prefix its divisions share (450000 → 45, 451200 → 4512)."""
    while len(division) in (4, 6) and division.endswith("00"):
        division = division[:-2]
    return division


def figures(store, kind: str, key: str) -> AdoptionFigures:
    if kind not in SCOPES:
        raise ServiceError(ErrorCode.INVALID, f"统计范围应为 {'/'.join(SCOPES)} (unknown scope)", "scope")
    if kind == "division":
        found = store.comments.adoption.figures(f"division:{significant(key)}")
        return found.model_copy(update={"scope": f"division:{key}"})
    return store.comments.adoption.figures(f"{kind}:{key}")
