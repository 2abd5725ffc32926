"""notify's delivery: one record per event, recipient and channel; retries with backoff, dead and replay;
quiet hours; rate limits; contacts only at sending time; a hanging receiver delaying nobody."""

import random
import threading
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from datetime import timedelta

import pytest
from nameko.testing.services import worker_factory
from prometheus_client import REGISTRY

from contracts.errors import ErrorCode, ServiceError
from contracts.notify.delivery import DeliveryStatus, DivisionPolicyIn, QuietHours
from contracts.notify.webhooks import SubscriptionStatus
from contracts.routing import CaseReopened, CaseReplied
from infra.clock import utc_now
from infra.pii import PiiCipher
from infra.settings import DEV_PII_KEY
from services.notify.channels.base import DeliveryFailed, OutgoingMessage
from services.notify.delivery.compose import composer
from services.notify.delivery.destinations import locator
from services.notify.delivery.engine import DeliveryEngine, DeliverySettings
from services.notify.delivery.planning import handling_event
from services.notify.delivery.worker import EventContext
from services.notify.notification import Notification
from services.notify.service import NotifyService
from services.notify.store import InboxStore
from services.notify.webhooks.store import Subscription
from tests.factories import (
    Publications,
    case_assigned,
    case_event,
    contact_erased,
    evaluation_recorded,
    opinion_received,
)

CIPHER = PiiCipher(DEV_PII_KEY)
ROBOT = "https://oapi.dingtalk.com/robot/send?access_token=transport"
LEAD = "unit:hn-transport"
CO = "unit:hn-enforcement"


# a day after the handlers' real clock stamps the notices, so everything planned is due
LATER = (utc_now() + timedelta(days=1)).replace(hour=2, minute=0, second=0, microsecond=0)
NIGHT = LATER.replace(hour=15, minute=30)  # 23:30 in Shanghai


class Clock:
    def __init__(self, now=LATER):
        self.now = now

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)


class Inline(Executor):
    """Runs each send at once, so a round's outcome is there when `run_once` returns."""

    def submit(self, fn, *args, **kwargs):
        future = Future()
        future.set_result(fn(*args, **kwargs))
        return future


class Receiver:
    """A channel that fails `failures` times (retryably unless told), then takes every message."""

    name = "dingtalk"

    def __init__(self, failures: int = 0, retryable: bool = True):
        self.failures, self.retryable = failures, retryable
        self.received: list[OutgoingMessage] = []
        self.tries = 0

    def send(self, message: OutgoingMessage) -> None:
        self.tries += 1
        if self.tries <= self.failures:
            raise DeliveryFailed("HTTP 502 from the robot", self.retryable)
        self.received.append(message)


@pytest.fixture
def store(mongo_db):
    store = InboxStore(mongo_db, Publications())
    store.ensure_indexes()
    return store


@pytest.fixture
def notify(store):
    return worker_factory(NotifyService, store=store, cipher=CIPHER)


def engine(store, channels, clock, pool=None, contact=None, **settings):
    fast = {"backoff_base": 1.0, "backoff_cap": 60.0, "max_attempts": 3, **settings}
    return DeliveryEngine(
        store.delivery,
        store.notifications.get,
        locator(store, CIPHER, contact or (lambda code: None)),
        composer(store.templates, CIPHER, {"opinion.received": "2103001"}),
        channels,
        pool or Inline(),
        DeliverySettings(**fast),
        clock,
        random.Random(7),
    )


def prefer(notify, recipient, channels, addresses):
    notify.set_preferences(recipient, "330481", {"channels": channels, "addresses": addresses})


def assign(notify, wire=None):
    """A case assigned to the lead unit, which hears on its own DingTalk robot; the co-handling unit chose
    the inbox alone (by default it would hear on its division's robot)."""
    prefer(notify, LEAD, {"case.assigned": ["in_app", "dingtalk"]}, {"dingtalk": {"address": ROBOT, "secret": "S"}})
    prefer(notify, CO, {"case.assigned": ["in_app"]}, {})
    notify.on_case_assigned(wire or case_assigned().envelope("330481001", "c").wire())


def only_delivery(store):
    (delivery,) = [d for d in store.delivery.find("330481", None, LEAD, 50, None).items if d.channel == "dingtalk"]
    return delivery


def test_a_receiver_that_fails_twice_then_succeeds_gets_the_message_once(notify, store):
    assign(notify)
    clock, robot = Clock(), Receiver(failures=2)
    worker = engine(store, {"dingtalk": robot}, clock)
    for _ in range(6):
        worker.run_once()
        clock.advance(minutes=2)  # past any backoff
    delivery = only_delivery(store)
    assert [m.address for m in robot.received] == [ROBOT] and robot.tries == 3
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.SENT, 3, None)
    # a group robot reads the default group wording, not the notice written for the unit
    assert robot.received[0].secret == "S" and robot.received[0].subject == "新交办事项"


