"""Formal deputy suggestions (代表建议): what a lead deputy (领衔代表) files with the co-signers
(附议代表), the pre-review actions (联合预审: return with comments, merge, accept), the views, and
`suggestion.accepted`, which routing turns into a case under the statutory deadline.

A suggestion belongs to one congress session (届次 and 会次) of one division (the people's congress
of that county or township) and carries a number in it (建议第 12 号) from an atomic counter.
"""

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from contracts.message import Message
from contracts.routing import UnitRef
from contracts.text import normalised_text, one_line
from contracts.vocabulary import CaseStatus, Channel, DivisionCode, EntityId

ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
SUGGESTION_ID = re.compile(rf"^JY-[{ID_ALPHABET}]{{4}}-[{ID_ALPHABET}]{{4}}-[{ID_ALPHABET}]{{4}}$")
"""建议 (JY) and 12 base32 characters: the suggestion's id, and the id of routing's case for it."""

TEXT_MAX = 10_000
DIGITS = "零一二三四五六七八九"


def chinese_number(value: int) -> str:
    """1 → 一, 10 → 十, 17 → 十七, 23 → 二十三 (届次 and 会次 are written so, below 100)."""
    tens, ones = divmod(value, 10)
    if tens == 0:
        return DIGITS[ones]
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


Title = Annotated[
    str, BeforeValidator(one_line), Field(min_length=4, max_length=100, examples=["关于加快老旧小区加装电梯的建议"])
]
SuggestionText = Annotated[
    str,
    BeforeValidator(normalised_text),
    Field(
        min_length=10,
        max_length=TEXT_MAX,
        examples=["我市建成于2000年以前的老旧小区多为六层以下住宅，没有电梯，老年居民上下楼困难。建议……"],
    ),
]
Comment = Annotated[
    str,
    BeforeValidator(normalised_text),
    Field(min_length=2, max_length=2000, examples=["请补充涉及小区的名单和居民意愿调查情况"]),
]
SuggestionId = Annotated[str, Field(pattern=SUGGESTION_ID.pattern, examples=["JY-7K3P-9XTA-2MQD"])]
ExpectedVersion = Annotated[
    int | None,
    Field(default=None, ge=1, description="给出时须为当前版本，否则 409 / when given, must be the current version"),
]


class SuggestionStatus(StrEnum):
    DRAFTED = "drafted"  # 起草中: the lead deputy may still edit it
    UNDER_REVIEW = "under_review"  # 预审中
    RETURNED = "returned"  # 退回修改: back with the deputy, with the reviewers' comments
    ACCEPTED = "accepted"  # 立案: handed to routing
    MERGED = "merged"  # 并案: absorbed into another suggestion (`merged_into`)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class CongressSession(Strict):
    """届次 and 会次: 第十七届人民代表大会第三次会议 is term 17, meeting 3."""

    model_config = ConfigDict(frozen=True)

    term: int = Field(ge=1, le=99, description="届次", examples=[17])
    meeting: int = Field(ge=1, le=99, description="会次", examples=[3])

    @property
    def name(self) -> str:
        return f"第{chinese_number(self.term)}届人民代表大会第{chinese_number(self.meeting)}次会议"


def distinct(ids: list[str]) -> list[str]:
    if len(set(ids)) != len(ids):
        raise ValueError("不能重复 (listed twice)")
    return ids


CoSigners = Annotated[
    list[EntityId],
    AfterValidator(distinct),
    Field(
        default_factory=list,
        max_length=100,
        description="附议代表 / co-signing deputies",
        examples=[["deputy-li-hong"]],
    ),
]


