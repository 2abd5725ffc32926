"""The suggestions' use cases: each loads, asks the rules in `suggestion.py`, and saves with the
events caused. `store` is the IntakeStore (the directory for deputies, `suggestions` for the rest)."""

import secrets
from datetime import datetime

from contracts.actor import Actor
from contracts.envelope import Envelope
from contracts.errors import ErrorCode, ServiceError
from contracts.intake.suggestions import (
    ID_ALPHABET,
    SUGGESTION_ID,
    DeputyRef,
    EditSuggestionIn,
    FileSuggestionIn,
    MergeSuggestionsIn,
    ReturnSuggestionIn,
    SuggestionActionIn,
)
from contracts.routing import CaseAccepted, CaseAssigned
from contracts.vocabulary import within
from infra.aggregates import VersionConflict
from services.intake.suggestions import suggestion as rules
from services.intake.suggestions.suggestion import Decision, Suggestion
from services.intake.suggestions.views import suggestion_view


def new_suggestion_id() -> str:
    value = secrets.randbits(60)
    chars = "".join(ID_ALPHABET[(value >> shift) & 31] for shift in range(55, -5, -5))
    return f"JY-{chars[:4]}-{chars[4:8]}-{chars[8:]}"


def deputy(store, deputy_id: str, division: str, field: str) -> DeputyRef:
    """An active deputy of the directory, elected within the congress's division."""
    found = store.directory.find("deputy", deputy_id)
    if found is None:
        raise ServiceError(ErrorCode.INVALID, f"代表 {deputy_id} 不存在 (unknown deputy)", field)
    if not found.get("active", True):
        raise ServiceError(ErrorCode.INVALID, f"代表 {found['name']} 已停用 (deactivated deputy)", field)
    if not within(found["division"], division):
        raise ServiceError(
            ErrorCode.INVALID,
            f"代表 {found['name']} 不是 {division} 本级人大的代表 (a deputy of another division)",
            field,
        )
    return DeputyRef(id=found["_id"], name=found["name"], division=found["division"])


def file_suggestion(store, command: FileSuggestionIn, actor: Actor, correlation_id: str, now: datetime) -> Suggestion:
    if not actor.can_see(command.division):
        raise ServiceError(
            ErrorCode.FORBIDDEN, f"{command.division} 超出密钥的管辖范围 (outside the key's scope)", "division"
        )
    lead = deputy(store, command.lead_deputy, command.division, "lead_deputy")
    co_signers = [deputy(store, d, command.division, f"co_signers.{i}") for i, d in enumerate(command.co_signers)]
    suggestion_id = new_suggestion_id()
    rules.act_for_deputy(actor, lead)  # before a number is taken
    number = store.suggestions.next_number(command.division, command.session, suggestion_id)
    try:
        suggestion = rules.file(
            suggestion_id,
            number,
            command.division,
            command.session,
            command.title,
            command.text,
            lead,
            co_signers,
            actor,
            now,
        )
        store.suggestions.suggestions.add(suggestion, (), correlation_id)
    except BaseException:
        store.suggestions.release(command.division, command.session, suggestion_id, number)
        raise
    return suggestion.model_copy(update={"version": 1})


def find_suggestion(store, suggestion_id: str, actor: Actor, field: str = "suggestion_id") -> Suggestion:
    """The suggestion, if the actor's scope covers its division; outside it, it does not exist for them."""
    found = store.suggestions.suggestions.get(suggestion_id)
    if found is None or not actor.can_see(found.division):
        raise ServiceError(ErrorCode.NOT_FOUND, f"没有编号为 {suggestion_id} 的代表建议 (no such suggestion)", field)
    return found


def edit_suggestion(store, suggestion_id: str, command: EditSuggestionIn, actor: Actor, cid: str, now) -> Suggestion:
    current = loaded(store, suggestion_id, command.expected_version, actor)
    co_signers = [deputy(store, d, current.division, f"co_signers.{i}") for i, d in enumerate(command.co_signers)]
    return saved(store, Decision(rules.edit(current, command.title, command.text, co_signers, actor, now)), cid)


