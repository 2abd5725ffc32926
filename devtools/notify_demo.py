"""notify's part of the demo set: 海宁市's own wording for a few messages (the rest keep the defaults)."""

import httpx

COUNTY = "330481"
# (event type, channel, template): PUT is idempotent, so loading twice changes nothing
TEMPLATES = [
    (
        "opinion.received",
        "sms",
        {
            "text": "【海宁人大】您反映的事项已受理，查询码 {tracking_code}，可在“海宁民情”查看办理进度。",
            "template_code": "2001001",
        },
    ),
    (
        "case.overdue",
        "dingtalk",
        {
            "subject": "民情快解钉：逾期提醒",
            "text": "{lead_unit_name} 主办的一件民情事项已超过答复期限（{due_date}），请分管领导督促办理。",
        },
    ),
    (
        "case.assigned",
        "email",
        {
            "subject": "【海宁人大】新交办民情事项 {case_number}",
            "text": "{lead_unit_name}：\n\n事项 {case_number} 已交由贵单位主办（协办：{co_units_names}），"
            "请于 {due_date} 前答复。\n\n海宁市人大常委会民情联络办",
        },
    ),
]


def load_notify_templates(client: httpx.Client) -> None:
    for event_type, channel, template in TEMPLATES:
        path = f"/v1/notify/templates/{event_type}/{channel}"
        client.put(path, params={"division": COUNTY}, json=template).raise_for_status()
