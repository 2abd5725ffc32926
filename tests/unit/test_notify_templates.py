"""Templates: variables read off the events' contracts, defaults for every event type and channel, the
rules a saved template must follow, and no personal data on group robots or webhooks."""

import pytest

from contracts.errors import ServiceError
from contracts.notify.templates import TemplateChannel, TemplateIn
from services.notify.templates import catalog
from services.notify.templates.defaults import GROUP_CHANNELS
from services.notify.templates.render import check, default_template, render

ASSIGNED = {
    "case_id": "7K3P-9XTA-2MQD",
    "division": "330481",
    "lead_unit": {"id": "hn-transport", "name": "海宁市交通运输局"},
    "co_units": [{"id": "hn-housing", "name": "海宁市住房和城乡建设局"}, {"id": "hn-water", "name": "海宁市水利局"}],
    "assigned_at": "2026-11-23T02:00:00Z",
    "due_date": "2026-12-14",
    "working_days": 15,
    "calendar_fallback": False,
    "transitions": [],
    "case_number": "330481-2026-000123",
}
# the personal values an event may carry, each of which a group must never see
CODE_ISSUED = {
    "tracking_code": "7K3P-9XTA-2MQD",
    "division": "330481",
    "code": "428613",
    "expires_at": "2026-11-30T16:00:00Z",
}
RECEIVED = {
    "tracking_code": "QK7M-3PXA-9TDD",
    "division": "330481001",
    "channel": "web",
    "content": "我叫王小明，住文苑路 18 号，电话 13800001234，楼下公交站台顶棚坏了",
    "submitted_at": "2026-11-23T02:00:00Z",
    "has_contact": True,
    "category": "道路交通",
    "receiver": {"kind": "deputy", "id": "deputy-zhang-wei", "name": "张伟"},
    "photos": [],
}
REPLIED = {
    "case_id": "7K3P-9XTA-2MQD",
    "division": "330481",
    "at": "2026-11-25T02:00:00Z",
    "transitions": [],
    "reply": {
        "unit": {"id": "hn-transport", "name": "海宁市交通运输局"},
        "text": "王小明先生：您反映的站台顶棚已于 11 月 25 日修复。",
        "result_class": "resolved",
        "label": "已解决",
        "completed": True,
        "resolved": True,
        "promised": [],
        "replied_at": "2026-11-25T02:00:00Z",
    },
}
PERSONAL_VALUES = ["7K3P-9XTA-2MQD", "428613", "QK7M-3PXA-9TDD", "王小明", "13800001234", "文苑路 18 号"]


def test_variables_come_from_the_event_and_read_as_people_read_them():
    values = catalog.values_of("case.assigned", ASSIGNED, "2026-11-23T02:00:00Z")

    assert values["lead_unit_name"] == "海宁市交通运输局"
    assert values["co_units_names"] == "海宁市住房和城乡建设局、海宁市水利局"
    assert values["assigned_at"] == "2026-11-23 10:00"  # Asia/Shanghai
    assert values["due_date"] == "2026-12-14"
    assert values["calendar_fallback"] == "否"
    assert values["event_label"] == "事项交办"
    assert "transitions" not in values


def test_every_default_uses_only_variables_its_event_offers_and_no_personal_one_on_a_group_channel():
    for event_type in catalog.events():
        for channel in TemplateChannel:
            check(event_type, channel, default_template(event_type, channel, {event_type: "2001234"}))


@pytest.mark.parametrize(
    ("event_type", "payload"),
    [("evaluation.code_issued", CODE_ISSUED), ("opinion.received", RECEIVED), ("case.replied", REPLIED)],
)
def test_robot_messages_carry_no_personal_data_while_the_person_concerned_gets_theirs(event_type, payload):
    values = catalog.values_of(event_type, payload)
    for channel in GROUP_CHANNELS:
        rendered = render(event_type, channel, values)
        shown = rendered.subject + rendered.text + "".join(rendered.variables.values())
        assert not [value for value in PERSONAL_VALUES if value in shown], (channel, shown)
        # even a template naming a personal variable (saved before the rule, say) renders it empty
        forced = render(event_type, channel, values, TemplateIn(text="{tracking_code}{content}{code}{reply_text}"))
        assert not [value for value in PERSONAL_VALUES if value in forced.text]
    personal = render(event_type, TemplateChannel.SMS, values, None, {event_type: "2001"})
    assert [value for value in PERSONAL_VALUES if value in personal.text]


def test_a_webhook_envelope_loses_every_personal_field_at_any_depth():
    envelope = {"type": "case.replied", "division": "330481", "payload": REPLIED}
    public = catalog.without_personal(envelope)

    assert public["payload"]["reply"]["label"] == "已解决"
    assert "text" not in public["payload"]["reply"]
    assert catalog.without_personal({"payload": RECEIVED})["payload"].keys().isdisjoint({"content", "tracking_code"})
    assert "code" not in catalog.without_personal({"payload": CODE_ISSUED})["payload"]


def test_an_sms_gets_its_approved_template_and_the_parameters_in_the_order_they_appear():
    values = catalog.values_of("evaluation.code_issued", CODE_ISSUED)
    template = TemplateIn(
        text="验证码 {code}，{expires_at} 前有效（查询码 {tracking_code}，验证码 {code}）", template_code="2009"
    )

    rendered = render("evaluation.code_issued", "sms", values, template)

    assert rendered.template_code == "2009"
    assert list(rendered.variables) == ["code", "expires_at", "tracking_code"]
    assert list(rendered.variables.values()) == ["428613", "2026-12-01 00:00", "7K3P-9XTA-2MQD"]


@pytest.mark.parametrize(
    ("channel", "template", "field", "named"),
    [
        ("in_app", TemplateIn(text="事项 {case_no} 已交办"), "text", "case_no"),
        ("email", TemplateIn(subject="{lead_unit}", text="x"), "subject", "lead_unit"),
        ("dingtalk", TemplateIn(text="查询码 {tracking_code}"), "text", "tracking_code"),
        ("wecom", TemplateIn(text="{content}"), "text", "content"),
        ("sms", TemplateIn(text="查询码 {tracking_code}"), "template_code", "template_code"),
        ("in_app", TemplateIn(text="{case_id.__class__}"), "text", "case_id.__class__"),
        ("in_app", TemplateIn(text="{case_id!r}"), "text", "case_id"),
        ("in_app", TemplateIn(text="{case_id:>99999}"), "text", "case_id"),
        ("in_app", TemplateIn(text="未闭合 {case_id"), "text", "{"),
    ],
)
def test_a_template_breaking_a_rule_is_refused_naming_the_field_and_the_variable(channel, template, field, named):
    event_type = "opinion.received" if channel in ("dingtalk", "wecom", "sms") else "case.assigned"

    with pytest.raises(ServiceError) as refused:
        check(event_type, TemplateChannel(channel), template)

    assert refused.value.field == field
    assert named in refused.value.detail


def test_an_unknown_event_type_is_refused():
    with pytest.raises(ServiceError) as refused:
        check("case.vanished", TemplateChannel.IN_APP, TemplateIn(text="x"))
    assert refused.value.field == "event_type"


def test_literal_braces_are_written_doubled():
    rendered = render("case.assigned", "in_app", {"case_id": "C1"}, TemplateIn(text="{{编号}} {case_id}"))
    assert rendered.text == "{编号} C1"


def test_the_demo_set_templates_follow_the_rules():
    from devtools.notify_demo import TEMPLATES

    for event_type, channel, template in TEMPLATES:
        check(event_type, TemplateChannel(channel), TemplateIn(**template))
