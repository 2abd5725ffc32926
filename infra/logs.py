"""Structured logs that carry the correlation id of the request that caused them."""

import json
import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime

correlation_id: ContextVar[str] = ContextVar("correlation_id", default="-")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
            "correlation_id": correlation_id.get(),
        }
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class DropExpectedWorkerErrors(logging.Filter):
    """Drops nameko's record of an exception its entrypoint declares expected.

    For such an exception (a `ServiceError` refusal: a tracking code not found, ...) nameko's
    container logs "(expected) error handling worker" at WARNING with the whole traceback, on every
    call; the `Observability` dependency already logs each refusal in one INFO line. nameko's record
    of an unexpected exception ("error handling worker", ERROR with traceback) passes untouched.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return not (
            record.name == "nameko.containers"
            and isinstance(record.msg, str)
            and record.msg.startswith("(expected) error handling worker")
        )


def configure_logging(level: int = logging.INFO) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
