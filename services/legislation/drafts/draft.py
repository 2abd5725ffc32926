"""A draft: its articles, its consultation window, and the events its window owes.

The window is `[opens_at, closes_at)` in UTC (entered and shown in Asia/Shanghai). `opened` and
`closed` record that `draft.opened` / `draft.closed` went out, so the timer announces each once
whatever the replicas: the save that sets the flag is guarded on the aggregate's version.
"""

from datetime import datetime

from pydantic import BaseModel

from contracts.legislation.drafts import Article, DraftLevel, DraftStatus, DraftSummary, DraftView
from contracts.vocabulary import Instant


class Draft(BaseModel):
    draft_id: str
    division: str
    office_id: str
    title: str
    level: DraftLevel
    version_name: str
    """征求意见稿, 一审稿, 二审稿…: what the contracts' `DraftView.version` shows."""
    explanation: str = ""
    articles: list[Article]
    opens_at: Instant
    closes_at: Instant
    created_at: Instant
    created_by: str
    previous_draft_id: str | None = None
    closed_early_at: Instant | None = None
    closed_early_by: str | None = None
    close_reason: str | None = None
    opened: bool = False
    closed: bool = False
    version: int = 0

    def is_open(self, now: datetime) -> bool:
        return self.opens_at <= now < self.closes_at

    def status(self, now: datetime) -> DraftStatus:
        if now < self.opens_at:
            return DraftStatus.SCHEDULED
        return DraftStatus.OPEN if now < self.closes_at else DraftStatus.CLOSED

    def article(self, number: int) -> Article | None:
        return next((article for article in self.articles if article.number == number), None)

    def view(self, now: datetime) -> DraftView:
        return DraftView(
            draft_id=self.draft_id,
            division=self.division,
            office_id=self.office_id,
            title=self.title,
            level=self.level,
            version=self.version_name,
            explanation=self.explanation,
            articles=self.articles,
            opens_at=self.opens_at,
            closes_at=self.closes_at,
            status=self.status(now),
            previous_draft_id=self.previous_draft_id,
            closed_early=self.closed_early_at is not None,
            close_reason=self.close_reason,
        )

    def summary(self, now: datetime) -> DraftSummary:
        return DraftSummary(
            **self.view(now).model_dump(include=set(DraftSummary.model_fields)), article_count=len(self.articles)
        )
