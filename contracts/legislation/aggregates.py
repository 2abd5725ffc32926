"""The aggregated pull (意见汇总) and the adoption figures (采纳情况), as the office's systems read them."""

from pydantic import BaseModel, Field

from contracts.legislation.comments import CommentChannel, Stance

GENERAL = 0
"""The article number under which general comments (总体意见) are counted."""


class Theme(BaseModel):
    term: str = Field(examples=["物业"])
    count: int = Field(description="提到该词的意见条数 / comments mentioning it", examples=[412])


class Representative(BaseModel):
    """A comment shown as representative: those heard from the most people first."""

    comment_id: str
    participants: int
    stance: Stance | None
    excerpt: str = Field(description="原话（或译文）前 200 字 / the first 200 characters")


class Tally(BaseModel):
    """Counts of one article (or of the whole draft): 意见条数 and 参与人数, and their breakdowns."""

    comments: int = Field(description="意见条数 / number of comments", examples=[1380])
    participants: int = Field(description="参与人数 / number of people who took part", examples=[2114])
    by_division: dict[str, int] = Field(examples=[{"451226": 637}])
    by_point: dict[str, int] = Field(description="按联系点；网上直报不计 / by contact point")
    by_channel: dict[CommentChannel, int]
    by_stance: dict[str, int] = Field(description="按态度；none 为未表态 / by stance, `none` when not given")


class ArticleAggregate(Tally):
    article: int = Field(description="条号；0 为总体意见 / article number, 0 for general comments", examples=[12])
    themes: list[Theme]
    representatives: list[Representative]


class DraftAggregate(BaseModel):
    draft_id: str
    title: str
    totals: Tally
    articles: list[ArticleAggregate] = Field(description="有意见的条文，按条号 / articles with comments, in order")


class PublicArticleCount(BaseModel):
    """What national consultation pages show per article: 参与人数 / 意见条数."""

    article: int
    comments: int
    participants: int


class PublicCounts(BaseModel):
    draft_id: str
    comments: int
    participants: int
    articles: list[PublicArticleCount]


class AdoptionFigures(BaseModel):
    """采纳情况: of the submitted comments, how many were adopted (fully or partly); rate = that ÷ submitted."""

    scope: str = Field(description="draft:<id>, point:<id> or division:<code>", examples=["point:sanjiang-point"])
    submitted: int = Field(examples=[637])
    adopted: int = Field(description="采纳（含部分采纳） / adopted, fully or partly", examples=[41])
    fully_adopted: int
    partly_adopted: int
    not_adopted: int
    undecided: int
    rate: float = Field(description="采纳率 = adopted ÷ submitted", examples=[0.0644])
