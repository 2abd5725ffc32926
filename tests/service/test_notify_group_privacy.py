"""Group robots (DingTalk, WeCom) never read personal data: without a division's own template they get the
default group wording, never the notice written for one recipient (which names the case id, the citizen's
tracking code). Checked for every event type a principal may choose to hear on a robot."""

import json
from datetime import UTC, datetime

import pytest

from contracts.notify.delivery import NotifyChannel
from infra.pii import PiiCipher
from infra.settings import DEV_PII_KEY
from services.notify.channels.base import OutgoingMessage
from services.notify.delivery.compose import composer
from services.notify.delivery.record import Delivery
from services.notify.notification import Notification
from services.notify.templates import catalog, samples
from services.notify.templates.store import TemplateStore
from tests.service.test_notify_delivery import ROBOT, Clock, assign, engine, notify, store  # noqa: F401 (fixtures)

CIPHER = PiiCipher(DEV_PII_KEY)
TRACKING_CODE, NAME, PHONE, WORDS = "7K3P-9XTA-2MQD", "张秀英", "13857300123", "硖石街道文苑路公交站台顶棚坏了"
PERSONAL = (TRACKING_CODE, NAME, PHONE, WORDS)
ROBOTS = (NotifyChannel.DINGTALK, NotifyChannel.WECOM)
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def event_values(event_type: str) -> dict[str, str]:
    """The event's variables as planning seals them, every personal one carrying the citizen's data."""
    personal = f"{TRACKING_CODE} {NAME} {PHONE} {WORDS}"
    return {
        name: personal if variable.personal else samples.example(variable)
        for name, variable in catalog.variables(event_type).items()
    } | {"event_label": catalog.label(event_type)}


def notice(event_type: str) -> Notification:
    """A notice as its builder writes it for one recipient: with the case id and the citizen's words."""
    return Notification(
        id=f"01EVENT:unit:hn-transport:{event_type}",
        recipient="unit:hn-transport",
        division="330481",
        kind=event_type,
        title=f"事项 {TRACKING_CODE}",
        body=f"{NAME}（{PHONE}）反映：{WORDS}，查询码 {TRACKING_CODE}。",
        created_at=NOW,
        case_id=TRACKING_CODE,
    )


def delivery(event_type: str, channel: NotifyChannel, sealed: bool) -> Delivery:
    variables = CIPHER.seal_text(json.dumps(event_values(event_type), ensure_ascii=False)) if sealed else None
    return Delivery(
        id=f"01EVENT:unit:hn-transport:{event_type}:{channel.value}",
        notification_id=f"01EVENT:unit:hn-transport:{event_type}",
        event_id="01EVENT",
        event_type=event_type,
        recipient="unit:hn-transport",
        division="330481",
        channel=channel,
        created_at=NOW,
        sealed_variables=variables,
    )


@pytest.mark.parametrize("sealed", [True, False], ids=["with the event's variables", "without them"])
@pytest.mark.parametrize("channel", ROBOTS, ids=lambda c: c.value)
@pytest.mark.parametrize("event_type", sorted(catalog.events()))
def test_a_robot_message_carries_no_personal_data_for_any_event_type(mongo_db, event_type, channel, sealed):
    compose = composer(TemplateStore(mongo_db), CIPHER, {})

    words = compose(delivery(event_type, channel, sealed), notice(event_type))

    message = f"{words.subject}\n{words.text}"
    assert words.text.strip() and not [value for value in PERSONAL if value in message]


def test_the_people_concerned_still_get_the_notice_written_for_them(mongo_db):
    compose = composer(TemplateStore(mongo_db), CIPHER, {})

    words = compose(delivery("case.assigned", NotifyChannel.EMAIL, sealed=False), notice("case.assigned"))

    assert TRACKING_CODE in words.text


def test_a_unit_hearing_of_an_assignment_on_its_robot_reads_no_case_id(notify, store):  # noqa: F811
    class Robot:
        name = "dingtalk"

        def __init__(self):
            self.received: list[OutgoingMessage] = []

        def send(self, message: OutgoingMessage) -> None:
            self.received.append(message)

    assign(notify)
    robot = Robot()
    engine(store, {"dingtalk": robot}, Clock()).run_once()

    [message] = robot.received
    [note] = [n for n in store.notifications.collection.find({"recipient": "unit:hn-transport"})]
    assert message.address == ROBOT and note["case_id"] in note["body"]
    assert note["case_id"] not in f"{message.subject}\n{message.text}"
