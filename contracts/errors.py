"""Stable error codes raised by services over RPC; the gateway maps them to HTTP in one table."""

import json
from enum import StrEnum
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from contracts.vocabulary import Channel

Model = TypeVar("Model", bound=BaseModel)


class ErrorCode(StrEnum):
    NOT_FOUND = "not_found"
    INVALID = "invalid"
    FORBIDDEN = "forbidden"
    CONFLICT = "conflict"
    INVALID_TRANSITION = "invalid_transition"
    UNAVAILABLE = "unavailable"


class ServiceError(Exception):
    """Raised by a service entrypoint and rebuilt by the caller from nameko's `exc_args`.

    nameko turns every argument that is not a string, list or dict into its `str()`, so the
    arguments travel as strings: no field is "", and `state` (the current state of what a
    conflict was about, so the caller can show it) travels as JSON.
    """

    def __init__(self, code: str, detail: str, field: str | None = None, state: dict[str, Any] | None = None):
        super().__init__(str(code), detail, field or "", json.dumps(state, ensure_ascii=False) if state else "")
        self.code = ErrorCode(code)
        self.detail = detail
        self.field = field or None
        self.state = state

    @classmethod
    def from_args(cls, code: str, detail: str, field: str = "", state: str = "") -> "ServiceError":
        return cls(code, detail, field or None, json.loads(state) if state else None)


UNION_TAGS = frozenset(Channel)


def field_path(location: tuple) -> str:
    """A pydantic error location as the dotted field the caller wrote: `details.station_id`, without the
    tag pydantic puts in for a member of a union tagged by channel (`details.station_visit.station_id`)."""
    return ".".join(str(part) for part in location if part not in UNION_TAGS)


def parse(model: type[Model], data: Any) -> Model:
    """Validates an RPC argument as `model`; bad input is an INVALID error naming the first field."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        field = field_path(first["loc"]) or "body"
        raise ServiceError(ErrorCode.INVALID, f"{field}: {first['msg']}", field) from None


class StoreUnavailable(ServiceError):
    """The storage refused a write (disk full, I/O error); the write was undone, so a retry may succeed.

    A `ServiceError` with the code `UNAVAILABLE`, so an RPC caller gets it like any other refusal
    and the gateway answers 503.
    """

    def __init__(self, reason: str):
        super().__init__(
            ErrorCode.UNAVAILABLE, f"存储暂不可用，本次写入未保存 (storage unavailable, nothing was saved: {reason})"
        )
