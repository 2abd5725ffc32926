"""The default wording per event type, in Simplified Chinese: one for the people concerned (in-app, e-mail,
SMS) and, where that one names something personal (a tracking code, the case id that is one, the citizen's
words), another for group robots.

A default SMS uses the provider's template id the settings give for the event type (SMS_TEMPLATE_IDS):
the wording here is what was submitted for approval.
"""

from dataclasses import dataclass

from contracts.notify.templates import TemplateChannel

GROUP_CHANNELS = (TemplateChannel.DINGTALK, TemplateChannel.WECOM)


@dataclass(frozen=True)
class Default:
    subject: str
    text: str
    group_text: str | None = None  # None: `text` has nothing personal and serves groups too


FALLBACK = Default("{event_label}", "【{event_label}】行政区划 {division} 有新的动态，请登录平台查看。")

DEFAULTS = {
    "opinion.received": Default(
        "您反映的事项已受理",
        "您反映的事项已受理，查询码 {tracking_code}，可凭查询码查看办理进度。",
        "行政区划 {division} 新受理一件民情事项（类别：{category}），请及时分办。",
    ),
    "case.assigned": Default(
        "新交办事项",
        "事项 {case_number} 已交由 {lead_unit_name} 主办（协办：{co_units_names}），答复期限 {due_date}。",
    ),
    "case.accepted": Default(
        "承办单位已签收", "事项 {case_id} 已由 {unit_name} 签收办理。", "{unit_name} 已签收一件交办事项。"
    ),
    "case.returned": Default(
        "事项被退回",
        "{unit_name} 退回了事项 {case_id}，理由：{reason}。请重新分办。",
        "{unit_name} 退回了一件事项，理由：{reason}。请联络站重新分办。",
    ),
    "case.replied": Default(
        "事项已答复",
        "您反映的事项已由 {reply_unit_name} 答复（{reply_label}）：{reply_text}",
        "{reply_unit_name} 已答复一件事项（{reply_label}）。",
    ),
    "case.closed": Default("事项已办结", "事项 {case_id} 已办结。", "行政区划 {division} 一件事项已办结。"),
    "case.reopened": Default(
        "事项重新办理",
        "事项 {case_id} 因评价不满意重新办理，新的答复期限 {due_date}。",
        "一件事项因评价不满意重新办理，新的答复期限 {due_date}。",
    ),
    "case.meeting_requested": Default(
        "约见请求",
        "{unit_name} 就事项 {case_id} 请求{stage_label}约见代表：{on}，地点 {place}。",
        "{unit_name} 请求{stage_label}约见代表：{on}，地点 {place}。",
    ),
    "case.triaged": Default(
        "新事项待人工分办",
        "事项 {case_id} 未匹配分办规则，请于 1 个工作日内人工分办。",
        "行政区划 {division} 有一件事项未匹配分办规则，请于 1 个工作日内人工分办。",
    ),
    "case.consultation_requested": Default(
        "征求拟办单位意见",
        "拟将事项 {case_id} 交由 {units_names} 办理（第 {round} 轮征求意见），请于 {reply_by} 前答复。",
        "拟交 {units_names} 办理的一件事项正在征求意见（第 {round} 轮），请于 {reply_by} 前答复。",
    ),
    "case.consultation_answered": Default(
        "拟办单位已答复征求意见",
        "{unit_name} 已答复事项 {case_id} 第 {round} 轮征求意见。",
        "{unit_name} 已答复第 {round} 轮征求意见。",
    ),
    "case.due_soon": Default(
        "事项即将到期",
        "事项 {case_id}（主办：{lead_unit_name}）将于 {due_date} 到期，剩余 {working_days_left} 个工作日。",
        "{lead_unit_name} 主办的一件事项将于 {due_date} 到期，剩余 {working_days_left} 个工作日。",
    ),
    "case.half_time": Default(
        "事项办理过半",
        "事项 {case_id}（主办：{lead_unit_name}）办理时限已过半，答复期限 {due_date}。",
        "{lead_unit_name} 主办的一件事项办理时限已过半，答复期限 {due_date}。",
    ),
    "case.overdue": Default(
        "事项已逾期",
        "事项 {case_id}（主办：{lead_unit_name}）已超过答复期限 {due_date}，请督办。",
        "{lead_unit_name} 主办的一件事项已超过答复期限 {due_date}，请督办。",
    ),
    "case.key_marked": Default(
        "重点督办事项",
        "事项 {case_id} 列为重点督办（{level}），理由：{reason}。",
        "一件事项列为重点督办（{level}），理由：{reason}。",
    ),
    "evaluation.requested": Default(
        "请评价办理结果",
        "事项 {case_id} 已答复，请于 {closes_on} 前对办理结果进行评价。",
        "请于 {closes_on} 前评价办理结果。",
    ),
    "evaluation.code_issued": Default(
        "评价验证码",
        "您的评价验证码为 {code}（查询码 {tracking_code}），{expires_at} 前有效，请勿告诉他人。",
        "一位群众申请了评价验证码（{division}）。",
    ),
    "evaluation.recorded": Default(
        "收到办理评价",
        "事项 {case_id} 第 {round} 轮评价结果：{rating}。",
        "行政区划 {division} 一件事项第 {round} 轮评价结果：{rating}。",
    ),
    "comments.submitted": Default("收到立法意见", "法规草案 {draft_id} 收到一批新的意见，请及时整理。"),
    "comment.adoption_decided": Default(
        "您的立法意见处理情况", "您对《{draft_title}》提出的意见处理结果：{decision}。{reason}"
    ),
    "task.assigned": Default("新的立法征询任务", "请就《{draft_title}》组织征询意见，并于 {due_date} 前提交。"),
    "draft.opened": Default("法规草案公开征求意见", "《{title}》公开征求意见，截止时间 {closes_at}。"),
}


def default_for(event_type: str, channel: TemplateChannel) -> tuple[str, str]:
    """(subject, text) of the default for an event type on a channel."""
    chosen = DEFAULTS.get(event_type, FALLBACK)
    if channel in GROUP_CHANNELS and chosen.group_text:
        return chosen.subject, chosen.group_text
    return chosen.subject, chosen.text