def test_retries_wait_longer_each_time_with_jitter(notify, store):
    assign(notify)
    clock = Clock()
    worker = engine(store, {"dingtalk": Receiver(failures=5)}, clock, max_attempts=5)
    waits = []
    for attempt in (1, 2, 3):
        worker.run_once()
        due = only_delivery(store).next_attempt_at
        waits.append(due - clock.now)
        clock.now = due - timedelta(milliseconds=1)
        worker.run_once()  # not yet due: nothing is tried
        assert only_delivery(store).attempts == attempt
        clock.now = due
    assert timedelta(seconds=0.5) <= waits[0] <= timedelta(seconds=1)
    assert timedelta(seconds=2) <= waits[2] <= timedelta(seconds=4)


def counted(outcome: str) -> float:
    return REGISTRY.get_sample_value("notify_deliveries_total", {"channel": "dingtalk", "outcome": outcome}) or 0


def test_a_receiver_that_always_fails_is_dead_after_the_last_attempt_then_replayed(notify, store):
    assign(notify)
    clock, robot = Clock(), Receiver(failures=3)
    worker = engine(store, {"dingtalk": robot}, clock)
    before = {outcome: counted(outcome) for outcome in ("sent", "failed", "retried", "dead")}
    for _ in range(5):
        worker.run_once()
        clock.advance(minutes=2)
    dead = only_delivery(store)
    assert (dead.status, dead.attempts, robot.received) == (DeliveryStatus.DEAD, 3, [])
    assert "502" in dead.last_error
    replayed = notify.replay_delivery(dead.id, "330481")
    assert (replayed["status"], replayed["attempts"]) == ("pending", 0)
    worker.run_once()
    assert only_delivery(store).status is DeliveryStatus.SENT and len(robot.received) == 1
    moved = {outcome: counted(outcome) - before[outcome] for outcome in before}
    assert moved == {"sent": 1, "failed": 3, "retried": 2, "dead": 1}


class Handling:
    """What EventContext reads of a nameko worker context: the handler's arguments."""

    def __init__(self, body):
        self.args = (body,)


def test_the_event_being_handled_is_in_scope_while_its_notices_are_stored():
    wire = case_assigned().envelope("330481001", "c").wire()
    context, worker_ctx = EventContext(), Handling(wire)
    context.setup()
    context.worker_setup(worker_ctx)
    assert handling_event.get() == wire
    context.worker_teardown(worker_ctx)
    assert handling_event.get() is None


def test_a_refused_destination_is_dead_at_once(notify, store):
    assign(notify)
    robot = Receiver(failures=1, retryable=False)
    engine(store, {"dingtalk": robot}, Clock()).run_once()
    assert (only_delivery(store).status, only_delivery(store).attempts) == (DeliveryStatus.DEAD, 1)


def test_a_replay_of_a_delivery_that_is_not_dead_is_refused_and_changes_nothing(notify, store):
    assign(notify)
    pending = only_delivery(store)
    with pytest.raises(ServiceError) as refused:
        notify.replay_delivery(pending.id, "330481")
    assert refused.value.code is ErrorCode.CONFLICT and refused.value.state["status"] == "pending"
    assert only_delivery(store) == pending
    with pytest.raises(ServiceError) as outside:
        notify.replay_delivery(pending.id, "330482")
    assert outside.value.code is ErrorCode.NOT_FOUND


def test_a_replayed_event_sends_nothing_twice(notify, store):
    wire = case_assigned().envelope("330481001", "c").wire()
    assign(notify, wire)
    robot, clock = Receiver(), Clock()
    worker = engine(store, {"dingtalk": robot}, clock)
    worker.run_once()
    notify.on_case_assigned(wire)  # the same event, redelivered before and after the send
    notify.on_case_assigned(wire)
    clock.advance(minutes=5)
    worker.run_once()
    assert len(robot.received) == 1
    assert len(store.delivery.find("330481", None, LEAD, 50, None).items) == 1


