"""Finding cases: the filters of `GET /v1/cases` (the `find_cases` RPC) and the whole case (`case_detail`)."""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from contracts.routing import CaseView
from contracts.vocabulary import CaseStatus, Channel, DivisionCode, EntityId

MAX_TEXT = 50


class CaseFilters(BaseModel):
    """What a listing narrows by; every filter given must hold. Statuses: any of those given."""

    unit: EntityId | None = Field(
        default=None, description="主办或协办单位 / the lead or a co-handling unit", examples=["hn-transport"]
    )
    status: list[CaseStatus] = Field(
        default_factory=list,
        max_length=len(CaseStatus),
        description="状态，可重复给出 / any of these statuses (repeat the parameter)",
        examples=[["assigned", "accepted"]],
    )
    category: str | None = Field(default=None, min_length=1, max_length=20, examples=["道路交通"])
    channel: Channel | None = Field(default=None, examples=["hotline"])
    due_from: date | None = Field(default=None, description="答复期限不早于 / due on or after", examples=["2026-12-01"])
    due_to: date | None = Field(default=None, description="答复期限不晚于 / due on or before", examples=["2026-12-31"])
    overdue: bool | None = Field(
        default=None,
        description="true：在办且已过答复期限（按北京时间的今天）；false：未超期 / open past its due date "
        "(today in Asia/Shanghai), or not",
    )
    extension: Literal["pending"] | None = Field(
        default=None,
        description="pending：有待督办审批的延期申请 / with an extension request awaiting a supervisor's decision",
        examples=["pending"],
    )
    text: str | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_TEXT,
        description="内容中包含的文字（逐字匹配）/ a substring of the content, matched literally",
        examples=["电梯"],
    )

    @field_validator("due_to")
    @classmethod
    def due_range_in_order(cls, due_to: date | None, info: ValidationInfo) -> date | None:
        due_from = info.data.get("due_from")
        if due_to is not None and due_from is not None and due_to < due_from:
            raise ValueError("答复期限范围的结束早于开始 (due_to is before due_from)")
        return due_to


class CaseQuery(CaseFilters):
    """The `find_cases` RPC's argument: the filters, the division (default: the caller's scope) and the page."""

    division: DivisionCode | None = None
    limit: int = Field(default=100, ge=1, le=500)
    after: str | None = Field(default=None, max_length=500)


class CaseDetail(CaseView):
    """The whole case, as staff whose scope covers it see it: the content and every step of its history."""

    content: str = Field(examples=["文苑路公交站台的顶棚坏了，下雨天等车的老人孩子都淋湿了"])
    assigned_at: datetime | None = None
    calendar_fallback: bool = Field(
        default=False, description="期限按未知年份的日历推算 / the due date lies in a year the calendar does not know"
    )
