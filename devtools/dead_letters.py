"""`make dead-letters`: what the dead-letter queue holds, and with REPLAY=1, each message sent back
to the queue it failed in (only there: not to every subscriber of its event).

A message lands in `dead-letters` after its handler failed on every delivery the quorum queue
allows; its `x-death` header names that queue. Fix the cause first (the runbook, deploy/README.md),
then replay: handlers are idempotent, so a message replayed twice changes nothing the second time.
"""

import json
import os
import sys
from dataclasses import dataclass

from kombu import Connection

from infra import topology
from infra.settings import get_settings


@dataclass(frozen=True)
class Parked:
    queue: str
    reason: str
    type: str
    correlation_id: str
    body: bytes
    properties: dict
    headers: dict


def parked(message) -> Parked:
    deaths = message.headers.get("x-death") or [{}]
    try:
        envelope = json.loads(message.body)
    except ValueError:
        envelope = {}
    envelope = envelope if isinstance(envelope, dict) else {}
    return Parked(
        queue=deaths[0].get("queue", "?"),
        reason=deaths[0].get("reason", "?"),
        type=envelope.get("type", "?"),
        correlation_id=envelope.get("correlation_id", "-"),
        body=message.body,
        properties={
            name: message.properties[name]
            for name in ("content_type", "content_encoding")
            if name in message.properties
        },
        headers={name: value for name, value in message.headers.items() if not name.startswith("x-")},
    )


def inspect(amqp_uri: str, replay: bool) -> list[Parked]:
    """Every parked message; replayed ones are acknowledged only once the broker confirmed their copy."""
    found = []
    with Connection(amqp_uri, transport_options={"confirm_publish": True}) as connection:
        channel = connection.channel()
        producer = connection.Producer(channel)
        while (message := channel.basic_get(topology.DEAD_LETTER_QUEUE, no_ack=False)) is not None:
            entry = parked(message)
            found.append(entry)
            if replay:
                producer.publish(
                    entry.body,
                    exchange="",
                    routing_key=entry.queue,
                    delivery_mode=2,
                    headers=entry.headers,
                    **entry.properties,
                )
                channel.basic_ack(message.delivery_tag)
        channel.close()  # what was not acknowledged goes back to the dead-letter queue
    return found


def main() -> None:
    replay = os.environ.get("REPLAY") == "1"
    found = inspect(get_settings().amqp_uri, replay)
    for entry in found:
        print(f"{entry.queue}\t{entry.type}\t{entry.correlation_id}\t{entry.reason}")
    verb = "已重放 / replayed" if replay else "在死信队列中 / parked (REPLAY=1 sends them back)"
    print(f"{len(found)} 条消息{verb}", file=sys.stderr)


if __name__ == "__main__":
    main()
