"""The words of a delivery: a division's own template for its event type and channel (templates/), filled
with the event's variables; without one, the notice's own title and body, which its builder wrote for
that recipient. An SMS always goes through its template: the provider sends approved templates only.

A group robot always goes through a template too, the default group wording when the division has none:
a notice's own title and body are written for one recipient and may name the case id (the citizen's
tracking code) or quote the citizen, which a group chat must never read. Rendering on a group channel
drops every personal variable (templates/render.py)."""

import json
from collections.abc import Callable
from dataclasses import dataclass

from contracts.notify.templates import TemplateChannel
from infra.pii import PiiCipher
from services.notify.delivery.record import Delivery
from services.notify.notification import Notification
from services.notify.templates import catalog
from services.notify.templates.defaults import GROUP_CHANNELS
from services.notify.templates.handlers import in_effect
from services.notify.templates.render import render
from services.notify.templates.store import TemplateStore


@dataclass(frozen=True)
class Words:
    subject: str
    text: str
    template_code: str | None = None
    variables: dict[str, str] | None = None


Compose = Callable[[Delivery, Notification], Words]


def composer(templates: TemplateStore, cipher: PiiCipher, sms_template_ids: dict[str, str]) -> Compose:
    def compose(delivery: Delivery, note: Notification) -> Words:
        channel = TemplateChannel(delivery.channel.value)
        group = channel in GROUP_CHANNELS
        if delivery.sealed_variables is None and not group:
            return Words(note.title, note.body)
        source, template = in_effect(templates, delivery.division, delivery.event_type, channel, sms_template_ids)
        if source == "default" and channel is not TemplateChannel.SMS and not group:
            return Words(note.title, note.body)
        variables = (
            json.loads(cipher.open_text(delivery.sealed_variables))
            if delivery.sealed_variables is not None
            # the event was not at hand when the notice was stored: what the delivery itself knows
            else {"event_label": catalog.label(delivery.event_type), "division": delivery.division}
        )
        rendered = render(delivery.event_type, channel, variables, template, sms_template_ids)
        return Words(rendered.subject, rendered.text, rendered.template_code, rendered.variables)

    return compose
