"""notify's delivery entrypoints, mixed into NotifyService: the worker's timer and the RPCs behind
`/v1/notify/preferences`, `/v1/admin/notify/policies`, `/v1/deliveries` and the admin replay."""

from contracts.errors import ErrorCode, ServiceError, parse
from contracts.notify.delivery import DivisionPolicyIn, PreferencesIn
from infra.clock import utc_now
from infra.nameko_dependencies import Cipher
from infra.nameko_entrypoints import rpc, settings_timer
from services.notify.delivery import handlers
from services.notify.delivery.worker import DeliveryWorker, EventContext
from services.notify.views import notification_view


class DeliveryEntrypoints:
    delivery_engine = DeliveryWorker()
    event_context = EventContext()
    cipher = Cipher()

    @settings_timer("notify_delivery_seconds")
    def deliver_due(self):
        """Hands what is due to the senders and returns at once (engine.py says why)."""
        self.delivery_engine.run_once()

    @rpc
    def preferences(self, recipient: str, division: str) -> dict:
        return handlers.preferences(self.store.delivery, self.cipher, recipient, division).model_dump(mode="json")

    @rpc
    def set_preferences(self, recipient: str, division: str, preferences: dict) -> dict:
        wanted = parse(PreferencesIn, preferences)
        view = handlers.set_preferences(self.store.delivery, self.cipher, recipient, division, wanted)
        return view.model_dump(mode="json")

    @rpc
    def division_policy(self, division: str) -> dict:
        return handlers.division_policy(self.store.delivery, division).model_dump(mode="json")

    @rpc
    def set_division_policy(self, division: str, policy: dict) -> dict:
        view = handlers.set_division_policy(self.store.delivery, division, parse(DivisionPolicyIn, policy))
        return view.model_dump(mode="json")

    @rpc
    def deliveries(
        self, division: str, event_id: str | None = None, recipient: str | None = None, limit: int = 50, after=None
    ) -> dict:
        page = handlers.deliveries(self.store.delivery, division, event_id, recipient, limit, after)
        return page.model_dump(mode="json")

    @rpc
    def replay_delivery(self, delivery_id: str, scope: str) -> dict:
        return handlers.replay(self.store.delivery, delivery_id, scope, utc_now()).model_dump(mode="json")

    @rpc
    def unread_count(self, recipient: str) -> int:
        return self.store.unread_count(recipient)

    @rpc
    def mark_read(self, notification_id: str, recipient: str) -> dict:
        """The recipient's own notice, read; NOT_FOUND for anyone else's, so ids reveal nothing."""
        if not self.store.mark_read(notification_id, recipient, utc_now()):
            raise ServiceError(ErrorCode.NOT_FOUND, "没有这条通知 (no such notification)", "notification_id")
        return notification_view(self.store.notifications.get(notification_id)).model_dump(mode="json")
