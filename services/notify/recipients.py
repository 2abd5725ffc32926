"""Who hears what (issue 13, item 1), as one table, and the channels each audience hears on by default.

A recipient is written `audience:id` (`unit:hn-transport`, `citizen:7K3P-9XTA-2MQD`, `station:330481001`).
A deputy is `deputy:<the directory's deputy id>`, the id a deputy's key or console user names: the deputy
who received an item at their station or QR code, and a formal suggestion's lead deputy (from case.assigned).
A lead unit's meeting request (约见) reaches the deputy through case.meeting_requested.
The notice builders (notification.py and the capabilities' *_notices.py) decide the recipients of one
event; this table is what they implement, the event types a principal may set preferences for, and the
defaults used until a principal chooses. County systems hear any event they subscribed to through their
webhooks (`county_system:<subscription id>`, webhook_fanout.py), so they are not listed here.
"""

from dataclasses import dataclass

from contracts.notify.delivery import NotifyChannel as C


@dataclass(frozen=True)
class Audience:
    kind: str
    why: str


CITIZEN, DEPUTY, UNIT, STATION = "citizen", "deputy", "unit", "station"
SUPERVISOR, LEGISLATIVE_OFFICE, CONTACT_POINT, COUNTY_SYSTEM = (
    "supervisor",
    "legislative_office",
    "contact_point",
    "county_system",
)
CONTRIBUTOR = "contributor"  # who left a contact with a comment on a draft (legislation)

WHO_HEARS: dict[str, tuple[Audience, ...]] = {
    # intake and routing: an item's course (item_notices.py, notification.py)
    "opinion.received": (
        Audience(CITIZEN, "受理回执，附查询码 / receipt with the tracking code"),
        Audience(DEPUTY, "代表联络站或二维码收到新事项 / a new item at their station or from their QR code"),
    ),
    "case.triaged": (Audience(STATION, "待人工分办 / waits for manual triage"),),
    "case.consultation_requested": (Audience(UNIT, "征求拟办单位意见 / asked whether it takes the case"),),
    "case.consultation_answered": (Audience(STATION, "拟办单位已答复 / a unit answered"),),
    "case.assigned": (
        Audience(UNIT, "新交办事项 / a new assignment"),
        Audience(CITIZEN, "已交办 / the item was assigned"),
    ),
    "case.replied": (
        Audience(CITIZEN, "已答复，请评价 / the reply, and the request to evaluate"),
        Audience(DEPUTY, "答复待代表评价（接收的事项或领衔的建议）/ a reply to evaluate (their item or suggestion)"),
    ),
    "case.reopened": (Audience(UNIT, "不满意件再办理 / a reopen"),),
    "case.meeting_requested": (
        Audience(DEPUTY, "主办单位请求约见（接收的事项或领衔的建议）/ a meeting request (meeting_notices.py)"),
    ),
    # supervision: deadlines (watch_notices.py), evaluation and key items (close_loop_notices.py)
    "case.half_time": (Audience(UNIT, "办理过半提醒 / half the time is gone"),),
    "case.due_soon": (Audience(UNIT, "临期提醒 / a reminder"),),
    "case.overdue": (
        Audience(UNIT, "已超期 / overdue"),
        Audience(SUPERVISOR, "超期督办 / overdue"),
    ),
    "evaluation.requested": (
        Audience(CITIZEN, "请评价答复 / the request to evaluate"),
        Audience(DEPUTY, "答复待代表评价 / a reply to evaluate"),
    ),
    "evaluation.code_issued": (Audience(CITIZEN, "评价一次性验证码 / the evaluation one-time code"),),
    "evaluation.recorded": (Audience(SUPERVISOR, "不满意评价 / an unsatisfied evaluation"),),
    "case.key_marked": (
        Audience(SUPERVISOR, "重点督办事项 / a key item"),
        Audience(UNIT, "列为重点督办 / its case became a key item"),
    ),
    "review.due": (
        Audience(SUPERVISOR, "回头看到期 / a follow-up review is due"),
        Audience(UNIT, "回头看通知 / a follow-up review is due"),
    ),
    # legislation (legislation_notices.py)
    "draft.opened": (Audience(LEGISLATIVE_OFFICE, "草案开始征求意见 / a draft opened"),),
    "draft.closed": (Audience(LEGISLATIVE_OFFICE, "草案征求意见结束 / a draft closed"),),
    "comments.submitted": (Audience(LEGISLATIVE_OFFICE, "收到上报的立法意见 / new submissions"),),
    "task.assigned": (Audience(CONTACT_POINT, "新的征询任务 / a new task"),),
    "task.forwarded": (Audience(CONTACT_POINT, "转来的征询任务 / a forwarded task"),),
    "comment.adoption_decided": (Audience(CONTRIBUTOR, "意见采纳情况 / the adoption of their draft comment"),),
}

# sent whatever the hour: a citizen waits for the code on their phone now
ONE_TIME_CODES = frozenset({"evaluation.code_issued"})

# until a principal chooses, besides the in-app inbox every staff audience has
DEFAULT_CHANNELS: dict[str, tuple[C, ...]] = {
    CITIZEN: (C.SMS,),  # citizens have no inbox: they hear by SMS, at the contact they gave
    CONTRIBUTOR: (C.SMS,),
    DEPUTY: (C.IN_APP, C.SMS),
    UNIT: (C.IN_APP, C.DINGTALK),  # 民情快解钉: the unit's DingTalk group
    STATION: (C.IN_APP, C.DINGTALK),
    SUPERVISOR: (C.IN_APP, C.EMAIL),
    LEGISLATIVE_OFFICE: (C.IN_APP, C.EMAIL),
    CONTACT_POINT: (C.IN_APP, C.SMS),
    COUNTY_SYSTEM: (C.WEBHOOK,),
}


def audience_of(recipient: str) -> str:
    return recipient.partition(":")[0]


def known_event_type(event_type: str) -> bool:
    return event_type in WHO_HEARS


def default_channels(recipient: str) -> tuple[C, ...]:
    return DEFAULT_CHANNELS.get(audience_of(recipient), (C.IN_APP,))
