"""A group of near-duplicates (合并处置): who is in it, and whether a station merged it into one case.

Rules as pure functions. A group lists members in the order they joined; `merged` are the members
handled as the `primary`'s case since a station merged them (the primary itself is not in it).
A group with fewer than two members is no group: it is dissolved, its members free again.
"""

from datetime import datetime

from pydantic import BaseModel

from contracts.actor import Actor
from contracts.errors import ErrorCode, ServiceError
from contracts.intake.opinions import OpinionMerged
from contracts.vocabulary import Instant


class OpinionGroup(BaseModel):
    group_id: str
    division: str
    members: list[str]
    size: int
    primary: str | None = None
    merged: list[str] = []
    merged_at: Instant | None = None
    merged_by: str | None = None
    created_at: Instant
    updated_at: Instant
    version: int = 0


def start(group_id: str, division: str, members: list[str], now: datetime) -> OpinionGroup:
    members = list(dict.fromkeys(members))
    return OpinionGroup(
        group_id=group_id, division=division, members=members, size=len(members), created_at=now, updated_at=now
    )


def joined(group: OpinionGroup, codes: list[str], now: datetime) -> OpinionGroup:
    """The group with `codes` added; the same group (unchanged) if they are all in it already."""
    new = [code for code in dict.fromkeys(codes) if code not in group.members]
    if not new:
        return group
    members = [*group.members, *new]
    return group.model_copy(update={"members": members, "size": len(members), "updated_at": now})


def merge(group: OpinionGroup, primary: str, actor: Actor, now: datetime) -> tuple[OpinionGroup, list[OpinionMerged]]:
    """合并处置: the members not merged yet follow the primary's case from now on.

    Merging again after new members joined merges those; with nothing new it changes nothing.
    """
    if primary not in group.members:
        raise ServiceError(ErrorCode.INVALID, f"{primary} 不是该组的成员 (the primary must be a member)", "primary")
    if group.primary is not None and group.primary != primary:
        raise ServiceError(
            ErrorCode.CONFLICT,
            f"该组已按 {group.primary} 合并处置 (the group was merged into {group.primary} already)",
            "primary",
        )
    followers = [code for code in group.members if code != primary and code not in group.merged]
    if not followers:
        return group, []
    merged = group.model_copy(
        update={
            "primary": primary,
            "merged": [*group.merged, *followers],
            "merged_at": now,
            "merged_by": actor.ref,
            "updated_at": now,
        }
    )
    event = OpinionMerged(
        group_id=group.group_id,
        division=group.division,
        primary=primary,
        members=followers,
        merged_at=now,
        merged_by=actor.ref,
    )
    return merged, [event]


def split(group: OpinionGroup, codes: list[str], now: datetime) -> tuple[OpinionGroup, list[str]]:
    """Takes `codes` out of the group; returns it with every member now free (those taken out, and
    the last one left if fewer than two remain). Merged members and the primary stay."""
    strangers = [code for code in codes if code not in group.members]
    if strangers:
        raise ServiceError(
            ErrorCode.INVALID, f"{', '.join(strangers)} 不是该组的成员 (not members of the group)", "members"
        )
    fixed = [code for code in codes if code in group.merged or code == group.primary]
    if fixed:
        raise ServiceError(
            ErrorCode.INVALID_TRANSITION,
            f"{', '.join(fixed)} 已合并处置，不能拆出 (merged members and the primary stay in the group)",
            "members",
        )
    remaining = [code for code in group.members if code not in codes]
    freed = [code for code in group.members if code in codes]
    if len(remaining) < 2:
        freed, remaining = [*freed, *remaining], []
    changed = group.model_copy(update={"members": remaining, "size": len(remaining), "updated_at": now})
    return changed, freed
