"""约见请求: the deputy hears that the lead unit asks to meet them (issue 13, item 1).

The deputy is a formal suggestion's lead deputy (carried by the event) or, for a citizen item, the deputy
who received it at their station or QR code (remembered from opinion.received, item_notices.py). A case
with neither tells nobody. The notice is keyed by event id and recipient, so a replay stores nothing new.
"""

from datetime import datetime

from contracts.routing import CaseMeetingRequested
from infra.clock import utc_now
from infra.nameko_entrypoints import event_handler
from services.notify.item_notices import ItemFollowers
from services.notify.notification import Notification, notice


def deputy_of(event: CaseMeetingRequested, followers: ItemFollowers | None) -> str | None:
    return event.deputy or (followers.deputy if followers else None)


def for_meeting_requested(
    event_id: str, event: CaseMeetingRequested, followers: ItemFollowers | None, now: datetime
) -> list[Notification]:
    deputy = deputy_of(event, followers)
    if deputy is None:
        return []
    body = (
        f"{event.unit.name}就事项（编号 {event.case_id}）请求{event.stage_label}约见："
        f"{event.on.isoformat()}，地点 {event.place}。"
    )
    recipient = f"deputy:{deputy}"
    return [notice(event_id, event, recipient, "约见请求", body, now, event.case_id)]


class MeetingNoticeEntrypoints:
    @event_handler(CaseMeetingRequested)
    def on_case_meeting_requested(self, body):
        envelope, event = CaseMeetingRequested.from_wire(body)
        followers = self.store.followers_of(event.case_id)
        self.store.add_notices(for_meeting_requested(envelope.event_id, event, followers, utc_now()))
