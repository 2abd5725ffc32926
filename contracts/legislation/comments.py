"""Comments on drafts (意见): from citizens online and from offline meetings, their review by a
contact point (整理), submission to the office (上报) and its adoption decision (采纳反馈).

A comment never shows its contributor's contact: the RPC input carries it sealed by the gateway, and
only notify may ask for it, to tell the contributor the outcome.
"""

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from contracts.intake.opinions import SealedContact
from contracts.message import Message
from contracts.vocabulary import DivisionCode, EntityId

MANDARIN = "zh"
ArticleNumbers = list[Annotated[int, Field(ge=1, le=100000)]]


class Stance(StrEnum):
    SUPPORT = "support"  # 赞成
    OPPOSE = "oppose"  # 反对
    AMEND = "amend"  # 修改建议
    QUESTION = "question"  # 疑问


class CommentChannel(StrEnum):
    """How a comment reached the platform: online, or the kind of offline meeting it was heard at."""

    ONLINE = "online"  # 网上 / 扫码
    FACE_TO_FACE = "face_to_face"  # 面对面
    SYMPOSIUM = "symposium"  # 座谈会
    DRUM_TOWER = "drum_tower"  # 鼓楼议事 (侗寨)
    LIAISON_OFFICER = "liaison_officer"  # 立法联络员 / 信息员 走访收集


class CommentStatus(StrEnum):
    RECEIVED = "received"  # 待整理
    ACCEPTED = "accepted"  # 已采用，待上报
    MERGED = "merged"  # 合并到另一条
    REJECTED = "rejected"  # 不予上报
    SUBMITTED = "submitted"  # 已上报，冻结


class AdoptionDecision(StrEnum):
    ADOPTED = "adopted"  # 采纳
    PARTLY_ADOPTED = "partly_adopted"  # 部分采纳
    NOT_ADOPTED = "not_adopted"  # 未采纳


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CommentBody(Strict):
    """What every comment says: the articles it is about (none: a general comment, 总体意见)."""

    articles: ArticleNumbers = Field(
        default_factory=list,
        max_length=50,
        description="所涉条文的条号（第二十三条为 23）；空表示总体意见 / article numbers; empty for a general comment",
        examples=[[3, 12]],
    )
    stance: Stance | None = Field(default=None, description="态度 / stance", examples=["amend"])
    text: str = Field(min_length=1, max_length=5000, examples=["建议第十二条明确物业服务收费标准的公示方式。"])

    @field_validator("articles")
    @classmethod
    def distinct_articles(cls, articles: list[int]) -> list[int]:
        return sorted(set(articles))


class PublicCommentIn(CommentBody):
    """A citizen's comment as the legislation service receives it (the contact already sealed)."""

    division: DivisionCode | None = Field(default=None, description="所在行政区划 / where the citizen lives")
    point_id: EntityId | None = Field(
        default=None, description="扫码所在的联系点 / the contact point whose code was scanned"
    )
    contact: SealedContact | None = None


class Meeting(Strict):
    """The offline meeting a comment was heard at."""

    held_on: date = Field(examples=["2026-11-20"])
    place: str = Field(min_length=1, max_length=200, examples=["三江侗族自治县程阳八寨鼓楼"])
    participants: int = Field(ge=1, le=100000, description="参加人数 / how many people took part", examples=[23])


