"""The platform's own fault test: nothing lost, nothing duplicated, nothing leaked.

Citizens keep submitting while the test SIGKILLs intake, then routing (each started again with the
same command, as Kubernetes would), then the RabbitMQ node itself, on a private node the test
started, never the shared one. A submission the platform cannot take meanwhile answers 503, and
the citizen's app retries it with the same Idempotency-Key. Afterwards every submission that got
its 202 is assigned exactly once: one case, one deadline under watch, one notice for each unit;
and the citizen's name and phone number appear in no log and no metric.
"""

import os
import re
import threading
import time
import uuid

import httpx
import pytest

from contracts.services import SERVICES
from contracts.subscriptions import SUBSCRIPTIONS
from infra import topology
from tests.conftest import wait_until

NAME, PHONE = "冯秀兰", "13955501234"
# `make fault-test` runs the long version: 1,000 submissions at 50 a second
SUBMISSIONS = int(os.environ.get("FAULT_SUBMISSIONS", "240"))
PER_SECOND = float(os.environ.get("FAULT_PER_SECOND", "15"))
# after this many were accepted, kill this part
KILLS = {SUBMISSIONS // 4: "intake", SUBMISSIONS // 2: "routing", 3 * SUBMISSIONS // 4: "broker"}


class Citizens(threading.Thread):
    """Submits opinions at a steady pace; a refused one is retried with its Idempotency-Key until it gets 202."""

    def __init__(self, base_url: str):
        super().__init__(daemon=True)
        self.base_url = base_url
        self.accepted: list[str] = []
        self.refusals = 0
        self.failure: BaseException | None = None

    def run(self) -> None:
        try:
            with httpx.Client(base_url=self.base_url, timeout=15) as client:
                for number in range(SUBMISSIONS):
                    started = time.monotonic()
                    self.accepted.append(self.submit(client, number))
                    time.sleep(max(0.0, 1 / PER_SECOND - (time.monotonic() - started)))
        except BaseException as error:  # noqa: BLE001 - handed to the test thread, which fails with it
            self.failure = error

    def submit(self, client: httpx.Client, number: int) -> str:
        body = {
            "division": "330481001",
            "channel": "qr",
            "content": f"文苑路第 {number} 号公交站台的顶棚坏了",
            "contact": {"name": NAME, "phone": PHONE},
        }
        key = str(uuid.uuid4())
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                answer = client.post("/v1/public/opinions", json=body, headers={"Idempotency-Key": key})
            except httpx.TransportError:
                answer = None
            if answer is not None and answer.status_code == 202:
                return answer.json()["tracking_code"]
            if answer is not None and answer.status_code not in (409, 503):
                raise AssertionError(f"submission {number}: {answer.status_code} {answer.text}")
            self.refusals += 1
            time.sleep(0.3)
        raise AssertionError(f"submission {number} was never accepted")


def consumer_queues() -> list[str]:
    events = [
        topology.event_queue(model.SOURCE, model.TYPE, service, method)
        for model, subscribers in SUBSCRIPTIONS.items()
        for service, method in subscribers
    ]
    return [topology.command_queue("opinion.submit"), topology.DEAD_LETTER_QUEUE, *events]


def kill_and_restart_service(platform, name: str) -> None:
    child = platform.processes.children[name]
    child.kill()
    child.wait()
    platform.processes.start_service(name)


def everything(client: httpx.Client, path: str) -> list[dict]:
    """Every page of a listing, following its Link headers. A page a service was too busy to give in
    time (503, while it still works through the backlog the kills left) is asked for again."""
    items, url, busy = [], path, 0
    while url:
        answer = client.get(url)
        if answer.status_code == 503 and busy < 30:
            busy += 1
            time.sleep(1)
            continue
        assert answer.status_code == 200, answer.text
        items += answer.json()
        link = re.match(r"<([^>]+)>; rel=\"next\"", answer.headers.get("link", ""))
        url = link.group(1) if link else None
    return items


@pytest.fixture
def faulted(platform_factory, broker_node):
    platform = platform_factory("faults", broker_uri=broker_node.amqp_uri)
    wait_until(lambda: broker_node.quorum_queues_on_disk(*consumer_queues()), timeout=30)
    return platform


def test_kill_9_of_intake_routing_and_the_broker_loses_and_duplicates_nothing(faulted, broker_node):
    citizens = Citizens(faulted.base_url)
    citizens.start()
    for accepted, part in KILLS.items():
        wait_until(lambda accepted=accepted: len(citizens.accepted) >= accepted or citizens.failure, timeout=120)
        if part == "broker":
            broker_node.kill()
            time.sleep(1)
            broker_node.start()
        else:
            kill_and_restart_service(faulted, part)
    citizens.join(timeout=SUBMISSIONS / PER_SECOND + 300)
    assert citizens.failure is None, citizens.failure
    codes = citizens.accepted
    assert len(codes) == len(set(codes)) == SUBMISSIONS
    assert citizens.refusals > 0  # the broker's absence was felt, and retried through

    submitted = set(codes)
    with faulted.admin() as admin:

        def all_of(path: str, done=lambda item: True):
            """The listing's items of these submissions (the demo data has items of its own), once
            one is done for every submission."""
            items = [item for item in everything(admin, path) if item["case_id"] in submitted]
            return items if len([item for item in items if done(item)]) >= SUBMISSIONS else None

        cases = wait_until(lambda: all_of("/v1/cases?limit=500", lambda c: c["status"] == "assigned"), 180, 2)
        transport = wait_until(lambda: all_of("/v1/notifications?recipient=unit:hn-transport&limit=500"), 60, 2)
        enforcement = wait_until(lambda: all_of("/v1/notifications?recipient=unit:hn-enforcement&limit=500"), 60, 2)
        deadlines = wait_until(lambda: all_of("/v1/supervision/deadlines?limit=500"), 60, 2)

    assert sorted(case["case_id"] for case in cases) == sorted(codes)  # one case each
    assert all(case["lead_unit"]["id"] == "hn-transport" for case in cases)
    assert sorted(note["case_id"] for note in transport) == sorted(codes)
    assert sorted(note["case_id"] for note in enforcement) == sorted(codes)
    assert sorted(deadline["case_id"] for deadline in deadlines) == sorted(codes)
    with faulted.client() as citizen:
        for code in codes[:: max(1, SUBMISSIONS // 24)]:
            assert citizen.get(f"/v1/public/opinions/{code}").json()["status"] == "assigned"

    leaks = [PHONE, PHONE[-4:] + '"', NAME]
    for part in [*SERVICES, "gateway"]:
        log = faulted.log_of(part)
        assert not [leak for leak in leaks if leak in log], part
    scraped = [httpx.get(f"{faulted.base_url}/metrics").text]
    scraped += [httpx.get(f"http://127.0.0.1:{port}/metrics").text for port in faulted.processes.metrics_ports.values()]
    assert not [leak for leak in leaks for text in scraped if leak in text]
    assert "dead_letter_messages 0.0" in scraped[0]
