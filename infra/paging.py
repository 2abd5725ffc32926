"""Keyset pagination: a list sorted by one field (ties broken by `_id`) resumes after an opaque cursor.

A cursor is the sort value and `_id` of the last item shown, so the next page is one indexed range
query however deep the client goes, and items added meanwhile neither repeat nor shift the pages.
"""

import base64
import binascii
import json

from pymongo.collection import Collection

from contracts.errors import ErrorCode, ServiceError


def encode_cursor(value, key) -> str:
    return base64.urlsafe_b64encode(json.dumps([value, key], ensure_ascii=False).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple:
    try:
        value, key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        raise ServiceError(ErrorCode.INVALID, "翻页游标无效 (the paging cursor is not valid)", "after") from None
    return value, key


def page(
    collection: Collection,
    query: dict,
    field: str,
    descending: bool,
    limit: int,
    after: str | None = None,
    projection: dict | None = None,
) -> tuple[list[dict], str | None]:
    """Up to `limit` documents after the cursor, and the cursor of the next page (None on the last)."""
    order = -1 if descending else 1
    if after:
        value, key = decode_cursor(after)
        beyond = "$lt" if descending else "$gt"
        query = {"$and": [query, {"$or": [{field: {beyond: value}}, {field: value, "_id": {beyond: key}}]}]}
    docs = list(collection.find(query, projection).sort([(field, order), ("_id", order)]).limit(limit + 1))
    if len(docs) <= limit:
        return docs, None
    last = docs[limit - 1]
    return docs[:limit], encode_cursor(last[field], last["_id"])
