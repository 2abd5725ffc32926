"""Templates to messages: `{name}` placeholders filled with the event's variables.

Only plain `{name}` placeholders are allowed (no attribute, index, conversion or format spec): a template
is data an administrator writes, never code. `{{` and `}}` stand for literal braces.
"""

import re
from string import Formatter

from pydantic import BaseModel

from contracts.errors import ErrorCode, ServiceError
from contracts.notify.templates import TemplateChannel, TemplateIn
from services.notify.templates import catalog
from services.notify.templates.defaults import GROUP_CHANNELS, default_for

NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class Rendered(BaseModel):
    subject: str
    text: str
    template_code: str | None = None
    # the variables the template uses, in the order they first appear: an SMS template's {1}, {2}, …
    variables: dict[str, str]


def placeholders(text: str, field: str) -> list[str]:
    """The variables `text` uses, in order of first appearance; malformed placeholders refused."""
    names: list[str] = []
    try:
        parts = list(Formatter().parse(text))
    except ValueError:
        raise ServiceError(
            ErrorCode.INVALID, "模板中的花括号不成对（unbalanced braces; write {{ or }} for a brace）", field
        ) from None
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if not NAME.match(name) or spec or conversion:
            raise ServiceError(
                ErrorCode.INVALID, f"模板占位符只能是 {{变量名}}（invalid placeholder {{{name}}}）", field
            )
        if name not in names:
            names.append(name)
    return names


def check(event_type: str, channel: TemplateChannel, template: TemplateIn) -> list[str]:
    """The variables the template uses, in order; refuses an unknown event type, an unknown variable, a
    personal variable on a group channel, and an SMS template without the provider's template id."""
    if not catalog.known(event_type):
        raise ServiceError(ErrorCode.INVALID, f"未知的事件类型（unknown event type {event_type}）", "event_type")
    offered = catalog.variables(event_type)
    in_subject, in_text = placeholders(template.subject, "subject"), placeholders(template.text, "text")
    used = in_subject + [name for name in in_text if name not in in_subject]
    for name in used:
        field = "subject" if name in in_subject else "text"
        if name not in offered:
            known = "、".join(offered)
            raise ServiceError(
                ErrorCode.INVALID,
                f"未知的变量 {{{name}}}（unknown variable {name}; {event_type} offers: {known}）",
                field,
            )
        if channel in GROUP_CHANNELS and offered[name].personal:
            raise ServiceError(
                ErrorCode.INVALID,
                f"群机器人消息不得包含个人信息 {{{name}}}（personal variable {name} not allowed on {channel.value}）",
                field,
            )
    if channel is TemplateChannel.SMS and not template.template_code:
        raise ServiceError(
            ErrorCode.INVALID,
            "短信模板须填写短信平台审核通过的模板 ID（template_code is required for SMS）",
            "template_code",
        )
    return used


def _fill(text: str, values: dict[str, str]) -> str:
    return "".join(
        literal + (values.get(name, "") if name is not None else "") for literal, name, _, _ in Formatter().parse(text)
    )


def default_template(event_type: str, channel: TemplateChannel, sms_template_ids: dict[str, str]) -> TemplateIn:
    subject, text = default_for(event_type, channel)
    code = sms_template_ids.get(event_type) if channel is TemplateChannel.SMS else None
    return TemplateIn(subject=subject, text=text, template_code=code)


def render(
    event_type: str,
    channel: TemplateChannel | str,
    variables: dict[str, str],
    template: TemplateIn | None = None,
    sms_template_ids: dict[str, str] | None = None,
) -> Rendered:
    """The message of `template` (default: the default wording) for an event with these variables.
    Variables the event lacks render empty; on group channels a personal variable never renders."""
    channel = TemplateChannel(channel)
    template = template or default_template(event_type, channel, sms_template_ids or {})
    offered = catalog.variables(event_type)
    values = {
        name: value
        for name, value in variables.items()
        if not (channel in GROUP_CHANNELS and (name not in offered or offered[name].personal))
    }
    used = placeholders(template.subject, "subject")
    used += [name for name in placeholders(template.text, "text") if name not in used]
    return Rendered(
        subject=_fill(template.subject, values),
        text=_fill(template.text, values),
        template_code=template.template_code if channel is TemplateChannel.SMS else None,
        variables={name: values.get(name, "") for name in used},
    )
