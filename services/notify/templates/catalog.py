"""What each event type offers a template: its variables, read off the event's contract model.

A scalar field is a variable of its own name (`case_id`, `due_date`); a nested model's scalar fields are
`<field>_<sub>` (`lead_unit_name`, `reply_label`); a list of named models is `<field>_names` and a list of
strings is joined. A variable is personal when any part of its path is personal (the citizen's words, the
tracking code that opens their item, a one-time code, a contact): robots and webhooks never carry those.
Robots, read in group chats, do not get the case id either (it is the citizen's tracking code).
"""

import types
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from contracts.message import Message

SHANGHAI = ZoneInfo("Asia/Shanghai")
PERSONAL_FIELDS = frozenset(
    {"tracking_code", "code", "content", "details", "location", "contact", "text", "photos", "receiver", "entered_by"}
)
# the case id is the citizen's tracking code: people concerned and county systems (who read cases by id
# anyway) get it, a group robot's chat does not
WITHHELD_FROM_GROUPS = frozenset({"case_id", "primary", "members"})
SKIPPED_FIELDS = frozenset({"transitions", "photos", "contact", "details", "location", "promised"})
# every event offers these, from its envelope
ENVELOPE_VARIABLES = {"event_label": "事件名称", "occurred_at": "发生时间"}

LABELS = {
    "opinion.received": "民情事项已受理",
    "case.assigned": "事项交办",
    "case.accepted": "承办单位签收",
    "case.returned": "事项退回",
    "case.replied": "事项已答复",
    "case.closed": "事项办结",
    "case.reopened": "事项重新办理",
    "case.triaged": "事项待分办",
    "case.consultation_requested": "征求拟办单位意见",
    "case.consultation_answered": "拟办单位答复征求意见",
    "case.escalated": "事项提级办理",
    "case.paused": "事项暂停计时",
    "case.resumed": "事项恢复计时",
    "case.merged": "事项合并处置",
    "case.meeting_requested": "约见请求",
    "case.due_soon": "事项即将到期",
    "case.half_time": "事项办理过半",
    "case.overdue": "事项已逾期",
    "case.key_marked": "重点督办",
    "evaluation.requested": "请评价办理结果",
    "evaluation.code_issued": "评价验证码",
    "evaluation.recorded": "收到评价",
    "comments.submitted": "收到立法意见",
    "comment.adoption_decided": "立法意见采纳情况",
    "task.assigned": "立法征询任务",
    "draft.opened": "法规草案公开征求意见",
}

DESCRIPTIONS = {
    "case_id": "事项 ID（即群众的查询码）",
    "lead_unit_id": "主办单位 ID",
    "unit_id": "单位 ID",
    "assigned_at": "交办时间",
    "received_at": "受理时间",
    "submitted_at": "提交时间",
    "accepted_at": "签收时间",
    "at": "发生时间",
    "working_days": "办理时限（工作日）",
    "calendar_fallback": "是否按自然日计算期限",
    "channel": "来源渠道",
    "level": "级别",
    "rating": "评价结果",
    "decision": "处理结果",
    "closes_at": "截止时间",
    "has_contact": "是否留有联系方式",
    "case_number": "事项编号",
    "division": "行政区划代码",
    "due_date": "答复期限",
    "lead_unit_name": "主办单位",
    "co_units_names": "协办单位",
    "unit_name": "单位名称",
    "units_names": "单位名称",
    "tracking_code": "查询码（个人信息）",
    "code": "一次性评价验证码（个人信息）",
    "content": "群众反映的内容（个人信息）",
    "reply_text": "答复内容（可能含个人信息）",
    "reply_label": "答复类别",
    "category": "事项类别",
    "reply_by": "答复征求意见的截止日期",
    "closes_on": "评价截止日期",
    "expires_at": "验证码失效时间",
    "draft_title": "法规草案名称",
    "reason": "理由",
    "round": "轮次",
    "working_days_left": "剩余工作日",
    "stage": "见面阶段（before 办前 / during 办中 / after 办后）",
    "stage_label": "见面阶段（办前、办中、办后）",
    "on": "约见或见面日期",
    "place": "约见地点",
}


