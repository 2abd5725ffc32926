"""The aggregated pull: one `_id` read per article counter and one for the draft's total, never a comment."""

from contracts.actor import Actor
from contracts.errors import ErrorCode, ServiceError
from contracts.legislation.aggregates import GENERAL, DraftAggregate, PublicCounts
from contracts.legislation.drafts import DraftSummary, DraftView
from services.legislation.aggregates import counters
from services.legislation.drafts.draft import Draft


def draft_of(store, draft_id: str, actor: Actor | None = None) -> Draft:
    draft = store.drafts.get(draft_id)
    if draft is None or (actor is not None and not actor.can_see(draft.division)):
        raise ServiceError(ErrorCode.NOT_FOUND, f"草案 {draft_id} 不存在 (no such draft)", "draft_id")
    return draft


def article_counters(store, draft: Draft, article: int | None) -> dict[int, dict]:
    numbers = [article] if article is not None else [GENERAL, *(a.number for a in draft.articles)]
    if article is not None and article != GENERAL and draft.article(article) is None:
        raise ServiceError(ErrorCode.INVALID, f"草案没有第 {article} 条 (the draft has no such article)", "article")
    found = {number: store.comments.counter(draft.draft_id, number) for number in numbers}
    return {number: doc for number, doc in found.items() if doc}


def pull(store, draft_id: str, article: int | None, actor: Actor) -> DraftAggregate:
    draft = draft_of(store, draft_id, actor)
    total = store.comments.counter(draft_id, counters.TOTAL)
    return counters.draft_aggregate(draft_id, draft.title, total, article_counters(store, draft, article))


def public_counts(store, draft_id: str) -> PublicCounts:
    """参与人数 / 意见条数 per article, for the public draft pages."""
    draft = draft_of(store, draft_id)
    total = store.comments.counter(draft_id, counters.TOTAL)
    return counters.public_counts(draft_id, total, article_counters(store, draft, None))


def counted_view(store, view: DraftView) -> DraftView:
    """A public draft with 参与人数 / 意见条数 in all and per article (one counter read per article)."""
    return view.model_copy(update={"comment_counts": public_counts(store, view.draft_id)})


def counted_summary(store, summary: DraftSummary) -> DraftSummary:
    """A draft in the public list with its totals (one counter read)."""
    total = store.comments.counter(summary.draft_id, counters.TOTAL) or {}
    return summary.model_copy(
        update={"comments": total.get("comments", 0), "participants": total.get("participants", 0)}
    )
