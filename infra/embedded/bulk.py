"""`bulk_write` requests (pymongo's InsertOne, UpdateOne, ReplaceOne, DeleteMany…) as plain steps.

mongomock 4.3's own bulk_write breaks on pymongo 4.9+ (it does not accept the `sort` option
pymongo now passes), so the embedded store runs each request itself, all inside one mirrored
write. pymongo's operations describe themselves through `_add_to_bulk`, the same hook
mongomock uses; options the embedded store cannot honour are refused, never ignored.
"""

from dataclasses import dataclass, field
from typing import Any

from pymongo.errors import BulkWriteError, WriteError


@dataclass
class Step:
    kind: str  # "insert", "update", "replace" or "delete"
    filter: dict | None = None
    document: Any = None
    multi: bool = False
    upsert: bool = False


def _refuse_options(options: dict) -> None:
    used = sorted(name for name, value in options.items() if value is not None)
    if used:
        raise NotImplementedError(f"嵌入式存储的 bulk_write 不支持 / the embedded store's bulk_write lacks: {used}")


class StepRecorder:
    """Receives pymongo's `_add_to_bulk` calls."""

    def __init__(self):
        self.steps: list[Step] = []

    def add_insert(self, document) -> None:
        self.steps.append(Step("insert", document=document))

    def add_update(self, selector, update, multi, upsert=False, **options) -> None:
        _refuse_options(options)
        self.steps.append(Step("update", selector, update, bool(multi), bool(upsert)))

    def add_replace(self, selector, replacement, upsert=False, **options) -> None:
        _refuse_options(options)
        self.steps.append(Step("replace", selector, replacement, upsert=bool(upsert)))

    def add_delete(self, selector, limit, **options) -> None:
        _refuse_options(options)
        self.steps.append(Step("delete", selector, multi=limit == 0))


def steps_of(requests) -> list[Step]:
    recorder = StepRecorder()
    for request in requests:
        request._add_to_bulk(recorder)
    return recorder.steps


@dataclass
class BulkOutcome:
    """Counts in the shape of MongoDB's bulk write reply (`BulkWriteResult.bulk_api_result`)."""

    counts: dict = field(
        default_factory=lambda: {"nInserted": 0, "nUpserted": 0, "nMatched": 0, "nModified": 0, "nRemoved": 0}
    )
    upserted: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)

    def failed(self, index: int, step: Step, error: WriteError) -> None:
        self.errors.append({"index": index, "code": error.code or 0, "errmsg": str(error), "op": step.document})

    def reply(self) -> dict:
        return {**self.counts, "upserted": self.upserted, "writeErrors": self.errors, "writeConcernErrors": []}

    def raise_if_failed(self) -> None:
        if self.errors:
            raise BulkWriteError(self.reply())
