"""Stable error codes raised by services over RPC; the gateway maps them to HTTP in one table."""

from enum import StrEnum


class ErrorCode(StrEnum):
    NOT_FOUND = "not_found"
    INVALID = "invalid"
    CONFLICT = "conflict"
    INVALID_TRANSITION = "invalid_transition"
    UNAVAILABLE = "unavailable"


class ServiceError(Exception):
    """Raised by a service entrypoint; nameko carries `args` to the caller unchanged."""

    def __init__(self, code: str, detail: str, field: str | None = None):
        super().__init__(str(code), detail, field)
        self.code = ErrorCode(code)
        self.detail = detail
        self.field = field


class StoreUnavailable(ServiceError):
    """The storage refused a write (disk full, I/O error); the write was undone, so a retry may succeed.

    A `ServiceError` with the code `UNAVAILABLE`, so an RPC caller gets it like any other refusal
    and the gateway answers 503.
    """

    def __init__(self, reason: str):
        super().__init__(
            ErrorCode.UNAVAILABLE, f"存储暂不可用，本次写入未保存 (storage unavailable, nothing was saved: {reason})"
        )
