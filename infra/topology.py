"""Names and arguments of the broker objects, shared by kombu (services) and aio-pika (gateway).

Every consuming queue is a quorum queue with a delivery limit and a dead-letter exchange, so a
message whose handler keeps failing is parked in `dead-letters` instead of lost or looped.
Both sides must declare a queue with identical arguments, hence this one module.
"""

RPC_EXCHANGE = "nameko-rpc"
COMMAND_EXCHANGE = "commands"
DEAD_LETTER_EXCHANGE = "dead-letter"
DEAD_LETTER_QUEUE = "dead-letters"
DELIVERY_LIMIT = 3


def event_exchange(source_service: str) -> str:
    """nameko's naming: each publishing service has its own topic exchange."""
    return f"{source_service}.events"


def event_queue(source_service: str, event_type: str, service: str, method: str) -> str:
    """nameko's name for a service-pool handler's queue."""
    return f"evt-{source_service}-{event_type}--{service}.{method}"


def command_queue(command_type: str) -> str:
    return f"cmd-{command_type}"


def consumer_queue_arguments() -> dict[str, object]:
    return {
        "x-queue-type": "quorum",
        "x-delivery-limit": DELIVERY_LIMIT,
        "x-dead-letter-exchange": DEAD_LETTER_EXCHANGE,
    }


def dead_letter_queue_arguments() -> dict[str, object]:
    return {"x-queue-type": "quorum"}