def test_channels_follow_the_choice_within_what_the_division_allows(notify, store):
    store.delivery.set_policy("330481", DivisionPolicyIn(allowed_channels=["in_app", "email"]))
    with pytest.raises(ServiceError) as refused:
        prefer(notify, LEAD, {"case.assigned": ["dingtalk"]}, {})
    assert refused.value.code is ErrorCode.INVALID and refused.value.field == "channels.case.assigned"
    with pytest.raises(ServiceError) as unknown:
        prefer(notify, LEAD, {"case.nothing": ["in_app"]}, {})
    assert unknown.value.field == "channels.case.nothing"
    assert store.delivery.chosen_channels(LEAD) == {}  # nothing changed
    notify.on_case_assigned(case_assigned().envelope("330481001", "c").wire())
    # the co-handling unit's default DingTalk robot is not allowed here: it hears in the inbox only
    assert store.delivery.find("330481", None, None, 50, None).items == []
    assert len(notify.inbox(CO, "330481")["items"]) == 1


def test_preferences_keep_addresses_sealed_and_show_them_masked(notify, store, mongo_db):
    prefer(notify, LEAD, {"case.assigned": ["sms"]}, {"sms": {"address": "13800138000"}})
    view = notify.preferences(LEAD, "330481")
    assert view["addresses"] == {"sms": {"address": "138****8000", "signed": False}}
    assert "13800138000" not in str(mongo_db["preferences"].find_one({"_id": LEAD}))


def citizen_sms(notify, store):
    """The citizen's receipt, planned as an SMS to the contact intake holds."""
    notify.on_opinion_received(opinion_received(has_contact=True).envelope("330481001", "c").wire())
    (delivery,) = store.delivery.find("330481", None, "citizen:7K3P-9XTA-2MQD", 50, None).items
    return delivery


class Phone:
    name = "sms"

    def __init__(self):
        self.received = []

    def send(self, message):
        self.received.append(message)


def test_quiet_hours_hold_an_sms_until_eight_but_not_a_one_time_code(notify, store):
    at_night = Clock(NIGHT)
    phone, contact = Phone(), (lambda code: {"phone": "13800138000"})
    receipt = citizen_sms(notify, store)
    engine(store, {"sms": phone}, at_night, contact=contact).run_once()
    held = store.delivery.get(receipt.id)
    assert phone.received == [] and held.status is DeliveryStatus.PENDING and held.attempts == 0
    assert held.next_attempt_at == LATER.replace(hour=0) + timedelta(days=1)  # 08:00 Shanghai
    store.delivery.save(held.model_copy(update={"one_time_code": True, "next_attempt_at": NIGHT}))
    engine(store, {"sms": phone}, at_night, contact=contact).run_once()
    assert [m.address for m in phone.received] == ["13800138000"]


def test_a_division_may_set_its_own_quiet_hours(notify, store):
    store.delivery.set_policy("330481", DivisionPolicyIn(allowed_channels=["in_app", "sms"], quiet_hours=None))
    phone = Phone()
    citizen_sms(notify, store)
    engine(store, {"sms": phone}, Clock(NIGHT), contact=lambda c: {"phone": "1"}).run_once()
    assert len(phone.received) == 1
    evening = QuietHours(start="20:00", end="07:30")
    store.delivery.set_policy("330481001", DivisionPolicyIn(allowed_channels=["in_app", "sms"], quiet_hours=evening))
    assert store.delivery.policy_for("330481001123").quiet_hours == evening  # the nearest division above


def test_the_citizen_contact_is_asked_for_at_sending_time_and_not_after_erasure(notify, store, mongo_db):
    asked = []
    receipt = citizen_sms(notify, store)
    notify.on_contact_erased(contact_erased().envelope("330481001", "c").wire())
    engine(store, {"sms": Phone()}, Clock(), contact=lambda code: asked.append(code) or {"phone": "1"}).run_once()
    assert asked == [] and store.delivery.get(receipt.id).status is DeliveryStatus.SKIPPED
    assert "13800138000" not in str(list(mongo_db["deliveries"].find()))


def test_a_recipient_over_its_rate_is_deferred_to_the_next_minute(notify, store):
    robot, clock = Receiver(), Clock()
    assign(notify)
    notify.on_case_assigned(case_assigned(case_id="7K3P-9XTA-2MQE").envelope("330481001", "c").wire())
    worker = engine(store, {"dingtalk": robot}, clock, recipient_rate=1)
    worker.run_once()
    assert len(robot.received) == 1
    later = [d for d in store.delivery.find("330481", None, LEAD, 50, None).items if d.status == "pending"]
    assert [d.next_attempt_at for d in later] == [LATER + timedelta(minutes=1)] and later[0].attempts == 0
    clock.advance(minutes=1)
    worker.run_once()
    assert len(robot.received) == 2


class Hanging:
    """Hangs on one address until released; answers every other at once."""

    name = "dingtalk"

    def __init__(self, hangs_on: str):
        self.hangs_on, self.release = hangs_on, threading.Event()
        self.received, self.lock = [], threading.Lock()

    def send(self, message):
        if message.address == self.hangs_on:
            self.release.wait(30)
            raise DeliveryFailed("timed out", True)
        with self.lock:
            self.received.append(message.delivery_id)


