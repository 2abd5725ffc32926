"""Every submitter of a merged group follows the primary's outcome (合并处置).

When a station merges a group, intake applies its own `opinion.merged` to each member: the member
takes the primary's progress (status, units, due date) with a `merged` step in its history. From
then on, whatever routing reports about the primary's case is applied to its followers too: the
opinion handlers call `apply_to_followers` after applying a case event to its own opinion.
"""

from collections.abc import Callable

from contracts.envelope import Envelope
from contracts.intake.opinions import OpinionMerged
from contracts.routing import CaseMerged, Transition
from contracts.vocabulary import CaseStatus
from services.intake.opinion import Opinion
from services.intake.store import IntakeStore

PROGRESS = ("status", "lead_unit", "co_units", "due_date", "calendar_fallback")


def merged(member: Opinion, primary: Opinion, event: OpinionMerged) -> Opinion:
    """The member as the primary's follower: its progress from now on is the primary's.

    The history names the primary by its case number, never its tracking code, which would show
    another citizen's item to whoever holds this one's code.
    """
    number = primary.case_number
    reason = (
        f"与案件 {number} 合并处置，办理结果相同 (merged: handled as one case with {number})"
        if number
        else "与同类事项合并处置，办理结果相同 (merged: handled as one case with a like item)"
    )
    step = Transition(status=CaseStatus.MERGED, at=event.merged_at, actor=event.merged_by, reason=reason)
    progress = {field: getattr(primary, field) for field in PROGRESS}
    return member.model_copy(update={**progress, "history": [*member.history, step]})


def apply_merge(store: IntakeStore, event: OpinionMerged, envelope: Envelope) -> None:
    """Applies the merge to each member once, whatever the redeliveries."""
    primary = store.opinions.get(event.primary)
    if primary is None:
        raise LookupError(f"no opinion {event.primary} to merge {event.group_id} into")
    for code in event.members:
        store.opinions.apply_once(code, envelope.event_id, lambda member: merged(member, primary, event))


def followers(store: IntakeStore, case_id: str) -> list[str]:
    """The items merged into `case_id`'s group with it as the primary, and those a station merged
    into its case by hand (`follows`): none for most cases."""
    by_hand = [doc["_id"] for doc in store.opinions.collection.find({"follows": case_id}, {"_id": 1})]
    return list(dict.fromkeys([*group_followers(store, case_id), *by_hand]))


def group_followers(store: IntakeStore, case_id: str) -> list[str]:
    item = store.grouping.item(case_id)
    if item is None or item.group_id is None:
        return []
    group = store.grouping.groups.get(item.group_id)
    return list(group.merged) if group is not None and group.primary == case_id else []


def merged_case(member: Opinion, primary: Opinion | None, event: CaseMerged) -> Opinion:
    """routing's `case.merged`: the member follows the primary case from now on, taking its progress
    so far (a primary that is not a citizen's item here leaves the member's own, marked merged)."""
    number = event.primary_case_number
    reason = (
        f"与案件 {number} 合并处置，办理结果相同 (merged: handled as one case with {number})"
        if number
        else "与同类事项合并处置，办理结果相同 (merged: handled as one case with a like item)"
    )
    step = Transition(status=CaseStatus.MERGED, at=event.at, actor=event.merged_by, reason=reason)
    progress = {field: getattr(primary, field) for field in PROGRESS} if primary else {"status": CaseStatus.MERGED}
    return member.model_copy(update={**progress, "follows": event.primary, "history": [*member.history, step]})


def apply_case_merged(store: IntakeStore, event: CaseMerged, envelope: Envelope) -> None:
    """Once per event; a member of a group intake merged itself already follows (`opinion.merged`)."""
    if event.case_id in group_followers(store, event.primary):
        return
    primary = store.opinions.get(event.primary)
    store.opinions.apply_once(event.case_id, envelope.event_id, lambda member: merged_case(member, primary, event))


def apply_to_followers(store: IntakeStore, case_id: str, event_id: str, change: Callable[[Opinion], Opinion]) -> None:
    """Applies a case event of the primary to its followers, each once (by the event's id)."""
    for code in followers(store, case_id):
        store.opinions.apply_once(code, event_id, change)
