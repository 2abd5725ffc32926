"""notify's template RPCs, mixed into NotifyService: behind `/v1/notify/templates`."""

from pydantic import BaseModel

from contracts.actor import Actor
from contracts.errors import parse
from contracts.notify.templates import PreviewIn, TemplateChannel, TemplateIn
from infra.clock import utc_now
from infra.nameko_entrypoints import rpc
from infra.settings import get_settings
from services.notify.templates import handlers


class ChannelIn(BaseModel):
    channel: TemplateChannel


def _channel(channel: str) -> TemplateChannel:
    """The channel named, or INVALID naming `channel`."""
    return parse(ChannelIn, {"channel": channel}).channel


class TemplateEntrypoints:
    @rpc
    def notify_templates(self, division: str, event_type: str | None = None) -> list[dict]:
        ids = get_settings().sms_template_ids
        return [v.model_dump(mode="json") for v in handlers.listing(self.store.templates, division, event_type, ids)]

    @rpc
    def notify_template(self, division: str, event_type: str, channel: str) -> dict:
        ids = get_settings().sms_template_ids
        return handlers.view(self.store.templates, division, event_type, _channel(channel), ids).model_dump(mode="json")

    @rpc
    def save_notify_template(self, division: str, event_type: str, channel: str, template: dict, actor: dict) -> dict:
        view = handlers.save(
            self.store.templates,
            division,
            event_type,
            _channel(channel),
            parse(TemplateIn, template),
            parse(Actor, actor),
            utc_now(),
            get_settings().sms_template_ids,
        )
        return view.model_dump(mode="json")

    @rpc
    def reset_notify_template(self, division: str, event_type: str, channel: str) -> dict:
        ids = get_settings().sms_template_ids
        return handlers.reset(self.store.templates, division, event_type, _channel(channel), ids).model_dump(
            mode="json"
        )

    @rpc
    def preview_notify_template(self, preview: dict) -> dict:
        request = parse(PreviewIn, preview)
        return handlers.preview(self.store.templates, request, get_settings().sms_template_ids).model_dump(mode="json")