def test_a_hanging_receiver_delays_neither_the_others_nor_the_inbox(notify, store):
    hung = "https://oapi.dingtalk.com/robot/send?access_token=hung"
    prefer(notify, LEAD, {"case.assigned": ["dingtalk"]}, {"dingtalk": {"address": hung}})
    prefer(notify, CO, {"case.assigned": ["dingtalk"]}, {"dingtalk": {"address": ROBOT}})
    clock, robot = Clock(), Hanging(hung)
    pool = ThreadPoolExecutor(4)
    worker = engine(store, {"dingtalk": robot}, clock, pool=pool, lease=timedelta(seconds=10))
    try:
        for n in range(3):
            code = f"7K3P-9XTA-2MQ{n}"
            notify.on_case_assigned(case_assigned(case_id=code).envelope("330481001", "c").wire())
            worker.run_once()  # returns at once, whatever the hung sender does
            assert len(notify.inbox(CO, "330481")["items"]) == n + 1  # events keep being consumed
        for _ in range(1000):  # a bounded wait for the free senders, generous on a loaded machine
            if len(robot.received) == 3:
                break
            threading.Event().wait(0.01)
            worker.run_once()  # the worker's timer keeps running meanwhile, as in the service
        assert len(robot.received) == 3  # the co-handling unit heard of every case
        hanging = store.delivery.find("330481", None, LEAD, 50, None).items
        assert {d.status for d in hanging} == {DeliveryStatus.SENDING}
        clock.advance(seconds=11)  # the leases ran out: a failed attempt each, retried later
        worker.run_once()
        after = store.delivery.find("330481", None, LEAD, 50, None).items
        assert {(d.status, d.attempts) for d in after} == {(DeliveryStatus.PENDING, 1)}
        assert all("lease" in d.last_error for d in after)
    finally:
        robot.release.set()
        pool.shutdown(wait=True)


def test_the_inbox_counts_unread_and_marks_only_ones_own_notices_read(notify):
    notify.on_case_assigned(case_assigned().envelope("330481001", "c").wire())
    (note,) = notify.inbox(LEAD, "330481")["items"]
    assert notify.unread_count(LEAD) == 1
    read = notify.mark_read(note["id"], LEAD)
    assert read["read_at"] is not None and notify.unread_count(LEAD) == 0
    assert notify.mark_read(note["id"], LEAD)["read_at"] == read["read_at"]  # the first time counts
    with pytest.raises(ServiceError) as refused:
        notify.mark_read(note["id"], CO)
    assert refused.value.code is ErrorCode.NOT_FOUND


def test_the_citizen_and_deputy_hear_of_their_item_and_the_units_of_a_reopen(notify, store):
    receiver = {"kind": "deputy", "id": "deputy-zhang-wei", "name": "张伟"}
    received = opinion_received(has_contact=True, receiver=receiver).envelope("330481001", "c").wire()
    notify.on_opinion_received(received)
    notify.on_opinion_received(received)
    notify.on_case_assigned(case_assigned().envelope("330481001", "c").wire())
    notify.on_case_replied(case_event(CaseReplied).envelope("330481001", "c").wire())
    notify.on_case_reopened(case_event(CaseReopened).envelope("330481001", "c").wire())
    citizen = [d.event_type for d in store.delivery.find("330481", None, "citizen:7K3P-9XTA-2MQD", 50, None).items]
    assert sorted(citizen) == ["case.assigned", "case.replied", "opinion.received"]
    deputy = [n["kind"] for n in notify.inbox("deputy:deputy-zhang-wei", "330481")["items"]]
    assert sorted(deputy) == ["case.replied", "opinion.received"]
    reopened = [n for n in notify.inbox(CO, "330481")["items"] if n["kind"] == "case.reopened"]
    assert len(reopened) == 1 and "2026-12-28" in reopened[0]["body"]


class Webhooks:
    name = "webhook"

    def __init__(self):
        self.received = []

    def send(self, message):
        self.received.append(message)


def subscribe(store, event_types, status=SubscriptionStatus.ACTIVE):
    subscription = Subscription(
        id="01SUB",
        url="https://county.example.gov.cn/hooks/minqing",
        event_types=event_types,
        division="330481",
        status=status,
        owner="county_system:01KEY",
        created_at=LATER,
        sealed_secret=CIPHER.seal_text("whsec_0123456789abcdef"),
    )
    store.webhooks.add(subscription)


