"""notify's message templates: per event type and channel, Simplified Chinese, with {variables} from the event."""

from enum import StrEnum

from pydantic import BaseModel, Field

EVENT_TYPE_PATTERN = r"^[a-z_]+\.[a-z_.]+$"


class TemplateChannel(StrEnum):
    """The channels whose messages are written from a template (a webhook sends the event itself)."""

    IN_APP = "in_app"
    EMAIL = "email"
    SMS = "sms"
    DINGTALK = "dingtalk"
    WECOM = "wecom"


class TemplateIn(BaseModel):
    """A division's own wording. `{name}` stands for a variable of the event; robots' templates may not
    use personal variables. An SMS template must be the wording approved at the provider, with its id."""

    subject: str = Field(default="", max_length=200, examples=["新交办事项（主办）"])
    text: str = Field(
        min_length=1,
        max_length=2000,
        examples=["贵单位有一件新交办的民情事项（编号 {case_number}），请于 {due_date} 前答复。"],
    )
    template_code: str | None = Field(
        default=None,
        max_length=64,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="短信平台审核通过的模板 ID（仅短信）/ the provider's approved template id (SMS only)",
        examples=["2001234"],
    )


class VariableView(BaseModel):
    name: str = Field(examples=["case_number"])
    description: str = Field(examples=["事项编号"])
    personal: bool = Field(description="含个人信息，群机器人模板不可用 / personal: not for group robots")


class TemplateView(TemplateIn):
    event_type: str = Field(examples=["case.assigned"])
    channel: TemplateChannel
    division: str = Field(examples=["330481"])
    source: str = Field(
        description="default：系统默认；否则为设置该模板的行政区划 / 'default' or the division whose own applies",
        examples=["330481"],
    )
    variables: list[VariableView] = Field(description="该事件可用的变量 / the variables this event offers")


class PreviewIn(BaseModel):
    """A template (saved or not) rendered with an example of the event, or with the variables given."""

    division: str = Field(pattern=r"^\d{6}(\d{3}(\d{3})?)?$", examples=["330481"])
    event_type: str = Field(pattern=EVENT_TYPE_PATTERN, max_length=64, examples=["case.assigned"])
    channel: TemplateChannel
    template: TemplateIn | None = Field(
        default=None, description="不填则预览当前生效的模板 / default: the one in effect"
    )
    variables: dict[str, str] = Field(
        default_factory=dict, max_length=50, description="不填的变量用示例值 / example values fill the rest"
    )


class PreviewView(BaseModel):
    subject: str = Field(examples=["新交办事项（主办）"])
    text: str = Field(examples=["贵单位有一件新交办的民情事项（编号 330481-2026-000123），请于 2026-12-14 前答复。"])
    template_code: str | None = Field(default=None, examples=["2001234"])
    parameters: list[str] = Field(
        default_factory=list, description="短信模板参数，按 {1}、{2}… 的顺序 / SMS parameters in order"
    )
