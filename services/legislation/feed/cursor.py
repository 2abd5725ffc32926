"""The feed's cursor: opaque to the caller, the draft and the last feed number it has read."""

import base64
import binascii
import re

from contracts.errors import ErrorCode, ServiceError

PREFIX = "feed1"
SHAPE = re.compile(r"^feed1:(?P<draft>[^:]+):(?P<seq>0|[1-9]\d{0,17})$")


def encode(draft_id: str, seq: int) -> str:
    return base64.urlsafe_b64encode(f"{PREFIX}:{draft_id}:{seq}".encode()).decode().rstrip("=")


def malformed(detail: str) -> ServiceError:
    return ServiceError(ErrorCode.INVALID, f"游标无效：{detail} (malformed feed cursor)", "cursor")


def decode(cursor: str | None, draft_id: str, head: int) -> int:
    """The last feed number read; 0 without a cursor. Refused: not one of ours, another draft's, or
    beyond what the draft has (a cursor from somewhere else)."""
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise malformed("无法解码 (not base64url)") from None
    match = SHAPE.match(text)
    if match is None:
        raise malformed("格式不符 (not a feed cursor)")
    if match["draft"] != draft_id:
        raise malformed("属于另一部草案 (belongs to another draft)")
    seq = int(match["seq"])
    if seq > head:
        raise malformed("超出该草案的动态 (beyond the draft's feed)")
    return seq
