"""notify: turns events into notifications for the people concerned; the in-app inbox first."""

from contracts.intake.opinions import ContactErased
from contracts.routing import CaseAssigned, CaseConsultationAnswered, CaseConsultationRequested, CaseTriaged
from infra.clock import utc_now
from infra.nameko_dependencies import StoreProvider
from infra.nameko_entrypoints import event_handler, rpc
from infra.nameko_service import StoredService
from services.notify import handlers
from services.notify.close_loop_notices import CloseLoopNoticeEntrypoints
from services.notify.delivery.entrypoints import DeliveryEntrypoints
from services.notify.item_entrypoints import ItemNoticeEntrypoints
from services.notify.legislation_notices import LegislationNoticeEntrypoints
from services.notify.meeting_notices import MeetingNoticeEntrypoints
from services.notify.store import InboxStore
from services.notify.templates.entrypoints import TemplateEntrypoints
from services.notify.views import notification_view
from services.notify.watch_notices import WatchNoticeEntrypoints
from services.notify.webhook_fanout import WebhookFanoutEntrypoints
from services.notify.webhooks.entrypoints import WebhookEntrypoints


class NotifyService(
    ItemNoticeEntrypoints,
    DeliveryEntrypoints,
    WatchNoticeEntrypoints,
    CloseLoopNoticeEntrypoints,
    TemplateEntrypoints,
    WebhookEntrypoints,
    LegislationNoticeEntrypoints,
    MeetingNoticeEntrypoints,
    WebhookFanoutEntrypoints,
    StoredService,
):
    name = "notify"

    store: InboxStore = StoreProvider(InboxStore, "notify")

    @event_handler(CaseAssigned)
    def on_case_assigned(self, body):
        envelope, event = CaseAssigned.from_wire(body)
        handlers.notify_case_assigned(self.store, event, envelope, utc_now())

    @event_handler(CaseTriaged)
    def on_case_triaged(self, body):
        envelope, event = CaseTriaged.from_wire(body)
        handlers.notify_case_event(self.store, event, envelope, handlers.CASE_TRIAGED, utc_now())

    @event_handler(CaseConsultationRequested)
    def on_case_consultation_requested(self, body):
        envelope, event = CaseConsultationRequested.from_wire(body)
        handlers.notify_case_event(self.store, event, envelope, handlers.CONSULTATION_REQUESTED, utc_now())

    @event_handler(CaseConsultationAnswered)
    def on_case_consultation_answered(self, body):
        envelope, event = CaseConsultationAnswered.from_wire(body)
        handlers.notify_case_event(self.store, event, envelope, handlers.CONSULTATION_ANSWERED, utc_now())

    @event_handler(ContactErased)
    def on_contact_erased(self, body):
        _, event = ContactErased.from_wire(body)
        handlers.forget_contact(self.store, event)

    @rpc
    def inbox(self, recipient: str, division_prefix: str, limit: int = 50, after: str | None = None) -> dict:
        page = handlers.inbox(self.store, recipient, division_prefix, limit, after)
        return page.map(notification_view).model_dump(mode="json")
