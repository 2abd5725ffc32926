"""notify's use cases: the notices an event causes, each stored once."""

from datetime import datetime

from contracts.envelope import Envelope
from contracts.intake.opinions import ContactErased
from contracts.paging import Page
from contracts.routing import CaseAssigned, CaseEvent
from services.notify import item_notices, notification
from services.notify.notification import for_case_assigned
from services.notify.store import InboxStore


def notify_case_assigned(store: InboxStore, event: CaseAssigned, envelope: Envelope, now: datetime) -> None:
    store.add_notices(for_case_assigned(envelope.event_id, event, now))
    # the units are remembered for a reopen; the citizen who left a contact hears of the assignment
    store.follow_units(event.case_id, [event.lead_unit.id, *(unit.id for unit in event.co_units)])
    if event.deputy:  # a formal suggestion: its lead deputy is asked to evaluate the reply
        store.follow_suggestion(event.case_id, event.deputy)
    followers = store.followers_of(event.case_id)
    store.add_notices(item_notices.for_case_assigned_citizen(envelope.event_id, event, followers, now))


def notify_case_event(store: InboxStore, event: CaseEvent, envelope: Envelope, notices, now: datetime) -> None:
    """The notices `notices(event_id, event, now)` gives, each stored once (ids are event id + recipient)."""
    store.add_notices(notices(envelope.event_id, event, now))


CONSULTATION_REQUESTED = notification.for_consultation_requested
CONSULTATION_ANSWERED = notification.for_consultation_answered
CASE_TRIAGED = notification.for_case_triaged


def forget_contact(store: InboxStore, event: ContactErased) -> None:
    """PIPL 删除权: the citizen's contact will not be used for any later message about the item."""
    store.forget_contact(event.tracking_code, event.erased_at)


def inbox(store: InboxStore, recipient: str, division_prefix: str, limit: int, after: str | None) -> Page:
    return store.for_recipient(recipient, division_prefix, limit, after)
