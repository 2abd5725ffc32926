"""The case state machine: which moves are allowed, each kept with who, when and why.

A case still being handled may be merged into a like one (合并处置); once replied to, it has its own answer.
A unit may return its assignment before or after signing (退回/申请改办); a replied case may be closed
by its station without waiting for an evaluation that never comes.

Actions that do not change the status (progress, meetings, co-opinions, extensions, pauses) are
allowed only while the case is with its units (`HANDLING`), and are kept in the history too.
"""

from datetime import datetime

from contracts.errors import ErrorCode, ServiceError
from contracts.routing import Transition
from contracts.vocabulary import CaseStatus as S

ALLOWED: dict[S, frozenset[S]] = {
    S.RECEIVED: frozenset({S.TRIAGED, S.MERGED}),
    S.TRIAGED: frozenset({S.ASSIGNED, S.CLOSED, S.ESCALATED, S.MERGED}),
    S.ASSIGNED: frozenset({S.ACCEPTED, S.RETURNED, S.MERGED}),
    S.ACCEPTED: frozenset({S.REPLIED, S.RETURNED, S.ESCALATED, S.MERGED}),
    S.REPLIED: frozenset({S.EVALUATED, S.CLOSED}),
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


HANDLING = frozenset({S.ASSIGNED, S.ACCEPTED, S.REOPENED})


def record(
    current: S, action: str, actor: str, reason: str, at: datetime, allowed: frozenset[S] = HANDLING
) -> Transition:
    """A history entry for an action that leaves the status as it is; refused outside `allowed`."""
    if current not in allowed:
        raise ServiceError(
            ErrorCode.INVALID_TRANSITION,
            f"案件状态为 {current.value} 时不能 {action} ({action} is not allowed on a {current.value} case)",
            "status",
        )
    return Transition(status=current, at=at, actor=actor, reason=reason, action=action)
