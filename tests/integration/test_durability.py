"""Over the real broker: a 202 survives the intake service being down, is processed once when it
returns, and a message that keeps failing is parked in the dead-letter queue, not lost or looped."""

import json

import pytest
from kombu import Connection, Exchange, Producer

from infra import topology
from tests.conftest import wait_until


@pytest.fixture(scope="module")
def own_platform(platform_factory):
    """These tests stop services, so they get a platform of their own."""
    return platform_factory("durability")


def test_submission_accepted_while_intake_is_down_is_processed_once_on_restart(own_platform):
    own_platform.processes.stop_children(["intake"])
    with own_platform.client() as citizen:
        ready = citizen.get("/readyz")
        assert ready.status_code == 503 and ready.json()["services"]["intake"] is False
        assert citizen.get("/readyz?services=false").json() == {"status": "ready", "broker": True, "services": {}}

        accepted = citizen.post(
            "/v1/public/opinions", json={"division": "330481001", "channel": "web", "content": "学校门口早高峰太堵"}
        )
        assert accepted.status_code == 202
        code = accepted.json()["tracking_code"]
        metrics = citizen.get("/metrics").text
        assert 'command_queue_messages{command="opinion.submit"} 1.0' in metrics  # kept by the broker

        own_platform.processes.start_service("intake")
        own_platform.processes.wait_ready()
        view = wait_until(
            lambda: (
                (r := citizen.get(f"/v1/public/opinions/{code}")).status_code == 200
                and r.json()["status"] == "assigned"
                and r.json()
            )
        )
    assert view["lead_unit"]["id"] == "hn-education"

    with own_platform.admin() as admin:
        wait_until(lambda: admin.get("/v1/notifications?recipient=unit:hn-education").json())
        cases = [c for c in admin.get("/v1/cases?division=330481").json() if c["case_id"] == code]
        notes = [n for n in admin.get("/v1/notifications?recipient=unit:hn-education").json() if n["case_id"] == code]
        deadlines = [d for d in admin.get("/v1/supervision/deadlines").json() if d["case_id"] == code]
    assert len(cases) == 1 and len(notes) == 1 and len(deadlines) == 1


def test_a_message_that_keeps_failing_ends_in_the_dead_letter_queue(own_platform):
    marker = "poison-" + own_platform.vhost
    with Connection(own_platform.amqp_uri) as connection:
        producer = Producer(connection.default_channel)
        producer.publish(
            {"not": "an envelope", "marker": marker},
            exchange=Exchange(topology.COMMAND_EXCHANGE, type="direct", durable=True),
            routing_key="opinion.submit",
            serializer="json",
            delivery_mode=2,
        )

        def dead_letters_gauge():
            with own_platform.client() as client:
                line = next(
                    x for x in client.get("/metrics").text.splitlines() if x.startswith("dead_letter_messages ")
                )
            return float(line.split()[1]) >= 1

        wait_until(dead_letters_gauge, timeout=30)

        def parked():
            message = connection.default_channel.basic_get(topology.DEAD_LETTER_QUEUE, no_ack=True)
            body = json.loads(message.body) if message else {}
            return body if body.get("marker") == marker else None

        body = wait_until(parked, timeout=30)
    assert body == {"not": "an envelope", "marker": marker}
    # the platform is unharmed and keeps working
    with own_platform.client() as citizen:
        assert citizen.get("/readyz").status_code == 200


def test_an_event_published_before_its_consumer_ever_started_waits_for_it(platform_factory):
    """Intake declares routing's queue itself: routing starts later and still gets the opinion."""
    fresh = platform_factory("first-start", services=["intake"])
    with fresh.admin() as admin:
        admin.put("/v1/admin/divisions/330481001", json={"name": "硖石街道"}).raise_for_status()
    with fresh.client() as citizen:
        code = citizen.post(
            "/v1/public/opinions", json={"division": "330481001", "channel": "web", "content": "路灯坏了"}
        ).json()["tracking_code"]
        wait_until(lambda: citizen.get(f"/v1/public/opinions/{code}").status_code == 200)

    waiting = topology.event_queue("intake", "opinion.received", "routing", "on_opinion_received")
    with Connection(fresh.amqp_uri) as connection:

        def waiting_messages() -> int:
            return connection.default_channel.queue_declare(waiting, passive=True).message_count

        # the opinion is readable once stored; its event leaves intake's outbox just after
        wait_until(lambda: waiting_messages() == 1, timeout=10)

    fresh.processes.start_service("routing")
    with fresh.admin() as admin:
        cases = wait_until(
            lambda: (answer := admin.get("/v1/cases?division=330481")).status_code == 200 and answer.json(), timeout=60
        )
    assert [(case["case_id"], case["status"]) for case in cases] == [(code, "triaged")]


def test_a_submission_accepted_before_a_broker_crash_is_processed_after_it(platform_factory, broker_node):
    """Only the gateway runs when the opinion is accepted; the RabbitMQ node is killed and started
    again (a private node: never the shared one); then the services start."""
    early = platform_factory("broker-restart", services=[], broker_uri=broker_node.amqp_uri)
    wait_until(lambda: broker_node.quorum_queues_on_disk(topology.command_queue("opinion.submit")), timeout=30)
    with early.admin() as admin:
        admin.put("/v1/admin/divisions/330481001", json={"name": "硖石街道"}).raise_for_status()
    with early.client() as citizen:
        accepted = citizen.post(
            "/v1/public/opinions", json={"division": "330481001", "channel": "web", "content": "河道漂浮垃圾多"}
        )
    assert accepted.status_code == 202
    code = accepted.json()["tracking_code"]

    broker_node.kill()
    broker_node.start()

    for name in ("intake", "routing"):
        early.processes.start_service(name)
    with early.client() as citizen:
        view = wait_until(
            lambda: (answer := citizen.get(f"/v1/public/opinions/{code}")).status_code == 200 and answer.json(),
            timeout=90,
        )
    assert view["tracking_code"] == code and view["content"] == "河道漂浮垃圾多"
