"""Where a delivery goes, looked up right before it is sent and kept no longer than the send.

- a citizen: the contact intake holds, asked over RPC (`intake.contact_for_notice`), and nothing once
  they erased it; a contributor to a draft likewise from legislation (`legislation.contact_for_feedback`);
- a county system: its webhook subscription's URL and secret, while the subscription is active;
- a principal: the address sealed in its preferences; for a group robot without one, its division's
  robot from the settings (民情快解钉: the channel adapter finds the robot by division code).
"""

from collections.abc import Callable

from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ClusterRpcProxy

from contracts.errors import ErrorCode
from contracts.notify.delivery import NotifyChannel
from contracts.notify.webhooks import SubscriptionStatus
from infra.pii import PiiCipher
from services.notify.delivery.engine import Destination, Locate
from services.notify.delivery.record import Delivery
from services.notify.recipients import CITIZEN, COUNTY_SYSTEM
from services.notify.store import InboxStore

Contact = Callable[[str], dict | None]  # tracking code or comment id → {"phone": …} or None
CONTRIBUTOR = "contributor"
ROBOTS = (NotifyChannel.DINGTALK, NotifyChannel.WECOM)


def locator(
    store: InboxStore, cipher: PiiCipher, citizen_contact: Contact, contributor_contact: Contact | None = None
) -> Locate:
    def citizen(delivery: Delivery, tracking_code: str) -> Destination | None:
        if delivery.channel is not NotifyChannel.SMS or store.erased_contacts.find_one({"_id": tracking_code}):
            return None
        phone = (citizen_contact(tracking_code) or {}).get("phone")
        return Destination(phone) if phone else None

    def contributor(delivery: Delivery, comment_id: str) -> Destination | None:
        if delivery.channel is not NotifyChannel.SMS or contributor_contact is None:
            return None
        phone = (contributor_contact(comment_id) or {}).get("phone")
        return Destination(phone) if phone else None

    def county_system(subscription_id: str) -> Destination | None:
        subscription = store.webhooks.get(subscription_id)
        if subscription is None or subscription.status is not SubscriptionStatus.ACTIVE:
            return None
        return Destination(subscription.url, cipher.open_text(subscription.sealed_secret))

    def locate(delivery: Delivery) -> Destination | None:
        audience, _, identity = delivery.recipient.partition(":")
        if audience == CITIZEN:
            return citizen(delivery, identity)
        if audience == CONTRIBUTOR:
            return contributor(delivery, identity)
        if audience == COUNTY_SYSTEM:
            return county_system(identity)
        _, addresses = store.delivery.preferences_of(delivery.recipient, cipher)
        entry = addresses.get(delivery.channel.value)
        if entry:
            return Destination(entry["address"], entry.get("secret"))
        return Destination(delivery.division) if delivery.channel in ROBOTS else None

    return locate


def contact_by_rpc(config: dict, timeout: float, service: str, method: str) -> Contact:
    """Asks the service that holds the contact, with a standalone proxy: unlike a service's own RPC it has
    a timeout, and it runs in a sender of the pool, never in the worker that consumes events. The owner's
    NOT_FOUND (no contact was left) is no address."""

    def contact(key: str) -> dict | None:
        with ClusterRpcProxy(config, timeout=timeout) as cluster:
            try:
                return getattr(getattr(cluster, service), method)(key)
            except RemoteError as error:
                if error.exc_type == "ServiceError" and ErrorCode.NOT_FOUND.value in str(error.value):
                    return None
                raise

    return contact