def test_a_subscribed_county_system_gets_each_event_once_without_personal_fields(notify, store):
    subscribe(store, ["opinion.received"])
    wire = opinion_received(has_contact=True).envelope("330481001", "c").wire()
    notify.webhooks_on_opinion_received(wire)
    notify.webhooks_on_opinion_received(wire)  # redelivered
    notify.webhooks_on_case_assigned(case_assigned().envelope("330481001", "c").wire())  # not subscribed
    hooks = Webhooks()
    engine(store, {"webhook": hooks}, Clock()).run_once()
    (message,) = hooks.received
    assert message.address == "https://county.example.gov.cn/hooks/minqing"
    assert message.secret == "whsec_0123456789abcdef" and message.event_type == "opinion.received"
    assert message.envelope["event_id"] == wire["event_id"] and message.envelope["payload"]["channel"] == "web"
    assert "content" not in message.envelope["payload"] and "tracking_code" not in message.envelope["payload"]
    (delivery,) = store.delivery.find("330481", wire["event_id"], None, 50, None).items
    assert (delivery.recipient, delivery.status) == ("county_system:01SUB", DeliveryStatus.SENT)


def test_an_unverified_subscription_hears_nothing(notify, store):
    subscribe(store, ["opinion.received"], SubscriptionStatus.UNVERIFIED)
    notify.webhooks_on_opinion_received(opinion_received().envelope("330481001", "c").wire())
    assert store.delivery.find("330481", None, None, 50, None).items == []


def test_a_unit_without_its_own_robot_hears_on_its_divisions_robot(notify, store):
    notify.on_case_assigned(case_assigned().envelope("330481001", "c").wire())
    robot = Receiver()
    engine(store, {"dingtalk": robot}, Clock()).run_once()
    assert sorted(m.address for m in robot.received) == ["330481001", "330481001"]  # lead and co-handling unit


def test_an_sms_goes_through_its_approved_template_with_the_events_variables(notify, store):
    wire = opinion_received(has_contact=True).envelope("330481001", "c").wire()
    token = handling_event.set(wire)  # what EventContext does around each handler in the service
    try:
        notify.on_opinion_received(wire)
    finally:
        handling_event.reset(token)
    phone = Phone()
    engine(store, {"sms": phone}, Clock(), contact=lambda code: {"phone": "13800138000"}).run_once()
    (message,) = phone.received
    assert message.template_code == "2103001" and "7K3P-9XTA-2MQD" in message.variables.values()
    stored = store.delivery.find("330481", None, "citizen:7K3P-9XTA-2MQD", 50, None).items[0]
    assert stored.sealed_variables is not None and "7K3P" not in str(stored.sealed_variables)


def test_a_contact_lookup_that_fails_is_retried_later_and_never_logged(notify, store, caplog):
    receipt = citizen_sms(notify, store)

    def intake_down(tracking_code):
        raise TimeoutError("intake did not answer")

    engine(store, {"sms": Phone()}, Clock(), contact=intake_down).run_once()
    retried = store.delivery.get(receipt.id)
    assert (retried.status, retried.attempts) == (DeliveryStatus.PENDING, 1) and retried.next_attempt_at > LATER
    assert "7K3P-9XTA-2MQD" not in caplog.text and "failed (attempt 1)" in caplog.text


def test_supervisors_hear_of_an_unsatisfied_evaluation_once_and_of_a_satisfied_one_not_at_all(notify):
    unsatisfied = evaluation_recorded(rating="unsatisfied").envelope("330481001", "c").wire()
    notify.on_evaluation_recorded(unsatisfied)
    notify.on_evaluation_recorded(unsatisfied)
    notify.on_evaluation_recorded(evaluation_recorded(rating="satisfied").envelope("330481001", "c").wire())
    (notice,) = notify.inbox("supervisor:330481", "330481")["items"]
    assert notice["kind"] == "evaluation.recorded" and "不满意" in notice["body"]


def test_a_contributor_hears_at_the_contact_legislation_gives_at_sending_time(store):
    note = Notification(
        id="01EVENT:contributor:01COMMENT",
        recipient="contributor:01COMMENT",
        division="330481",
        kind="comment.adoption_decided",
        title="立法意见采纳情况反馈",
        body="您的意见已被采纳。",
        created_at=LATER,
    )
    store.notifications.add(note)
    phone, asked = Phone(), []
    worker = engine(store, {"sms": phone}, Clock())
    worker.locate = locator(store, CIPHER, lambda code: None, lambda comment: asked.append(comment) or {"phone": "1"})
    worker.run_once()
    assert asked == ["01COMMENT"] and [m.address for m in phone.received] == ["1"]