class FileSuggestionIn(Strict):
    """A lead deputy's new suggestion, stored as a draft with its number in the session."""

    division: DivisionCode = Field(
        description="提出建议的本级人大所在行政区划 / the congress's division", examples=["330481"]
    )
    session: CongressSession
    lead_deputy: EntityId = Field(description="领衔代表 / the lead deputy", examples=["deputy-zhang-wei"])
    co_signers: CoSigners
    title: Title
    text: SuggestionText

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "division": "330481",
                    "session": {"term": 17, "meeting": 3},
                    "lead_deputy": "deputy-zhang-wei",
                    "co_signers": ["deputy-li-hong"],
                    "title": "关于加快老旧小区加装电梯的建议",
                    "text": "我市建成于2000年以前的老旧小区多为六层以下住宅，没有电梯，老年居民上下楼困难。"
                    "建议简化加装电梯审批流程，提高财政补助标准。",
                }
            ]
        }
    )


class EditSuggestionIn(Strict):
    """The lead deputy's new wording and co-signers (the whole of them), while drafted or returned."""

    title: Title
    text: SuggestionText
    co_signers: CoSigners
    expected_version: ExpectedVersion


class SuggestionActionIn(Strict):
    """提交 or 立案: with `expected_version`, only that version changes; otherwise, or when another change
    wins the race, 409 with the current state."""

    expected_version: ExpectedVersion


class ReturnSuggestionIn(Strict):
    """退回修改: the reviewers' comments go to the lead deputy."""

    comment: Comment
    expected_version: ExpectedVersion


class MergeSuggestionsIn(Strict):
    """并案: the suggestions in `absorb` join this one, which keeps every deputy of all of them."""

    absorb: Annotated[list[SuggestionId], AfterValidator(distinct)] = Field(
        min_length=1, max_length=20, examples=[["JY-9XTA-2MQD-7K3P"]]
    )
    expected_version: ExpectedVersion


class DeputyRef(BaseModel):
    id: str = Field(examples=["deputy-zhang-wei"])
    name: str = Field(examples=["张伟"])
    division: str = Field(examples=["330481001"])


class ReviewStep(BaseModel):
    """One move of the suggestion: to which status, when, by whom, and the reviewers' comment if any."""

    status: SuggestionStatus
    at: datetime
    actor: str
    comment: str = ""


class Handling(BaseModel):
    """How routing handles the accepted suggestion: who, by when (法定: three months), and how far."""

    status: CaseStatus = Field(examples=["assigned"])
    lead_unit: UnitRef
    co_units: list[UnitRef] = Field(default_factory=list)
    due_date: date = Field(examples=["2027-02-23"])


class SuggestionView(BaseModel):
    """A suggestion as deputies and reviewers see it; `version` is what `expected_version` refers to."""

    id: str = Field(examples=["JY-7K3P-9XTA-2MQD"])
    number: int = Field(examples=[12], description="本次会议中的建议号 / its number in the session")
    label: str = Field(examples=["建议第12号"])
    division: str
    session: CongressSession
    session_name: str = Field(examples=["第十七届人民代表大会第三次会议"])
    title: str
    text: str
    lead_deputy: DeputyRef
    co_signers: list[DeputyRef]
    status: SuggestionStatus
    merged_into: str | None = None
    merged_from: list[str] = Field(default_factory=list)
    filed_at: datetime
    accepted_at: datetime | None = None
    handling: Handling | None = Field(default=None, description="立案后的交办情况 / routing's handling once accepted")
    history: list[ReviewStep]
    version: int


class SuggestionAccepted(Message):
    """立案: pre-review accepted the suggestion; routing handles it under the statutory deadline
    (自交办之日起三个月内答复). The deputies' names are public officials' and travel for the case."""

    TYPE: ClassVar[str] = "suggestion.accepted"
    SOURCE: ClassVar[str] = "intake"

    suggestion_id: str
    number: int
    division: DivisionCode
    session: CongressSession
    session_name: str
    title: str
    text: str
    deputies: list[DeputyRef] = Field(description="领衔代表在前 / the lead deputy first")
    accepted_at: datetime
    channel: Literal[Channel.SESSION_SUGGESTION] = Channel.SESSION_SUGGESTION
