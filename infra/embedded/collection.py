"""`MirroredCollection`: a mongomock collection whose every write is also made in the SQLite file.

It offers the part of PyMongo's `Collection` the project uses. Reads pass through to mongomock;
each write runs as a `PendingWrite` (before-images, the mongomock operation, then the touched
documents written whole to the file in one transaction, or everything put back and
`StoreUnavailable` raised). Any method not defined here raises AttributeError, so no write can
slip past the file.

Within one process nothing else runs during a write: neither mongomock nor sqlite3 yields to
eventlet or asyncio, so no other green thread or coroutine can interleave; a `threading.RLock`
(one per database) serialises real threads.

TTL indexes work as MongoDB's do, not as mongomock's: mongomock deletes expired documents inside
every read (unseen by the file, scanning the whole collection each time); here they are deleted
through the mirrored path when the index is created, on the first use after opening, and then
at most once a minute (MongoDB's TTL monitor also runs every 60 s).
"""

import logging
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import mongomock
from pymongo import ReturnDocument
from pymongo.errors import WriteError
from pymongo.results import BulkWriteResult

from contracts.errors import StoreUnavailable
from infra.embedded import mongomock_access as access
from infra.embedded.bulk import BulkOutcome, Step, steps_of
from infra.embedded.document_file import DocumentFile
from infra.embedded.pending_write import PendingWrite

log = logging.getLogger(__name__)

TTL_MONITOR_SECONDS = 60.0


def ids_of(documents: list) -> list:
    return [doc["_id"] for doc in documents if isinstance(doc, Mapping) and "_id" in doc]