@dataclass(frozen=True)
class Variable:
    name: str
    path: tuple[str, ...]
    kind: str  # "text", "date", "datetime", "flag", "names", "list"
    personal: bool

    @property
    def description(self) -> str:
        return DESCRIPTIONS.get(self.name) or ENVELOPE_VARIABLES.get(self.name) or self.name


def _unwrap(annotation: Any) -> Any:
    """`X | None`, `Optional[X]`, `Annotated[X, …]` → X."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            present = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(present) != 1:
                return annotation
            annotation = present[0]
        else:
            return annotation


def _scalar_kind(annotation: Any) -> str | None:
    if get_origin(annotation) is Literal:
        return "text"
    if get_origin(annotation) is not None:
        return None
    if isinstance(annotation, type):
        if issubclass(annotation, datetime):
            return "datetime"
        if issubclass(annotation, date):
            return "date"
        if issubclass(annotation, bool):
            return "flag"
        if issubclass(annotation, str | int | float | Enum):
            return "text"
    return None


def _fields(model: type[BaseModel], prefix: tuple[str, ...], depth: int) -> list[Variable]:
    found = []
    for name, field in model.model_fields.items():
        if name in SKIPPED_FIELDS:
            continue
        path = (*prefix, name)
        personal = any(part in PERSONAL_FIELDS or part in WITHHELD_FROM_GROUPS for part in path)
        annotation = _unwrap(field.annotation)
        kind = _scalar_kind(annotation)
        if kind:
            found.append(Variable("_".join(path), path, kind, personal))
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel) and depth < 2:
            found.extend(_fields(annotation, path, depth + 1))
        elif get_origin(annotation) is list:
            (item,) = get_args(annotation) or (None,)
            item = _unwrap(item)
            if isinstance(item, type) and issubclass(item, BaseModel) and "name" in item.model_fields:
                found.append(Variable("_".join(path) + "_names", path, "names", personal))
            elif _scalar_kind(item) == "text":
                found.append(Variable("_".join(path), path, "list", personal))
    return found


@cache
def events() -> dict[str, type[Message]]:
    """The event types of the platform: those the subscriptions table routes (every event has a consumer)."""
    from contracts.subscriptions import SUBSCRIPTIONS

    return {event.TYPE: event for event in SUBSCRIPTIONS}


def known(event_type: str) -> bool:
    return event_type in events()


def label(event_type: str) -> str:
    return LABELS.get(event_type, event_type)


@cache
def variables(event_type: str) -> dict[str, Variable]:
    """The variables of an event type, by name (an unknown event type has none)."""
    model = events().get(event_type)
    if model is None:
        return {}
    found = [Variable(name, (name,), "text", False) for name in ENVELOPE_VARIABLES]
    found += _fields(model, (), 0)
    return {variable.name: variable for variable in found}


def _shown(kind: str, value: Any) -> str:
    if value is None:
        return ""
    if kind == "flag":
        return "是" if value else "否"
    if kind == "datetime":
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
    if kind == "names":
        return "、".join(str(item.get("name", "")) for item in value if isinstance(item, dict))
    if kind == "list":
        return "、".join(str(item) for item in value)
    return str(value.value if isinstance(value, Enum) else value)


def values_of(event_type: str, payload: dict, occurred_at: datetime | str | None = None) -> dict[str, str]:
    """The event's variables as text (dates as they are, instants in Asia/Shanghai, lists joined by 、)."""
    values = {}
    for variable in variables(event_type).values():
        if variable.name == "event_label":
            values[variable.name] = label(event_type)
            continue
        if variable.name == "occurred_at":
            values[variable.name] = _shown("datetime", occurred_at)
            continue
        value: Any = payload
        for part in variable.path:
            value = value.get(part) if isinstance(value, dict) else None
        values[variable.name] = _shown(variable.kind, value)
    return values


def values_of_envelope(envelope: dict) -> dict[str, str]:
    """`values_of` for an event envelope as it travels (Envelope.wire())."""
    return values_of(envelope["type"], envelope.get("payload") or {}, envelope.get("occurred_at"))


def without_personal(value: Any) -> Any:
    """`value` (an event envelope or payload) with every personal field removed, at any depth: what may leave
    for a county system's webhook."""
    if isinstance(value, dict):
        return {key: without_personal(item) for key, item in value.items() if key not in PERSONAL_FIELDS}
    if isinstance(value, list):
        return [without_personal(item) for item in value]
    return value
