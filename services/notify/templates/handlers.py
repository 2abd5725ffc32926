"""Template use cases: read the template in effect, save or drop a division's own, preview."""

from datetime import datetime

from contracts.actor import Actor
from contracts.errors import ErrorCode, ServiceError
from contracts.notify.templates import PreviewIn, PreviewView, TemplateChannel, TemplateIn, TemplateView, VariableView
from services.notify.templates import catalog, samples
from services.notify.templates.render import check, default_template, render
from services.notify.templates.store import TemplateStore


def _known(event_type: str) -> None:
    if not catalog.known(event_type):
        raise ServiceError(ErrorCode.INVALID, f"未知的事件类型（unknown event type {event_type}）", "event_type")


def in_effect(
    store: TemplateStore, division: str, event_type: str, channel: TemplateChannel, sms_template_ids: dict[str, str]
) -> tuple[str, TemplateIn]:
    """(its source: 'default' or a division, the template) for this division, event type and channel."""
    own = store.in_effect(division, event_type, channel)
    return own or ("default", default_template(event_type, channel, sms_template_ids))


def view(
    store: TemplateStore, division: str, event_type: str, channel: TemplateChannel, sms_template_ids: dict[str, str]
) -> TemplateView:
    _known(event_type)
    source, template = in_effect(store, division, event_type, channel, sms_template_ids)
    offered = [
        VariableView(name=v.name, description=v.description, personal=v.personal)
        for v in catalog.variables(event_type).values()
    ]
    return TemplateView(
        **template.model_dump(),
        event_type=event_type,
        channel=channel,
        division=division,
        source=source,
        variables=offered,
    )


def listing(
    store: TemplateStore, division: str, event_type: str | None, sms_template_ids: dict[str, str]
) -> list[TemplateView]:
    types = [event_type] if event_type else sorted(catalog.events())
    return [view(store, division, t, channel, sms_template_ids) for t in types for channel in TemplateChannel]


def save(
    store: TemplateStore,
    division: str,
    event_type: str,
    channel: TemplateChannel,
    template: TemplateIn,
    actor: Actor,
    now: datetime,
    sms_template_ids: dict[str, str],
) -> TemplateView:
    """Checked first (unknown event type or variable, personal data on a group channel): nothing is saved
    unless the whole template is right."""
    check(event_type, channel, template)
    store.save(division, event_type, channel, template, actor.ref, now)
    return view(store, division, event_type, channel, sms_template_ids)


def reset(
    store: TemplateStore, division: str, event_type: str, channel: TemplateChannel, sms_template_ids: dict[str, str]
) -> TemplateView:
    _known(event_type)
    if not store.remove(division, event_type, channel):
        raise ServiceError(
            ErrorCode.NOT_FOUND, "本区划没有自定义该模板（no template of this division to remove）", "channel"
        )
    return view(store, division, event_type, channel, sms_template_ids)


def preview(store: TemplateStore, request: PreviewIn, sms_template_ids: dict[str, str]) -> PreviewView:
    if request.template is not None:
        check(request.event_type, request.channel, request.template)
        template = request.template
    else:
        _known(request.event_type)
        _, template = in_effect(store, request.division, request.event_type, request.channel, sms_template_ids)
    offered = catalog.variables(request.event_type)
    unknown = sorted(set(request.variables) - set(offered))
    if unknown:
        raise ServiceError(ErrorCode.INVALID, f"未知的变量（unknown variables: {', '.join(unknown)}）", "variables")
    values = {name: samples.example(variable) for name, variable in offered.items()} | request.variables
    values["event_label"] = catalog.label(request.event_type)
    rendered = render(request.event_type, request.channel, values, template)
    parameters = list(rendered.variables.values()) if request.channel is TemplateChannel.SMS else []
    return PreviewView(
        subject=rendered.subject, text=rendered.text, template_code=rendered.template_code, parameters=parameters
    )
