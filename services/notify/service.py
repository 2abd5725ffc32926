"""notify: turns events into notifications for the people concerned; the in-app inbox first."""

from nameko.rpc import rpc

from contracts.events import CaseAssigned
from infra.clock import utc_now
from infra.nameko_ext import PlatformService, StoreProvider, durable_event_handler
from services.notify.domain import for_case_assigned
from services.notify.store import InboxStore


class NotifyService(PlatformService):
    name = "notify"

    store: InboxStore = StoreProvider(InboxStore, "notify")

    @durable_event_handler(CaseAssigned)
    def on_case_assigned(self, body):
        envelope, event = CaseAssigned.from_wire(body)
        self.store.add(for_case_assigned(envelope.event_id, event, utc_now()))

    @rpc
    def inbox(self, recipient: str, division_prefix: str, limit: int = 50) -> list[dict]:
        return [note.model_dump(mode="json") for note in self.store.for_recipient(recipient, division_prefix, limit)]
