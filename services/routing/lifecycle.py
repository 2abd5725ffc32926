"""The case state machine: which moves are allowed, each kept with who, when and why.

A case still being handled may be merged into a like one (合并处置); once replied to, it has its own answer.
"""

from datetime import datetime

from contracts.errors import ErrorCode, ServiceError
from contracts.routing import Transition
from contracts.vocabulary import CaseStatus as S

ALLOWED: dict[S, frozenset[S]] = {
    S.RECEIVED: frozenset({S.TRIAGED, S.MERGED}),
    S.TRIAGED: frozenset({S.ASSIGNED, S.CLOSED, S.ESCALATED, S.MERGED}),
    S.ASSIGNED: frozenset({S.ACCEPTED, S.RETURNED, S.MERGED}),
    S.ACCEPTED: frozenset({S.REPLIED, S.ESCALATED, S.MERGED}),
    S.REPLIED: frozenset({S.EVALUATED}),
    S.EVALUATED: frozenset({S.CLOSED, S.REOPENED}),
    S.REOPENED: frozenset({S.REPLIED, S.MERGED}),
    S.RETURNED: frozenset({S.TRIAGED, S.MERGED}),
    S.ESCALATED: frozenset({S.TRIAGED, S.CLOSED, S.MERGED}),
    S.MERGED: frozenset(),
    S.CLOSED: frozenset(),
}


def move(current: S, target: S, actor: str, reason: str, at: datetime) -> Transition:
    if target not in ALLOWED[current]:
        raise ServiceError(
            ErrorCode.INVALID_TRANSITION,
            f"案件状态不能从 {current.value} 变为 {target.value} "
            f"(move {current.value} → {target.value} is not allowed)",
            "status",
        )
    return Transition(status=target, at=at, actor=actor, reason=reason)
