"""Stable error codes raised by services over RPC; the gateway maps them to HTTP in one table."""

from enum import StrEnum


class ErrorCode(StrEnum):
    NOT_FOUND = "not_found"
    INVALID = "invalid"
    CONFLICT = "conflict"
    INVALID_TRANSITION = "invalid_transition"


class ServiceError(Exception):
    """Raised by a service entrypoint; nameko carries `args` to the caller unchanged."""

    def __init__(self, code: str, detail: str, field: str | None = None):
        super().__init__(str(code), detail, field)
        self.code = ErrorCode(code)
        self.detail = detail
        self.field = field
