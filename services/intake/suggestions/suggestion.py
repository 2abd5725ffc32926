"""A formal deputy suggestion and its pre-review (联合预审), as pure functions.

    drafted ──submit──▶ under_review ──accept──▶ accepted (suggestion.accepted: routing takes it)
       ▲                 │      │  ▲
     edit            return  merge └──submit── returned ◀─ edit
                         ▼      ▼
                     returned  merged (into another, which keeps every deputy)

Who may act, the one rule of each side:
- The lead deputy's side (file, edit, submit): a DEPUTY key whose scope covers the lead deputy's
  division (a deputy key names no deputy yet, so the lead deputy is named in the filing and the
  key's scope vouches for it), or an ADMIN key covering it.
- The reviewers' side (return, merge, accept): the congress office — SUPERVISOR keys (人大常委会
  代表工委 / 选联工委) and ADMIN keys — whose scope covers the suggestion's division.
Outside its scope a key does not see the suggestion at all (not found).
"""

from dataclasses import dataclass, field
from datetime import datetime

from pydantic import BaseModel

from contracts.actor import Actor
from contracts.errors import ErrorCode, ServiceError
from contracts.intake.suggestions import (
    CongressSession,
    DeputyRef,
    Handling,
    ReviewStep,
    SuggestionAccepted,
    SuggestionStatus,
)
from contracts.message import Message
from contracts.routing import CaseAccepted, CaseAssigned
from contracts.vocabulary import CaseStatus, Instant, Role, within

S = SuggestionStatus
MOVES: dict[S, frozenset[S]] = {
    S.DRAFTED: frozenset({S.UNDER_REVIEW}),
    S.UNDER_REVIEW: frozenset({S.RETURNED, S.ACCEPTED, S.MERGED}),
    S.RETURNED: frozenset({S.UNDER_REVIEW, S.MERGED}),
    S.ACCEPTED: frozenset(),
    S.MERGED: frozenset(),
}
EDITABLE = frozenset({S.DRAFTED, S.RETURNED})
REVIEWERS = frozenset({Role.SUPERVISOR, Role.ADMIN})


class Suggestion(BaseModel):
    id: str
    number: int
    division: str
    session: CongressSession
    title: str
    text: str
    lead_deputy: DeputyRef
    co_signers: list[DeputyRef]
    status: SuggestionStatus
    filed_at: Instant
    accepted_at: Instant | None = None
    merged_into: str | None = None
    merged_from: list[str] = []
    handling: Handling | None = None
    history: list[ReviewStep]
    version: int = 0

    @property
    def label(self) -> str:
        return f"建议第{self.number}号"

    @property
    def deputies(self) -> list[DeputyRef]:
        return [self.lead_deputy, *self.co_signers]


@dataclass(frozen=True)
class Decision:
    suggestion: Suggestion
    events: list[Message] = field(default_factory=list)


def act_for_deputy(actor: Actor, lead: DeputyRef) -> None:
    """The lead deputy's side: a deputy key covering the lead deputy's division, or an admin's."""
    if actor.role not in (Role.DEPUTY, Role.ADMIN) or not within(lead.division, actor.scope):
        raise ServiceError(
            ErrorCode.FORBIDDEN,
            f"只有领衔代表 {lead.name} 本人（其所在地区的代表密钥）可以这样做 (only the lead deputy's key may do this)",
            "lead_deputy",
        )


def review(actor: Actor) -> None:
    if actor.role not in REVIEWERS:
        raise ServiceError(
            ErrorCode.FORBIDDEN, "只有人大常委会代表工作机构可以预审代表建议 (only the congress office reviews)", "role"
        )


def step(suggestion: Suggestion, target: S, actor: Actor, now: datetime, comment: str = "") -> Suggestion:
    if target not in MOVES[suggestion.status]:
        raise ServiceError(
            ErrorCode.INVALID_TRANSITION,
            f"代表建议状态不能从 {suggestion.status.value} 变为 {target.value} "
            f"(move {suggestion.status.value} → {target.value} is not allowed)",
            "status",
        )
    moved = ReviewStep(status=target, at=now, actor=actor.ref, comment=comment)
    return suggestion.model_copy(update={"status": target, "history": [*suggestion.history, moved]})


def file(
    suggestion_id: str,
    number: int,
    division: str,
    session: CongressSession,
    title: str,
    text: str,
    lead: DeputyRef,
    co_signers: list[DeputyRef],
    actor: Actor,
    now: datetime,
) -> Suggestion:
    """A new draft, numbered in its session."""
    act_for_deputy(actor, lead)
    refuse_lead_as_co_signer(lead, co_signers)
    return Suggestion(
        id=suggestion_id,
        number=number,
        division=division,
        session=session,
        title=title,
        text=text,
        lead_deputy=lead,
        co_signers=co_signers,
        status=S.DRAFTED,
        filed_at=now,
        history=[ReviewStep(status=S.DRAFTED, at=now, actor=actor.ref, comment="领衔代表提出")],
    )


