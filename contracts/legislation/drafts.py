"""Drafts (法律法规草案): their articles, consultation window, versions, and the views of them.

Times are entered and shown in Asia/Shanghai (an input without an offset is Beijing time); the
store keeps UTC.
"""

from datetime import datetime
from enum import StrEnum
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from contracts.intake.receptions import BeijingInput, BeijingTime
from contracts.legislation.aggregates import PublicCounts
from contracts.message import Message
from contracts.vocabulary import DivisionCode, EntityId

DraftId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$", examples=["dr-01JD5Z"])]


class DraftLevel(StrEnum):
    NATIONAL = "national"
    PROVINCIAL = "provincial"
    MUNICIPAL = "municipal"


class DraftStatus(StrEnum):
    """Where the consultation window stands: before it (`scheduled`), in it, or after it."""

    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"


class Article(BaseModel):
    """One article (条): its number in the draft (第二十三条 is 23) and the chapter and section it sits in."""

    number: int = Field(ge=1, le=999, examples=[23])
    chapter: str | None = Field(default=None, max_length=100, examples=["第一章 总则"])
    section: str | None = Field(default=None, max_length=100, examples=["第一节 一般规定"])
    text: str = Field(min_length=1, max_length=5000, examples=["本条例自2027年1月1日起施行。"])


class DraftView(BaseModel):
    """A draft as everyone sees it (it holds no personal data); `version` is the draft's stage
    (征求意见稿, 一审稿…), `previous_draft_id` the version it follows."""

    draft_id: str
    division: str
    office_id: str
    title: str
    level: DraftLevel
    version: str = Field(examples=["征求意见稿"])
    explanation: str = ""
    articles: list[Article]
    opens_at: BeijingTime
    closes_at: BeijingTime
    status: DraftStatus
    previous_draft_id: str | None = None
    closed_early: bool = False
    close_reason: str | None = None
    comment_counts: PublicCounts | None = Field(
        default=None, description="参与人数 / 意见条数，全稿及各条 / comments and participants, in all and per article"
    )


class DraftSummary(BaseModel):
    """A draft in a list: everything but its articles, and how many there are."""

    draft_id: str
    division: str
    office_id: str
    title: str
    level: DraftLevel
    version: str
    opens_at: BeijingTime
    closes_at: BeijingTime
    status: DraftStatus
    article_count: int
    previous_draft_id: str | None = None
    comments: int = Field(default=0, description="意见条数 / number of comments")
    participants: int = Field(default=0, description="参与人数 / number of people who took part")


class DraftIn(BaseModel):
    """A new draft, or a new version of one (`previous_draft_id`): the articles typed in, or the
    plain text to read them from (`text`, numbered 第一章 / 第一节 / 第一条…), never both."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    office_id: EntityId
    title: str = Field(min_length=2, max_length=200, examples=["三江侗族自治县乡村旅游促进条例（草案）"])
    level: DraftLevel
    version: str = Field(min_length=2, max_length=40, examples=["征求意见稿"])
    explanation: str = Field(default="", max_length=20000, description="起草说明 / the drafting explanation")
    articles: list[Article] | None = Field(default=None, min_length=1, max_length=999)
    text: str | None = Field(default=None, min_length=4, max_length=500_000, description="草案全文 / the full text")
    opens_at: BeijingInput
    closes_at: BeijingInput
    previous_draft_id: DraftId | None = None

    @model_validator(mode="after")
    def one_source_and_a_window(self) -> "DraftIn":
        if (self.articles is None) == (self.text is None):
            raise ValueError("articles 与 text 须且只须提供其一 (give either articles or text)")
        if self.closes_at <= self.opens_at:
            raise ValueError("征求意见截止时间须晚于开始时间 (closes_at must be after opens_at)")
        if self.articles is not None:
            numbers = [article.number for article in self.articles]
            if numbers != list(range(1, len(numbers) + 1)):
                raise ValueError("条文编号须从 1 起连续 (articles must be numbered 1, 2, 3… in order)")
        return self


class CloseDraftIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reason: str = Field(min_length=2, max_length=200, examples=["常委会会议提前审议"])


class DraftOpened(Message):
    """The consultation window opened: comments are taken from now on."""

    TYPE: ClassVar[str] = "draft.opened"
    SOURCE: ClassVar[str] = "legislation"

    draft_id: str
    division: DivisionCode
    office_id: str
    title: str
    level: DraftLevel
    version: str
    opens_at: datetime
    closes_at: datetime
    previous_draft_id: str | None = None


class DraftClosed(Message):
    """The window closed, on time or early (`early`, with the office's reason)."""

    TYPE: ClassVar[str] = "draft.closed"
    SOURCE: ClassVar[str] = "legislation"

    draft_id: str
    division: DivisionCode
    office_id: str
    title: str
    closed_at: datetime
    early: bool = False
    reason: str | None = None
