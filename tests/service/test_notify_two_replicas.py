"""Two replicas of notify's delivery worker on one store (issue 15: several replicas of the services that
run timers): both claim due deliveries at once, each under a version-guarded lease, and a local receiver
counts every request. Each delivery reaches it exactly once successfully, after exactly its retries."""

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from contracts.notify.delivery import DeliveryStatus
from contracts.notify.webhooks import SubscriptionStatus
from infra.pii import PiiCipher
from infra.settings import DEV_PII_KEY
from services.notify.channels.webhook import DELIVERY_HEADER, WebhookChannel
from services.notify.store import InboxStore
from services.notify.webhooks.store import Subscription
from tests.factories import Publications, opinion_received
from tests.service.notify_receivers import Answer, Receiver
from tests.service.test_notify_delivery import LATER, Clock, engine, notify, store  # noqa: F401 (fixtures)

CIPHER = PiiCipher(DEV_PII_KEY)
EVENTS = 40
FAILURES = 2  # each delivery is refused twice (503), then taken


class FlakyCountySystem:
    """Answers 503 to a delivery's first FAILURES requests, 200 after; counts requests per delivery."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests: Counter[str] = Counter()
        self.taken: Counter[str] = Counter()

    def __call__(self, received) -> Answer:
        delivery = received.headers[DELIVERY_HEADER.lower()]
        with self.lock:
            self.requests[delivery] += 1
            if self.requests[delivery] <= FAILURES:
                return Answer(503)
            self.taken[delivery] += 1
        return Answer(200)


class Counted:
    """A replica's webhook channel, counting what that replica sent."""

    name = "webhook"

    def __init__(self, channel: WebhookChannel):
        self.channel, self.sends = channel, 0

    def send(self, message) -> None:
        self.sends += 1
        self.channel.send(message)


def subscribe(store, url: str) -> None:  # noqa: F811
    store.webhooks.add(
        Subscription(
            id="01SUB",
            url=url,
            event_types=["opinion.received"],
            division="330481",
            status=SubscriptionStatus.ACTIVE,
            owner="county_system:01KEY",
            created_at=LATER,
            sealed_secret=CIPHER.seal_text("whsec_0123456789abcdef"),
        )
    )


def idle(*workers) -> None:
    """Until no replica has a send in flight (a finishing send claims the next one itself)."""
    deadline = time.monotonic() + 30
    while any(worker.in_flight for worker in workers) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not any(worker.in_flight for worker in workers)


def test_two_replicas_send_each_delivery_exactly_once_through_its_retries(notify, store, mongo_db):  # noqa: F811
    county = FlakyCountySystem()
    with Receiver(county) as receiver:
        subscribe(store, f"{receiver.url}/hooks/minqing")
        for _ in range(EVENTS):
            notify.webhooks_on_opinion_received(opinion_received().envelope("330481001", "c").wire())
        clock = Clock()
        quick = {"recipient_rate": 10_000, "channel_rate": 10_000, "per_recipient": 8, "max_attempts": 5}
        replicas = []
        for _ in range(2):  # each replica with its own store object and sender pool, one database
            own = InboxStore(mongo_db, Publications(), CIPHER)
            channel = Counted(WebhookChannel(timeout=5, allow_internal=True))
            pool = ThreadPoolExecutor(6, thread_name_prefix="replica")
            replicas.append((engine(own, {"webhook": channel}, clock, pool=pool, **quick), pool))
        workers = [worker for worker, _ in replicas]
        channels = [worker.channels["webhook"] for worker in workers]
        try:
            for _ in range(12):
                start = threading.Barrier(len(workers))
                rounds = [threading.Thread(target=lambda w=w, s=start: (s.wait(), w.run_once())) for w in workers]
                for thread in rounds:
                    thread.start()
                for thread in rounds:
                    thread.join()
                idle(*workers)
                clock.advance(minutes=2)  # past every backoff and resting recipient, never past a live lease
        finally:
            for _, pool in replicas:
                pool.shutdown(wait=True)

    deliveries = store.delivery.find("330481", None, "county_system:01SUB", 100, None).items
    assert len(deliveries) == EVENTS
    assert {d.status for d in deliveries} == {DeliveryStatus.SENT} and {d.attempts for d in deliveries} == {3}
    assert set(county.taken) == {d.id for d in deliveries}
    assert set(county.taken.values()) == {1} and set(county.requests.values()) == {FAILURES + 1}
    assert all(channel.sends for channel in channels)  # both replicas did send
