"""Submissions while an operator closes the gateway's command connection: each answered in time, 202 or 503."""

import asyncio
import itertools
import json
import random

import httpx
from kombu import Connection

from contracts.intake.opinions import SubmitOpinion
from infra import topology
from tests.broker_connections import close_connection, named_connections

RPC_TIMEOUT = 3
NAME = "gateway commands"  # the command publisher's connection: the gateway's aio-pika connection is left alone
BODY = {"division": "330481001", "channel": "web", "content": "路灯坏了"}


def test_every_submission_gets_202_or_503_in_time_while_the_command_connection_is_closed(platform_factory):
    gateway = platform_factory("command-link", services=[], RPC_TIMEOUT_SECONDS=str(RPC_TIMEOUT))
    with gateway.admin() as admin:
        admin.put("/v1/admin/divisions/330481001", json={"name": "硖石街道"}).raise_for_status()

    async def scenario():
        answers: dict[int, tuple] = {}
        numbers = itertools.count()
        closing_done = asyncio.Event()
        # far beyond the deadline (the RPC timeout plus the publisher's one-second tick): only a hang ends here
        async with httpx.AsyncClient(base_url=gateway.base_url, timeout=RPC_TIMEOUT + 20) as client:

            async def citizen() -> None:
                while not closing_done.is_set():
                    number = next(numbers)
                    try:
                        answer = await client.post("/v1/public/opinions", json=BODY)
                        answers[number] = (answer.status_code, answer.json().get("tracking_code"))
                    except httpx.TimeoutException:
                        answers[number] = ("hung", None)
                    await asyncio.sleep(random.uniform(0, 0.4))

            async def close_twice() -> list[str]:
                closed: list[str] = []
                for _ in range(2):
                    await asyncio.sleep(0.5)
                    async with asyncio.timeout(60):  # the gateway's reconnection, seen by the broker
                        while not (pids := await asyncio.to_thread(named_connections, gateway.vhost, NAME)):
                            await asyncio.sleep(0.2)
                    [pid] = pids
                    assert pid not in closed
                    await asyncio.to_thread(close_connection, pid, "test: closed mid-burst")
                    closed.append(pid)
                await asyncio.sleep(1)  # and some once it is back
                closing_done.set()
                return closed

            citizens = [asyncio.create_task(citizen()) for _ in range(30)]
            closed = await close_twice()
            await asyncio.gather(*citizens)
        return answers, closed

    answers, closed = asyncio.run(scenario())
    assert len(closed) == 2
    statuses = {status for status, _ in answers.values()}
    assert statuses <= {202, 503} and 202 in statuses
    accepted = {code for status, code in answers.values() if status == 202}
    assert accepted <= stored_tracking_codes(gateway.amqp_uri)


def stored_tracking_codes(amqp_uri: str) -> set[str]:
    codes = set()
    with Connection(amqp_uri) as connection:
        queue = topology.command_queue(SubmitOpinion.TYPE)
        while message := connection.default_channel.basic_get(queue, no_ack=True):
            codes.add(json.loads(message.body)["payload"]["tracking_code"])
    return codes