def edit(
    suggestion: Suggestion, title: str, text: str, co_signers: list[DeputyRef], actor: Actor, now: datetime
) -> Suggestion:
    """The lead deputy rewords it, while drafted or returned; the status stays, the edit is kept in
    the history."""
    act_for_deputy(actor, suggestion.lead_deputy)
    if suggestion.status not in EDITABLE:
        raise ServiceError(
            ErrorCode.INVALID_TRANSITION,
            f"{suggestion.status.value} 状态的建议不能修改，只有起草中或退回的可以 (only drafted or returned ones)",
            "status",
        )
    refuse_lead_as_co_signer(suggestion.lead_deputy, co_signers)
    edited = ReviewStep(status=suggestion.status, at=now, actor=actor.ref, comment="领衔代表修改")
    return suggestion.model_copy(
        update={"title": title, "text": text, "co_signers": co_signers, "history": [*suggestion.history, edited]}
    )


def refuse_lead_as_co_signer(lead: DeputyRef, co_signers: list[DeputyRef]) -> None:
    if any(deputy.id == lead.id for deputy in co_signers):
        raise ServiceError(
            ErrorCode.INVALID, "领衔代表不能同时是附议代表 (the lead deputy cannot co-sign)", "co_signers"
        )


def submit(suggestion: Suggestion, actor: Actor, now: datetime) -> Suggestion:
    """提交预审: a draft, or a returned one after its edits."""
    act_for_deputy(actor, suggestion.lead_deputy)
    reason = "修改后重新提交" if suggestion.status is S.RETURNED else "提交预审"
    return step(suggestion, S.UNDER_REVIEW, actor, now, reason)


def return_to_deputy(suggestion: Suggestion, comment: str, actor: Actor, now: datetime) -> Suggestion:
    review(actor)
    return step(suggestion, S.RETURNED, actor, now, comment)


def accept(suggestion: Suggestion, actor: Actor, now: datetime) -> Decision:
    """立案: the suggestion goes to routing."""
    review(actor)
    accepted = step(suggestion, S.ACCEPTED, actor, now, "预审通过，立案交办")
    accepted = accepted.model_copy(update={"accepted_at": now})
    event = SuggestionAccepted(
        suggestion_id=accepted.id,
        number=accepted.number,
        division=accepted.division,
        session=accepted.session,
        session_name=accepted.session.name,
        title=accepted.title,
        text=accepted.text,
        deputies=accepted.deputies,
        accepted_at=now,
    )
    return Decision(accepted, [event])


def merge(
    target: Suggestion, absorbed: list[Suggestion], actor: Actor, now: datetime
) -> tuple[Suggestion, list[Suggestion]]:
    """并案: the target, under review, absorbs the others of its division and session (under review
    or returned). It keeps its lead deputy; every other deputy of all of them co-signs it, once.

    An absorbed one already merged into this target counts as absorbed (a retried merge that a crash
    interrupted completes), and is not changed again. Returns the target and the ones that change.
    """
    review(actor)
    if target.status is not S.UNDER_REVIEW:
        raise ServiceError(
            ErrorCode.INVALID_TRANSITION,
            f"只有预审中的建议可以并入其他建议，此件为 {target.status.value} (only one under review absorbs others)",
            "status",
        )
    changed = []
    for index, other in enumerate(absorbed):
        where = f"absorb.{index}"
        if other.id == target.id:
            raise ServiceError(ErrorCode.INVALID, "建议不能并入自身 (cannot absorb itself)", where)
        if other.division != target.division or other.session != target.session:
            raise ServiceError(
                ErrorCode.INVALID, f"{other.label} 不属于同一地区同一次会议 (another division or session)", where
            )
        if other.status is S.MERGED and other.merged_into == target.id:
            continue
        if S.MERGED not in MOVES[other.status]:
            raise ServiceError(
                ErrorCode.INVALID_TRANSITION,
                f"{other.label} 为 {other.status.value}，不能并案 (only ones under review or returned merge)",
                where,
            )
        moved = step(other, S.MERGED, actor, now, f"并入{target.label}")
        changed.append(moved.model_copy(update={"merged_into": target.id}))
    if not changed and all(other.id in target.merged_from for other in absorbed):
        return target, []  # merged before: nothing changes
    deputies = {target.lead_deputy.id}
    co_signers = []
    for deputy in [*target.co_signers, *(d for other in absorbed for d in other.deputies)]:
        if deputy.id not in deputies:
            deputies.add(deputy.id)
            co_signers.append(deputy)
    labels = "、".join(other.label for other in absorbed)
    merged_from = [*target.merged_from, *(o.id for o in absorbed if o.id not in target.merged_from)]
    moved = ReviewStep(status=S.UNDER_REVIEW, at=now, actor=actor.ref, comment=f"合并{labels}")
    target = target.model_copy(
        update={"co_signers": co_signers, "merged_from": merged_from, "history": [*target.history, moved]}
    )
    return target, changed


def assigned(suggestion: Suggestion, event: CaseAssigned) -> Suggestion:
    """交办: the deputies see which unit handles their suggestion and by when."""
    handling = Handling(
        status=CaseStatus.ASSIGNED, lead_unit=event.lead_unit, co_units=event.co_units, due_date=event.due_date
    )
    return suggestion.model_copy(update={"handling": handling})


def signed_for(suggestion: Suggestion, event: CaseAccepted) -> Suggestion:
    """签收: the lead unit has begun handling it."""
    if suggestion.handling is None:
        return suggestion
    handling = suggestion.handling.model_copy(update={"status": CaseStatus.ACCEPTED})
    return suggestion.model_copy(update={"handling": handling})
