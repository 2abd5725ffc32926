"""What the triage page shows beside each queued case: the near-duplicate group it belongs to, and
the station's further actions on it (the table its forms and `console_station_cases` share).

Kept apart from the handlers so that `console.triage_page` can use it and the handlers can use
`console.triage_page`.
"""

from dataclasses import dataclass

from contracts.intake.grouping import OpinionGroupView
from contracts.routing import ActionIn, CloseIn, ConsultIn, EscalateIn, JointMeetingIn, TriageQueueEntry
from gateway.clients import IntakeClient
from gateway.routers.case_actions import HandlerOrStation, Station, StationOrSupervisor

# intake lists a division's groups newest first, each within 30 days: enough to find a queue's
GROUPS_LOOKED_AT = 200


@dataclass(frozen=True)
class StationAction:
    """A triage-time action: the API route's input model and role rule, the form's fields, its title
    and button; `joint_only` for a case whose triage `needs_meeting`."""

    model: type[ActionIn]
    rule: object
    fields: tuple[str, ...]
    title: str
    button: str
    joint_only: bool = False


STATION_ACTIONS = {
    "escalate": StationAction(EscalateIn, HandlerOrStation, ("reason",), "提交上级", "提交上级"),
    "close": StationAction(CloseIn, StationOrSupervisor, ("reason",), "办结销号", "办结并销号"),
    "consult": StationAction(ConsultIn, Station, ("units", "question", "reply_by"), "征求拟办单位意见", "发出征求意见"),
    "joint-meeting": StationAction(
        JointMeetingIn, Station, ("on", "place", "units", "decisions"), "约请共商会", "记录共商结果", joint_only=True
    ),
}


async def queue_groups(
    intake: IntakeClient, division: str, queue: list[TriageQueueEntry]
) -> dict[str, OpinionGroupView]:
    """The group of near-duplicates each queued case belongs to, by case id (its tracking code)."""
    queued = {entry.case_id for entry in queue}
    if not queued:
        return {}
    groups = (await intake.opinion_groups(division, GROUPS_LOOKED_AT, None)).items
    return {
        member.tracking_code: group for group in groups for member in group.members if member.tracking_code in queued
    }
