"""Grouping's use cases: file and count a received item and put it with its near-duplicates; list,
merge and split groups; sum the hot words of a period."""

import logging
from datetime import date, datetime

from ulid_transform import ulid_now

from contracts.actor import Actor
from contracts.errors import ErrorCode, ServiceError
from contracts.intake.grouping import HotWordsView, MergeGroupIn, OpinionGroupView, SplitGroupIn
from contracts.intake.opinions import OpinionReceived
from contracts.paging import Page
from infra.aggregates import VersionConflict
from services.intake.grouping import group as rules
from services.intake.grouping import hotwords
from services.intake.grouping.group import OpinionGroup
from services.intake.grouping.item import CANDIDATES, Indexed, matches
from services.intake.grouping.signature import band_keys
from services.intake.grouping.store import GroupingStore
from services.intake.grouping.terms import hot_words, terms
from services.intake.grouping.views import group_view
from services.intake.store import IntakeStore

log = logging.getLogger(__name__)
PLACEMENT_ATTEMPTS = 5


def index_received(store: IntakeStore, event: OpinionReceived, now: datetime) -> str | None:
    """Files and counts a stored item, then puts it with its near-duplicates; returns its group.

    Every step is guarded by the item's code, so a replayed event changes nothing, and one a crash
    interrupted finishes what is left.
    """
    item_terms = terms(event.content)
    item = Indexed(
        tracking_code=event.tracking_code,
        division=event.division,
        submitted_at=event.submitted_at,
        terms=item_terms,
        keys=band_keys(item_terms),
    )
    grouping = store.grouping
    grouping.add_item(item)
    grouping.file(item)
    grouping.count(
        hotwords.areas_of(item.division), hotwords.day_of(item.submitted_at), item.tracking_code, hot_words(item_terms)
    )
    return place(grouping, item, now)


def place(grouping: GroupingStore, item: Indexed, now: datetime) -> str | None:
    """Puts the item in the group of its most similar near-duplicate, with its free near-duplicates,
    or starts a group with them; nothing if it has none."""
    for _ in range(PLACEMENT_ATTEMPTS):
        current = grouping.item(item.tracking_code) or item
        found = matches(current, grouping.candidates(current, CANDIDATES))
        group_id = current.group_id
        if group_id is None:
            grouped = [m.item.group_id for m in found if m.item.group_id not in (None, *current.left_groups)]
            if not grouped and all(m.item.group_id for m in found):
                return None  # no near-duplicate, or only in groups it was taken out of
            group_id = grouping.claim(current.tracking_code, grouped[0] if grouped else ulid_now())
            if group_id is None:
                return None
        recruits = [
            m.item.tracking_code
            for m in found
            if m.item.group_id in (None, group_id) and group_id not in m.item.left_groups
        ]
        claimed = [code for code in recruits if grouping.claim(code, group_id) == group_id]
        if not claimed and grouping.groups.get(group_id) is None:
            grouping.release(current.tracking_code, group_id, taken_out=False)  # they were taken meanwhile
            continue
        if enlist(grouping, group_id, current.division, [current.tracking_code, *claimed], now):
            return group_id
    log.warning("opinion %s left ungrouped: its group changed concurrently", item.tracking_code)
    return None


def enlist(grouping: GroupingStore, group_id: str, division: str, members: list[str], now: datetime) -> bool:
    """Adds the members to the group (started if it is new); False if it was dissolved meanwhile."""
    for _ in range(PLACEMENT_ATTEMPTS):
        group = grouping.groups.get(group_id)
        if group is None:
            if grouping.groups.add(rules.start(group_id, division, members, now)):
                return True
            continue
        if group.size == 0:
            for code in members:
                grouping.release(code, group_id, taken_out=False)
            return False
        changed = rules.joined(group, members, now)
        if changed is group:
            return True
        try:
            grouping.groups.save(changed)
            return True
        except VersionConflict:
            continue
    raise VersionConflict(group_id, grouping.groups.get(group_id))


def list_groups(store: IntakeStore, division_prefix: str, limit: int, after: str | None) -> Page:
    page = store.grouping.groups_in(division_prefix, limit, after)
    return page.map(lambda group: group_view(store, group))


def merge_group(
    store: IntakeStore, group_id: str, command: MergeGroupIn, actor: Actor, correlation_id: str, now: datetime
) -> OpinionGroupView:
    """合并处置 by a station: saved with its `opinion.merged`, which routing and intake apply."""
    group = find_group(store, group_id, actor, command.expected_version)
    changed, events = rules.merge(group, command.primary, actor, now)
    if events:
        changed = save(store, changed, events, correlation_id)
        log.info("group %s merged into %s: %d member(s) follow it", group_id, command.primary, len(events[0].members))
    return group_view(store, changed)


def split_group(
    store: IntakeStore, group_id: str, command: SplitGroupIn, actor: Actor, correlation_id: str, now: datetime
) -> OpinionGroupView:
    """Takes members out of a group; with fewer than two left, the group is dissolved."""
    group = find_group(store, group_id, actor, command.expected_version)
    changed, freed = rules.split(group, command.members, now)
    changed = save(store, changed, [], correlation_id)
    for code in freed:
        store.grouping.release(code, group_id, taken_out=code in command.members)
    return group_view(store, changed)


def find_group(store: IntakeStore, group_id: str, actor: Actor, expected_version: int | None) -> OpinionGroup:
    """The group, if the actor's scope covers its division; outside it, it does not exist for them."""
    group = store.grouping.groups.get(group_id)
    if group is None or group.size == 0 or not actor.can_see(group.division):
        raise ServiceError(ErrorCode.NOT_FOUND, f"没有编号为 {group_id} 的重复件分组 (no such group)", "group_id")
    if expected_version is not None and expected_version != group.version:
        raise conflict(store, group)
    return group


def save(store: IntakeStore, group: OpinionGroup, events: list, correlation_id: str) -> OpinionGroup:
    try:
        return store.grouping.groups.save(group, events, correlation_id)
    except VersionConflict as lost:
        raise conflict(store, lost.current) from None


def conflict(store: IntakeStore, current: OpinionGroup | None) -> ServiceError:
    state = group_view(store, current).model_dump(mode="json") if current else None
    return ServiceError(
        ErrorCode.CONFLICT,
        "分组已被他人更新，请按当前状态重新操作 (the group changed meanwhile; act again on its current state)",
        "expected_version",
        state=state,
    )


def hot_words_of(store: IntakeStore, division: str, first: date, last: date, limit: int) -> HotWordsView:
    daily = store.grouping.daily_counts(division, hotwords.days(first, last))
    return HotWordsView(
        division=division,
        first_day=first,
        last_day=last,
        items=sum(total for total, _ in daily),
        words=hotwords.top((counts for _, counts in daily), limit),
    )