class OfflineCommentIn(CommentBody):
    """A comment heard offline, recorded by the contact point's staff or a liaison officer. `text` is
    the original words (原汁原味); when `language` is not Mandarin a `translation` stands beside it."""

    point_id: EntityId = Field(examples=["sanjiang-point"])
    task_id: str | None = Field(default=None, max_length=64, description="所属征询任务 / the consultation task")
    channel: CommentChannel = Field(examples=["drum_tower"])
    meeting: Meeting
    language: str = Field(
        default=MANDARIN,
        pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$",
        description="原话语种 (ISO 639)：zh 普通话, kmc 侗语… / language of the original words",
        examples=["kmc"],
    )
    translation: str | None = Field(
        default=None, min_length=1, max_length=5000, validate_default=True, examples=["希望保留鼓楼周边的老榕树。"]
    )
    contact: SealedContact | None = None

    @field_validator("channel")
    @classmethod
    def offline_channel(cls, channel: CommentChannel) -> CommentChannel:
        if channel is CommentChannel.ONLINE:
            raise ValueError("线下意见的渠道不能是 online (an offline record needs an offline channel)")
        return channel

    @field_validator("translation")
    @classmethod
    def translated_unless_mandarin(cls, translation: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("language", MANDARIN) != MANDARIN and not translation:
            raise ValueError("非普通话原话需附普通话译文 (a non-Mandarin original needs a translation)")
        return translation


class EditIn(Strict):
    """A contact point's edited wording; the original stays beside it."""

    text: str = Field(min_length=1, max_length=5000, examples=["建议明确物业服务收费标准的公示方式和期限。"])
    translation: str | None = Field(default=None, min_length=1, max_length=5000)


class RejectIn(Strict):
    reason: str = Field(min_length=1, max_length=500, examples=["与草案内容无关"])


class MergeIn(Strict):
    """Merges this comment, a duplicate, into `into` (合并重复意见)."""

    into: str = Field(min_length=1, max_length=64, examples=["01JD3Y0Q9Z8X7W6V5T4S3R2Q1P"])


class SubmitIn(Strict):
    """Submits every accepted comment of the point on the draft, or only `comment_ids`, as one batch.
    `point_id` absent: the office's own online comments (no contact point)."""

    point_id: EntityId | None = Field(default=None, examples=["sanjiang-point"])
    comment_ids: list[str] | None = Field(default=None, max_length=5000)
    note: str = Field(default="", max_length=1000, examples=["三江县第一批意见"])


class AdoptionIn(Strict):
    decision: AdoptionDecision = Field(examples=["partly_adopted"])
    reason: str = Field(min_length=1, max_length=1000, examples=["第十二条已增加公示期限的规定"])


class EditedText(BaseModel):
    text: str
    translation: str | None = None
    edited_at: datetime
    edited_by: str


class Adoption(BaseModel):
    decision: AdoptionDecision
    reason: str
    decided_at: datetime
    decided_by: str


class CommentView(BaseModel):
    """A comment as staff and the office's systems see it: the original words beside any edited
    version, never the contributor's contact (only whether there is one)."""

    comment_id: str
    draft_id: str
    division: str
    point_id: str | None
    task_id: str | None = None
    chain: list[str] = Field(
        default=[],
        description="意见回流的联系点：收集点及转发任务给它的各点 / the points it flows back to along a forwarded task",
    )
    channel: CommentChannel
    articles: ArticleNumbers
    stance: Stance | None
    text: str = Field(description="原话 / the original words")
    language: str
    translation: str | None = Field(description="原话的普通话译文 / the original's translation")
    edited: EditedText | None = Field(description="整理后的文本；原话不变 / the edited version")
    meeting: Meeting | None
    participants: int
    status: CommentStatus
    merged_into: str | None
    duplicates: list[str] = Field(description="合并到此条的重复意见 / comments merged into this one")
    reject_reason: str | None
    submission_id: str | None
    adoption: Adoption | None
    has_contact: bool
    received_at: datetime
    seq: int = Field(description="动态序号：每次新增或变更递增 / the feed sequence of its last change")
    version: int


class CommentReceipt(BaseModel):
    """What a citizen gets back: no contact, nothing about anyone else."""

    comment_id: str = Field(examples=["01JD3Y0Q9Z8X7W6V5T4S3R2Q1P"])
    draft_id: str
    articles: ArticleNumbers
    received_at: datetime


class SubmissionView(BaseModel):
    submission_id: str
    draft_id: str
    division: str
    point_id: str | None
    comment_ids: list[str]
    note: str
    submitted_at: datetime
    submitted_by: str


class FeedPage(BaseModel):
    """New and changed comments after `cursor`, in the order they changed; pass `cursor` next time."""

    items: list[CommentView]
    cursor: str = Field(description="下次拉取时带上 / give it on the next pull", examples=["ZmVlZDE6ZHJhZnQ6MTI"])
    more: bool = Field(description="是否还有更多（可立即再拉） / whether more are waiting now")


class CommentsSubmitted(Message):
    """A contact point submitted a batch to the office (上报); the comments are frozen from now."""

    TYPE: ClassVar[str] = "comments.submitted"
    SOURCE: ClassVar[str] = "legislation"

    submission_id: str
    draft_id: str
    office_id: str
    office_division: str = Field(description="草案（立法机关）的行政区划 / the draft's, the office's inbox")
    division: str = Field(description="联系点的行政区划；网上直报为草案的 / the point's division, else the draft's")
    point_id: str | None
    task_ids: list[str]
    comment_ids: list[str]
    submitted_at: datetime


class CommentAdoptionDecided(Message):
    """The office decided whether a submitted comment is adopted; `has_contact` says whether its
    contributor can be told (notify asks `contact_for_feedback`)."""

    TYPE: ClassVar[str] = "comment.adoption_decided"
    SOURCE: ClassVar[str] = "legislation"

    comment_id: str
    draft_id: str
    draft_title: str
    division: str
    point_id: str | None
    decision: AdoptionDecision
    reason: str
    decided_at: datetime
    has_contact: bool


class FeedbackContact(BaseModel):
    """The contributor's contact, decrypted for delivery only (notify's `contact_for_feedback`)."""

    comment_id: str
    name: str | None
    phone: str | None


class ExportFile(BaseModel):
    """A rendered file (export or report) as the RPC carries it: base64, with its media type."""

    media_type: str
    content: str