class MirroredCollection:
    def __init__(self, collection: mongomock.Collection, file: DocumentFile, lock: threading.RLock):
        access.install_id_lookup(collection)
        self._mongo = collection
        self._store = access.collection_store(collection)
        self._file = file
        self._lock = lock
        self._next_expiry = 0.0

    def __repr__(self) -> str:
        return f"MirroredCollection({self._file.path}, {self.name!r})"

    @property
    def name(self) -> str:
        return self._mongo.name

    # reads

    def find(self, *args, **kwargs) -> mongomock.collection.Cursor:
        self._expire_if_due()
        return self._mongo.find(*args, **kwargs)

    def find_one(self, *args, **kwargs) -> dict | None:
        self._expire_if_due()
        return self._mongo.find_one(*args, **kwargs)

    def count_documents(self, filter: Mapping, **kwargs) -> int:
        self._expire_if_due()
        return self._mongo.count_documents(filter, **kwargs)

    def estimated_document_count(self, **kwargs) -> int:
        self._expire_if_due()
        return self._mongo.estimated_document_count(**kwargs)

    def distinct(self, key: str, filter: Mapping | None = None, **kwargs) -> list:
        self._expire_if_due()
        return self._mongo.distinct(key, filter, **kwargs)

    def aggregate(self, pipeline: list, **kwargs):
        if any(isinstance(stage, Mapping) and {"$out", "$merge"} & stage.keys() for stage in pipeline):
            raise NotImplementedError("嵌入式存储不支持 $out/$merge / the embedded store does not write from aggregate")
        self._expire_if_due()
        return self._mongo.aggregate(pipeline, **kwargs)

    def index_information(self) -> dict:
        return self._mongo.index_information()

    def list_indexes(self):
        return self._mongo.list_indexes()

    # index definitions, kept in the file too

    def create_index(self, keys, **kwargs) -> str:
        with self._changing_indexes():
            return self._mongo.create_index(keys, **kwargs)

    def create_indexes(self, indexes: list) -> list[str]:
        with self._changing_indexes():
            return self._mongo.create_indexes(indexes)

    def drop_index(self, index_or_name) -> None:
        with self._changing_indexes():
            self._mongo.drop_index(index_or_name)

    def drop_indexes(self) -> None:
        with self._changing_indexes():
            self._mongo.drop_indexes()

    # writes

    def insert_one(self, document: Mapping, **options):
        with self._writing() as write:
            return self._insert(write, document, **options)

    def insert_many(self, documents, ordered: bool = True, **options):
        documents = list(documents)
        with self._writing() as write:
            for doc_id in ids_of(documents):
                write.capture(doc_id)
            try:
                return self._mongo.insert_many(documents, ordered=ordered, **options)
            finally:  # mongomock gave each document it inserted an _id, even if a later one failed
                for doc_id in ids_of(documents):
                    write.capture_new(doc_id)

    def update_one(self, filter: Mapping, update, upsert: bool = False, **options):
        with self._writing() as write:
            return self._update(write, filter, update, upsert=upsert, **options)

    def update_many(self, filter: Mapping, update, upsert: bool = False, **options):
        with self._writing() as write:
            return self._update(write, filter, update, upsert=upsert, multi=True, **options)

    def replace_one(self, filter: Mapping, replacement: Mapping, upsert: bool = False, **options):
        with self._writing() as write:
            return self._update(write, filter, replacement, upsert=upsert, replace=True, **options)

    def delete_one(self, filter: Mapping, **options):
        with self._writing() as write:
            return self._delete(write, filter, **options)

    def delete_many(self, filter: Mapping, **options):
        with self._writing() as write:
            return self._delete(write, filter, multi=True, **options)

    def find_one_and_update(
        self, filter, update, projection=None, sort=None, upsert=False, return_document=ReturnDocument.BEFORE
    ):
        def change(write, target, upsert):
            return self._update(write, target, update, upsert=upsert)

        return self._find_one_and(filter, projection, sort, upsert, return_document, change)

    def find_one_and_replace(
        self, filter, replacement, projection=None, sort=None, upsert=False, return_document=ReturnDocument.BEFORE
    ):
        def change(write, target, upsert):
            return self._update(write, target, replacement, upsert=upsert, replace=True)

        return self._find_one_and(filter, projection, sort, upsert, return_document, change)

    def find_one_and_delete(self, filter, projection=None, sort=None):
        def change(write, target, upsert):
            return self._delete(write, target)

        return self._find_one_and(filter, projection, sort, False, ReturnDocument.BEFORE, change)

    def bulk_write(self, requests, ordered: bool = True) -> BulkWriteResult:
        steps = steps_of(requests)
        outcome = BulkOutcome()
        with self._writing() as write:
            for index, step in enumerate(steps):
                try:
                    self._run_step(write, index, step, outcome)
                except WriteError as error:
                    outcome.failed(index, step, error)
                    if ordered:
                        break
        outcome.raise_if_failed()
        return BulkWriteResult(outcome.reply(), True)

    def drop(self) -> None:
        with self._lock:
            try:
                self._file.drop_collection(self.name)
            except StoreUnavailable as error:
                self._file.log_refused(error)
                raise
            self._mongo.drop()

    # the mirrored path

    @contextmanager
    def _writing(self) -> Iterator[PendingWrite]:
        self._expire_if_due()
        with self._mirrored() as write:
            yield write

    @contextmanager
    def _mirrored(self) -> Iterator[PendingWrite]:
        with self._lock:
            write = PendingWrite(self._mongo, self._file)
            try:
                yield write
            finally:
                write.flush()

    def _insert(self, write: PendingWrite, document: Mapping, **options):
        for doc_id in ids_of([document]):
            write.capture(doc_id)
        try:
            return self._mongo.insert_one(document, **options)
        finally:  # a document given without an _id got one
            for doc_id in ids_of([document]):
                write.capture_new(doc_id)

    def _update(self, write: PendingWrite, filter, update, upsert=False, multi=False, replace=False, **options):
        write.capture_matching(filter, first_only=not multi)
        if replace:
            result = self._mongo.replace_one(filter, update, upsert=upsert, **options)
        elif multi:
            result = self._mongo.update_many(filter, update, upsert=upsert, **options)
        else:
            result = self._mongo.update_one(filter, update, upsert=upsert, **options)
        if result.upserted_id is not None:
            write.capture_new(result.upserted_id)
        return result

    def _delete(self, write: PendingWrite, filter, multi=False, **options):
        write.capture_matching(filter, first_only=not multi)
        if multi:
            return self._mongo.delete_many(filter, **options)
        return self._mongo.delete_one(filter, **options)

    def _find_one_and(self, filter, projection, sort, upsert, return_document, change):
        """find_one_and_*: the first match by `sort` changed by its _id; mongomock's own version
        hides the _id of a document it upserts, which the file needs."""
        with self._writing() as write:
            found = self._mongo.find_one(filter, {"_id": 1}, sort=sort)
            if found is not None:
                target = {"_id": found["_id"]}
                before = None if return_document == ReturnDocument.AFTER else self._mongo.find_one(target, projection)
                change(write, target, False)
            elif upsert:
                target = {"_id": change(write, filter, True).upserted_id}
                before = None
            else:
                return None
            return self._mongo.find_one(target, projection) if return_document == ReturnDocument.AFTER else before

    def _run_step(self, write: PendingWrite, index: int, step: Step, outcome: BulkOutcome) -> None:
        counts = outcome.counts
        if step.kind == "insert":
            self._insert(write, step.document)
            counts["nInserted"] += 1
        elif step.kind == "delete":
            counts["nRemoved"] += self._delete(write, step.filter, multi=step.multi).deleted_count
        else:
            result = self._update(
                write, step.filter, step.document, upsert=step.upsert, multi=step.multi, replace=step.kind == "replace"
            )
            counts["nMatched"] += result.matched_count
            counts["nModified"] += result.modified_count
            if result.upserted_id is not None:
                counts["nUpserted"] += 1
                outcome.upserted.append({"index": index, "_id": result.upserted_id})

    @contextmanager
    def _changing_indexes(self) -> Iterator[None]:
        with self._lock:
            before = dict(access.index_definitions(self._store))
            try:
                yield
            finally:
                access.stop_expiring_on_reads(self._store)
                after = access.index_definitions(self._store)
                saved = {name: spec for name, spec in after.items() if before.get(name) != spec}
                dropped = [name for name in before if name not in after]
                if saved or dropped:
                    try:
                        self._file.write_indexes(self.name, saved, dropped)
                    except BaseException as error:
                        access.set_index_definitions(self._store, before)
                        if isinstance(error, StoreUnavailable):
                            self._file.log_refused(error)
                        raise
                if any("expireAfterSeconds" in spec for spec in saved.values()):
                    self._next_expiry = 0.0
        self._expire_if_due()

    def _ttl_fields(self) -> list[tuple[str, int]]:
        fields = []
        for spec in access.index_definitions(self._store).values():
            seconds = spec.get("expireAfterSeconds")
            if isinstance(seconds, int) and not isinstance(seconds, bool) and len(spec["key"]) == 1:
                fields.append((spec["key"][0][0], seconds))
        return fields

    def _expire_if_due(self) -> None:
        """Deletes, through the mirrored path, what the collection's TTL indexes say has expired."""
        now = time.monotonic()
        if now < self._next_expiry:
            return
        self._next_expiry = now + TTL_MONITOR_SECONDS
        for field, seconds in self._ttl_fields():
            cutoff = datetime.now(UTC) - timedelta(seconds=seconds)
            try:
                with self._mirrored() as write:
                    self._delete(write, {field: {"$lte": cutoff}}, multi=True)
            except StoreUnavailable as error:
                log.warning("过期文档未能删除，稍后重试 / expired documents not deleted, retrying later: %s", error)
