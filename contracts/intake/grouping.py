"""intake's contracts for near-duplicate groups (合并处置) and hot words (民情热词): views and inputs.

The event a merge causes, `OpinionMerged`, is with the other opinion events in `contracts.intake.opinions`.
"""

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from contracts.vocabulary import CaseStatus, DivisionCode

TRACKING_CODE_PATTERN = r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$"
GROUP_ID_PATTERN = r"^[0-9A-HJKMNP-TV-Z]{26}$"
EXCERPT_LENGTH = 60


def upper(value: object) -> object:
    return value.strip().upper() if isinstance(value, str) else value


TrackingCode = Annotated[str, BeforeValidator(upper), Field(pattern=TRACKING_CODE_PATTERN, examples=["7K3P-9XTA-2MQD"])]


class GroupMember(BaseModel):
    """One item of a group, as staff see it in the list: never the citizen's name or phone."""

    tracking_code: str = Field(examples=["7K3P-9XTA-2MQD"])
    case_number: str | None = Field(default=None, examples=["330481-2026-000123"])
    excerpt: str = Field(
        description=f"内容摘要（前 {EXCERPT_LENGTH} 字）/ the content's first characters",
        examples=["文苑路中段有个大坑，电动车经过很危险"],
    )
    submitted_at: datetime
    status: CaseStatus = Field(examples=["assigned"])
    primary: bool = Field(default=False, description="合并处置的主件 / the case the others follow")
    merged: bool = Field(default=False, description="已并入主件办理 / handled as the primary's case")


class OpinionGroupView(BaseModel):
    """Near-duplicates of one division and period: one problem raised `size` times."""

    group_id: str = Field(examples=["01JDQ8M5V6X4T2R9K7W3B1N0PZ"])
    division: str = Field(examples=["330481001"])
    size: int = Field(examples=[3])
    terms: list[str] = Field(description="成员共有的词 / the terms most members share", examples=[["文苑路", "坑洼"]])
    members: list[GroupMember]
    primary: str | None = Field(default=None, examples=["7K3P-9XTA-2MQD"])
    merged_at: datetime | None = None
    merged_by: str | None = Field(default=None, examples=["station:01JDQ7ZK3M8Y5C2B6V4N9T1QXA"])
    created_at: datetime
    updated_at: datetime
    version: int = Field(description="操作时可作为 expected_version / what `expected_version` refers to")


class MergeGroupIn(BaseModel):
    """合并处置: the group is handled as the primary's case, and every submitter follows its outcome.

    `expected_version`, when given, must be the group's current version, or nothing changes (409).
    """

    model_config = ConfigDict(extra="forbid")

    primary: TrackingCode
    expected_version: int | None = Field(default=None, ge=1, examples=[2])


class SplitGroupIn(BaseModel):
    """Takes members out of a group; they are not put back in it by later items."""

    model_config = ConfigDict(extra="forbid")

    members: list[TrackingCode] = Field(min_length=1, max_length=100)
    expected_version: int | None = Field(default=None, ge=1, examples=[2])


class HotWord(BaseModel):
    term: str = Field(examples=["坑洼"])
    count: int = Field(description="提到该词的事项数 / how many items mention it", examples=[12])


class HotWordsView(BaseModel):
    """民情热词: the terms most items of the area mentioned over the period (days in Asia/Shanghai)."""

    division: DivisionCode
    first_day: date = Field(examples=["2026-11-01"])
    last_day: date = Field(examples=["2026-11-30"])
    items: int = Field(description="期间内的事项数 / items submitted in the period", examples=[45])
    words: list[HotWord]
