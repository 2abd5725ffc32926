"""Drafts' use cases: load, ask the rules, store (the events leave through the outbox)."""

from datetime import datetime

from ulid_transform import ulid_now

from contracts.actor import Actor
from contracts.errors import ErrorCode, ServiceError
from contracts.legislation.drafts import DraftIn, DraftStatus
from contracts.vocabulary import Role
from infra.aggregates import VersionConflict
from services.legislation.drafts import rules
from services.legislation.drafts.draft import Draft
from services.legislation.store import LegislationStore

ANNOUNCE_BATCH = 100
CONSULTED_ROLES = {Role.CONTACT_POINT, Role.INFO_OFFICER}


def not_found(draft_id: str) -> ServiceError:
    return ServiceError(ErrorCode.NOT_FOUND, f"草案 {draft_id} 不存在 (no such draft)", "draft_id")


def staff_draft(store: LegislationStore, draft_id: str, actor: Actor) -> Draft:
    """A draft a staff key may see: its office's division within the key's scope, or, for a contact
    point or officer, any draft (they are consulted on drafts of the levels above them)."""
    draft = store.drafts.get(draft_id)
    if draft is None or not (actor.can_see(draft.division) or actor.role in CONSULTED_ROLES):
        raise not_found(draft_id)
    return draft


def public_draft(store: LegislationStore, draft_id: str, now: datetime) -> Draft:
    """A draft the public may read: one whose consultation has begun."""
    draft = store.drafts.get(draft_id)
    if draft is None or draft.status(now) is DraftStatus.SCHEDULED:
        raise not_found(draft_id)
    return draft


def create_draft(store: LegislationStore, command: DraftIn, actor: Actor, now: datetime) -> Draft:
    office = store.offices.get(command.office_id)
    previous = store.drafts.get(command.previous_draft_id) if command.previous_draft_id else None
    draft = rules.new_draft(command, office, previous, actor, ulid_now(), now)
    if previous is not None:
        holder = store.claim_successor(previous.draft_id, draft.draft_id)
        if holder != draft.draft_id:
            raise ServiceError(
                ErrorCode.CONFLICT,
                f"草案 {previous.draft_id} 已有新版本 {holder} (the draft already has a newer version)",
                "previous_draft_id",
                state={"draft_id": holder},
            )
    store.drafts.add(draft)
    return draft


def close_draft(store: LegislationStore, draft_id: str, reason: str, actor: Actor, now: datetime) -> Draft:
    draft = store.drafts.get(draft_id)
    if draft is None or not actor.can_see(draft.division):
        raise not_found(draft_id)
    closed, events = rules.close_early(draft, reason, actor, now)
    try:
        return store.drafts.save(closed, events)
    except VersionConflict as conflict:
        raise ServiceError(
            ErrorCode.CONFLICT,
            "草案刚被他人更新，请重试 (the draft changed meanwhile; retry)",
            "draft_id",
            state={"status": conflict.current.status(now)},
        ) from None


def announce_windows(store: LegislationStore, now: datetime) -> int:
    """Announces every window that opened or closed by `now`: each event once, however many replicas
    run this at the same moment (a replica that lost the race on a draft leaves it to the winner)."""
    announced = 0
    for draft_id in store.due_drafts(now, ANNOUNCE_BATCH):
        draft = store.drafts.get(draft_id)
        changed, events = rules.announced(draft, now)
        if not events:
            continue
        try:
            store.drafts.save(changed, events)
        except VersionConflict:
            continue
        announced += len(events)
    return announced
