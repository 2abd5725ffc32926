"""What may happen to a draft: its creation (or a new version's), its window opening and closing on
time, an early close. Plain functions from the state to the new state and its events."""

from datetime import datetime

from contracts.actor import Actor
from contracts.errors import ErrorCode, ServiceError
from contracts.legislation.drafts import DraftClosed, DraftIn, DraftOpened
from contracts.message import Message
from services.legislation.directory.entries import Office
from services.legislation.drafts.draft import Draft
from services.legislation.drafts.parser import NumberingBreak, parse_articles


def invalid(field: str, message: str, state: dict | None = None) -> ServiceError:
    return ServiceError(ErrorCode.INVALID, message, field, state)


def articles_of(command: DraftIn) -> list:
    if command.articles is not None:
        return command.articles
    try:
        return parse_articles(command.text)
    except NumberingBreak as broken:
        where = {"line": broken.line, "expected": broken.expected, "found": broken.found}
        raise invalid("text", f"草案文本无法解析 (the text cannot be parsed)：{broken}", where) from None


def new_draft(
    command: DraftIn, office: Office | None, previous: Draft | None, actor: Actor, draft_id: str, now: datetime
) -> Draft:
    """A draft of `office` (one the caller may act for), its articles typed in or read from its text;
    a new version names the office's earlier draft it replaces, whose comments stay with it."""
    if office is None or not office.active:
        raise invalid("office_id", f"立法机关 {command.office_id} 不存在或已停用 (unknown or deactivated office)")
    if not actor.can_see(office.division):
        raise ServiceError(
            ErrorCode.FORBIDDEN,
            "不能以管辖范围外的立法机关名义发布草案 (the office is outside the key's scope)",
            "office_id",
        )
    if command.level != office.level:
        raise invalid("level", f"草案层级应与立法机关一致：{office.level} (the level must be the office's)")
    if command.closes_at <= now:
        raise invalid("closes_at", "征求意见截止时间已过 (closes_at is in the past)")
    if command.previous_draft_id is not None and (previous is None or previous.office_id != office.office_id):
        raise invalid("previous_draft_id", "前一版本不存在或不属于该立法机关 (no such earlier draft of this office)")
    return Draft(
        draft_id=draft_id,
        division=office.division,
        office_id=office.office_id,
        title=command.title,
        level=command.level,
        version_name=command.version,
        explanation=command.explanation,
        articles=articles_of(command),
        opens_at=command.opens_at,
        closes_at=command.closes_at,
        created_at=now,
        created_by=actor.ref,
        previous_draft_id=command.previous_draft_id,
    )


def opened_event(draft: Draft) -> DraftOpened:
    return DraftOpened(
        draft_id=draft.draft_id,
        division=draft.division,
        office_id=draft.office_id,
        title=draft.title,
        level=draft.level,
        version=draft.version_name,
        opens_at=draft.opens_at,
        closes_at=draft.closes_at,
        previous_draft_id=draft.previous_draft_id,
    )


def closed_event(draft: Draft) -> DraftClosed:
    return DraftClosed(
        draft_id=draft.draft_id,
        division=draft.division,
        office_id=draft.office_id,
        title=draft.title,
        closed_at=draft.closes_at,
        early=draft.closed_early_at is not None,
        reason=draft.close_reason,
    )


def announced(draft: Draft, now: datetime) -> tuple[Draft, list[Message]]:
    """The draft with what its window owes by `now` announced: `draft.opened` once the window opened,
    `draft.closed` once it closed (both, in that order, if the timer first sees it after the close)."""
    events: list[Message] = []
    if not draft.opened and draft.opens_at <= now:
        draft = draft.model_copy(update={"opened": True})
        events.append(opened_event(draft))
    if draft.opened and not draft.closed and draft.closes_at <= now:
        draft = draft.model_copy(update={"closed": True})
        events.append(closed_event(draft))
    return draft, events


def close_early(draft: Draft, reason: str, actor: Actor, now: datetime) -> tuple[Draft, list[Message]]:
    """The office ends an open consultation now (提前结束征求意见), with its reason."""
    if not draft.is_open(now):
        state = draft.status(now)
        raise ServiceError(
            ErrorCode.INVALID_TRANSITION,
            f"只能提前结束正在征求意见的草案，当前为 {state} (only an open draft can be closed early)",
            "draft_id",
            state={"status": state},
        )
    closed = draft.model_copy(
        update={"closes_at": now, "closed_early_at": now, "closed_early_by": actor.ref, "close_reason": reason}
    )
    return announced(closed, now)
