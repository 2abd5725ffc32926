"""What staff see of a group: each member's excerpt, case number and progress, never its contact."""

from collections import Counter

from contracts.intake.grouping import EXCERPT_LENGTH, GroupMember, OpinionGroupView
from services.intake.grouping.group import OpinionGroup
from services.intake.store import IntakeStore

LABEL_TERMS = 5


def group_view(store: IntakeStore, group: OpinionGroup) -> OpinionGroupView:
    found = (store.opinions.get(code) for code in group.members)
    opinions = sorted((opinion for opinion in found if opinion is not None), key=lambda opinion: opinion.submitted_at)
    items = store.grouping.items_by_code(group.members)
    members = [
        GroupMember(
            tracking_code=opinion.tracking_code,
            case_number=opinion.case_number,
            excerpt=opinion.content[:EXCERPT_LENGTH],
            submitted_at=opinion.submitted_at,
            status=opinion.status,
            primary=opinion.tracking_code == group.primary,
            merged=opinion.tracking_code in group.merged,
        )
        for opinion in opinions
    ]
    return OpinionGroupView(
        group_id=group.group_id,
        division=group.division,
        size=group.size,
        terms=shared_terms([item.terms for item in items.values()]),
        members=members,
        primary=group.primary,
        merged_at=group.merged_at,
        merged_by=group.merged_by,
        created_at=group.created_at,
        updated_at=group.updated_at,
        version=group.version,
    )


def shared_terms(member_terms: list[list[str]]) -> list[str]:
    """The terms at least half the members (and two or more) use, the most used first."""
    counts = Counter(term for terms in member_terms for term in dict.fromkeys(terms))
    needed = max(2, (len(member_terms) + 1) // 2)
    common = [term for term, count in counts.most_common() if count >= needed]
    return common[:LABEL_TERMS]
