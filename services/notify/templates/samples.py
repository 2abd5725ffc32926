"""Example values for previews: what a variable looks like, without any real person's data."""

from services.notify.templates.catalog import Variable

BY_NAME = {
    "case_id": "7K3P-9XTA-2MQD",
    "case_number": "330481-2026-000123",
    "tracking_code": "7K3P-9XTA-2MQD",
    "division": "330481",
    "code": "428613",
    "content": "文苑路公交站台的顶棚坏了，下雨天无处避雨。",
    "category": "道路交通",
    "reason": "不属于本单位职责",
    "draft_title": "海宁市物业管理条例（草案）",
    "title": "海宁市物业管理条例（草案）",
    "reply_text": "已完成站台顶棚修复。",
    "reply_label": "已解决",
    "round": "1",
    "working_days_left": "2",
    "working_days": "15",
}
BY_KIND = {"date": "2026-12-14", "datetime": "2026-11-23 10:00", "flag": "否", "names": "海宁市住房和城乡建设局"}


def example(variable: Variable) -> str:
    if variable.name in BY_NAME:
        return BY_NAME[variable.name]
    if variable.name.endswith("unit_name"):
        return "海宁市交通运输局"
    return BY_KIND.get(variable.kind) or f"（{variable.description}）"