def submit_suggestion(
    store, suggestion_id: str, command: SuggestionActionIn, actor: Actor, cid: str, now
) -> Suggestion:
    current = loaded(store, suggestion_id, command.expected_version, actor)
    return saved(store, Decision(rules.submit(current, actor, now)), cid)


def return_suggestion(
    store, suggestion_id: str, command: ReturnSuggestionIn, actor: Actor, cid: str, now
) -> Suggestion:
    current = loaded(store, suggestion_id, command.expected_version, actor)
    return saved(store, Decision(rules.return_to_deputy(current, command.comment, actor, now)), cid)


def accept_suggestion(
    store, suggestion_id: str, command: SuggestionActionIn, actor: Actor, cid: str, now
) -> Suggestion:
    current = loaded(store, suggestion_id, command.expected_version, actor)
    return saved(store, rules.accept(current, actor, now), cid)


def merge_suggestions(
    store, suggestion_id: str, command: MergeSuggestionsIn, actor: Actor, cid: str, now
) -> Suggestion:
    """The absorbed ones are marked first, each guarded on the version read, then the target: if any
    write loses a race, those already marked are put back and the answer is 409. A crash between the
    writes leaves absorbed ones pointing at the target; merging them again completes the merge."""
    target = loaded(store, suggestion_id, command.expected_version, actor)
    absorbed = [find_suggestion(store, other, actor, f"absorb.{i}") for i, other in enumerate(command.absorb)]
    merged, changed = rules.merge(target, absorbed, actor, now)
    if merged is target:
        return target
    collection = store.suggestions.suggestions
    done: list[tuple[Suggestion, Suggestion]] = []
    try:
        for moved in changed:
            done.append((next(o for o in absorbed if o.id == moved.id), collection.save(moved, (), cid)))
        return collection.save(merged, (), cid)
    except VersionConflict as lost:
        for before, after in done:
            try:
                collection.save(before.model_copy(update={"version": after.version}), (), cid)
            except VersionConflict:
                pass  # changed again since: leave it as it now is
        raise conflict(lost.current) from None


def loaded(store, suggestion_id: str, expected_version: int | None, actor: Actor) -> Suggestion:
    current = find_suggestion(store, suggestion_id, actor)
    if expected_version is not None and expected_version != current.version:
        raise conflict(current)
    return current


def saved(store, decision: Decision, correlation_id: str) -> Suggestion:
    try:
        return store.suggestions.suggestions.save(decision.suggestion, decision.events, correlation_id)
    except VersionConflict as lost:
        raise conflict(lost.current) from None


def conflict(current: Suggestion) -> ServiceError:
    return ServiceError(
        ErrorCode.CONFLICT,
        "代表建议已被他人更新，请按当前状态重新操作 (the suggestion changed meanwhile; act again on its current state)",
        "expected_version",
        state=suggestion_view(current).model_dump(mode="json"),
    )


def list_suggestions(store, division_prefix: str, status, limit: int, after: str | None):
    return store.suggestions.page(division_prefix, status, limit, after)


def is_suggestion(case_id: str) -> bool:
    """Routing's case for a suggestion has the suggestion's id (JY-…), never an opinion's tracking code."""
    return SUGGESTION_ID.match(case_id) is not None


def apply_case_assigned(store, event: CaseAssigned, envelope: Envelope) -> None:
    store.suggestions.suggestions.apply_once(event.case_id, envelope.event_id, lambda s: rules.assigned(s, event))


def apply_case_accepted(store, event: CaseAccepted, envelope: Envelope) -> None:
    store.suggestions.suggestions.apply_once(event.case_id, envelope.event_id, lambda s: rules.signed_for(s, event))
