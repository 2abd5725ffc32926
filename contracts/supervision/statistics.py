"""Statistics (统计) and red/black lists (红黑榜): what supervisors ask for and what they get back.

Every rate follows DOMAIN.md (Supervision, statistics definitions) and travels with its numerator
and denominator. A case counts in the calendar month (Asia/Shanghai) it was first assigned (交办月份):
`from` and `to` name such months, and every count of a row is about the cases assigned in them.
"""

import re
from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
PERIOD = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2])|-Q([1-4]))?$")
MAX_MONTHS = 120


class StatisticsBy(StrEnum):
    """How rows are cut: by the division one level below the one asked (县→镇街→村社), the lead
    unit (主办单位), the deputy (领衔代表 or the deputy who received the item), the category, the
    channel, or the period (one row per month)."""

    DIVISION = "division"
    UNIT = "unit"
    DEPUTY = "deputy"
    CATEGORY = "category"
    CHANNEL = "channel"
    PERIOD = "period"


def month_index(month: str) -> int:
    year, number = month.split("-")
    return int(year) * 12 + int(number) - 1


def month_name(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def months_between(first: str, last: str) -> list[str]:
    return [month_name(i) for i in range(month_index(first), month_index(last) + 1)]


def check_month(value: str) -> str:
    if not MONTH.match(value):
        raise ValueError("月份格式应为 YYYY-MM (a month, YYYY-MM)")
    return value


class StatisticsQuery(BaseModel):
    """`from` and `to` are months, `to` not before `from`, at most ten years apart."""

    model_config = ConfigDict(populate_by_name=True, extra="forbid")

    division: str
    first: str = Field(alias="from", examples=["2026-01"])
    last: str = Field(alias="to", examples=["2026-12"])
    by: StatisticsBy = StatisticsBy.DIVISION

    @field_validator("first", "last")
    @classmethod
    def is_a_month(cls, value: str) -> str:
        return check_month(value)

    @model_validator(mode="after")
    def in_order(self) -> "StatisticsQuery":
        span = month_index(self.last) - month_index(self.first)
        if span < 0:
            raise ValueError("to: 结束月份早于开始月份 (`to` is before `from`)")
        if span >= MAX_MONTHS:
            raise ValueError(f"to: 统计区间最长 {MAX_MONTHS} 个月 (at most {MAX_MONTHS} months)")
        return self

    @property
    def months(self) -> list[str]:
        return months_between(self.first, self.last)


class Rate(BaseModel):
    """A rate with what it is made of; `percent` is None when the denominator is zero."""

    numerator: int
    denominator: int
    percent: float | None = Field(description="百分比，保留两位小数 / percent, two decimals", examples=[61.05])


class StatisticsRow(BaseModel):
    key: str = Field(examples=["hn-transport"])
    label: str = Field(examples=["海宁市交通运输局"])
    assigned: int = Field(description="交办件数 / cases assigned")
    replied: int = Field(description="已答复 / replied")
    met: int = Field(description="答复前与代表见面的件数 / replied with ≥1 meeting with the deputy")
    completed: int = Field(description="办结 (the class counts as completed)")
    resolved: int = Field(description="解决 (the class counts as resolved)")
    on_time: int = Field(description="按期答复 / replied by the deadline")
    evaluated: int
    satisfied: int
    basically_satisfied: int
    unsatisfied: int
    overdue: int = Field(description="现超期未答复 / open past the deadline now")
    returned: int = Field(description="退回次数 / times returned by a unit")
    reopened: int = Field(description="不满意再办理次数 / times reopened")
    classes: dict[str, int] = Field(description="各结果分类件数 / replied items per result class")
    reply_rate: Rate = Field(description="办复率 = 已答复 ÷ 交办")
    face_to_face_rate: Rate = Field(description="面商率 = 见面的已答复件 ÷ 已答复")
    satisfaction_rate: Rate = Field(description="满意率 = (满意 + 基本满意) ÷ 已测评")
    completion_rate: Rate = Field(description="办结率 = 办结 ÷ 已答复")
    resolution_rate: Rate = Field(description="解决率 = 解决 ÷ 已答复")
    on_time_rate: Rate = Field(description="按期答复率 = 按期答复 ÷ 已答复")
    overdue_rate: Rate = Field(description="超期率 = 现超期未答复 ÷ 交办")
    class_shares: dict[str, Rate] = Field(description="分类占比 = 该类件数 ÷ 已答复")


class StatisticsView(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    division: str
    first: str = Field(alias="from", examples=["2026-01"])
    last: str = Field(alias="to", examples=["2026-12"])
    by: StatisticsBy
    as_of: date = Field(description="超期按此日判断 / overdue as of this day (Asia/Shanghai)")
    total: StatisticsRow
    rows: list[StatisticsRow]


# ---- 红黑榜 ----


class RankingRulesIn(BaseModel):
    """The division's rules for its units' red and black lists, published with every list.

    A unit with at least `min_cases` assigned in the period is ranked: by on-time rate, then
    satisfaction rate, then fewest returns. It is on the red list (红榜) when it reaches every red
    threshold, on the black list (黑榜) when it misses any black one. Fewer cases: listed apart.
    """

    model_config = ConfigDict(extra="forbid")

    min_cases: int = Field(default=5, ge=1, le=10_000, description="参与排名的最少交办件数", examples=[5])
    black_on_time: float = Field(default=70, ge=0, le=100, description="黑榜：按期答复率低于 (%)", examples=[70])
    black_satisfaction: float = Field(default=60, ge=0, le=100, description="黑榜：满意率低于 (%)", examples=[60])
    black_return_rate: float = Field(default=20, ge=0, le=100, description="黑榜：退回率高于 (%)", examples=[20])
    red_on_time: float = Field(default=95, ge=0, le=100, description="红榜：按期答复率不低于 (%)", examples=[95])
    red_satisfaction: float = Field(default=90, ge=0, le=100, description="红榜：满意率不低于 (%)", examples=[90])
    red_max_return_rate: float = Field(default=5, ge=0, le=100, description="红榜：退回率不高于 (%)", examples=[5])

    @field_validator("red_on_time", "red_satisfaction")
    @classmethod
    def red_not_below_black(cls, value: float, info: ValidationInfo) -> float:
        black = info.data.get(info.field_name.replace("red_", "black_"))
        if black is not None and value < black:
            raise ValueError(f"红榜门槛不能低于黑榜门槛 {black:g} (the red threshold is below the black one)")
        return value

    @field_validator("red_max_return_rate")
    @classmethod
    def red_returns_not_above_black(cls, value: float, info: ValidationInfo) -> float:
        black = info.data.get("black_return_rate")
        if black is not None and value > black:
            raise ValueError(f"红榜门槛不能高于黑榜门槛 {black:g} (the red threshold is above the black one)")
        return value


class RankingRulesView(RankingRulesIn):
    division: str = Field(description="规则所属行政区划（本级、上级，或平台默认 default）")
    text: str = Field(description="公布的评比规则 / the rules as published")


class RankedUnit(BaseModel):
    rank: int | None = Field(description="名次；件数不足者为空 / None when not ranked")
    unit: str
    label: str
    assigned: int
    on_time_rate: Rate = Field(description="按期答复率 = 按期答复 ÷ (已答复 + 现超期未答复)")
    satisfaction_rate: Rate
    return_rate: Rate = Field(description="退回率 = 退回次数 ÷ (交办 + 退回次数)")
    board: str | None = Field(description="red（红榜）, black（黑榜）或空 (none)")
    reasons: list[str] = Field(default_factory=list, description="上榜理由 / why it is on a list")


class RankingView(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    division: str
    period: str = Field(examples=["2026-Q4"])
    first: str = Field(alias="from", examples=["2026-10"])
    last: str = Field(alias="to", examples=["2026-12"])
    rules: RankingRulesView
    red: list[RankedUnit]
    black: list[RankedUnit]
    ranked: list[RankedUnit]
    too_few_cases: list[RankedUnit] = Field(description="件数不足、不参与排名的单位 / listed apart, unranked")


def period_months(period: str) -> tuple[str, str]:
    """`2026` (a year), `2026-Q4` (a quarter) or `2026-11` (a month) as its first and last months."""
    match = PERIOD.match(period)
    if not match:
        raise ValueError("期间格式应为 YYYY、YYYY-Qn 或 YYYY-MM (a year, quarter or month)")
    year, month, quarter = match.groups()
    if month:
        return period, period
    if quarter:
        first = (int(quarter) - 1) * 3 + 1
        return f"{year}-{first:02d}", f"{year}-{first + 2:02d}"
    return f"{year}-01", f"{year}-12"
