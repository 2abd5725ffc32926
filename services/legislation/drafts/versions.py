"""A draft's versions (征求意见稿 → 一审稿 → 二审稿…): each new version names the one before it.

Comments stay with the version they were made on; article N of one version is linked to article N of
the others, so a reader of the new version finds what was said about that article before.
"""

from services.legislation.drafts.draft import Draft
from services.legislation.store import LegislationStore

LONGEST_CHAIN = 50


def previous_versions(store: LegislationStore, draft_id: str) -> list[Draft]:
    """The versions before `draft_id`, the newest first (empty for a first version or an unknown id)."""
    found: list[Draft] = []
    current = store.drafts.get(draft_id)
    while current is not None and current.previous_draft_id and len(found) < LONGEST_CHAIN:
        current = store.drafts.get(current.previous_draft_id)
        if current is not None:
            found.append(current)
    return found


def later_versions(store: LegislationStore, draft_id: str) -> list[Draft]:
    """The versions after `draft_id`, the oldest first."""
    found: list[Draft] = []
    following = store.successor(draft_id)
    while following is not None and len(found) < LONGEST_CHAIN:
        found.append(store.drafts.get(following))
        following = store.successor(following)
    return found


def all_versions(store: LegislationStore, draft: Draft) -> list[Draft]:
    """Every version of the draft, the first one first."""
    return [*reversed(previous_versions(store, draft.draft_id)), draft, *later_versions(store, draft.draft_id)]
