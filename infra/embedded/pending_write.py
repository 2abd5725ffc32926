"""One mirrored write: the before-images of what it may touch, then the file brought in line.

Before mongomock runs the operation, the documents it can touch are copied (their before-images;
"absent" for an id that did not exist). Afterwards the current state of every one of them is
written to the file in one transaction, whether the operation succeeded or failed halfway (an
unordered insert_many that met a duplicate still inserted the others). If the file refuses,
the before-images are put back, so memory and disk agree, and the refusal is raised.
"""

import copy
from collections.abc import Mapping
from typing import Any

import mongomock

from contracts.errors import StoreUnavailable
from infra.embedded import mongomock_access as access
from infra.embedded.document_file import DocumentFile


class PendingWrite:
    def __init__(self, collection: mongomock.Collection, file: DocumentFile):
        self.collection = collection
        self.store = access.collection_store(collection)
        self.file = file
        self.before: dict[Any, dict | None] = {}  # store key -> copy of the document, None when absent

    def capture(self, doc_id: Any) -> None:
        """Keeps the document with this id as it is now (or its absence)."""
        key = access.store_key(doc_id)
        if key not in self.before:
            document = access.stored_document(self.store, key)
            self.before[key] = copy.deepcopy(document) if document is not None else None

    def capture_new(self, doc_id: Any) -> None:
        """An id the operation created (an insert, an upsert): absent before it."""
        self.before.setdefault(access.store_key(doc_id), None)

    def capture_matching(self, filter: Mapping, first_only: bool) -> None:
        for document in access.matching_documents(self.collection, filter):
            self.capture(document["_id"])
            if first_only:
                return

    def flush(self) -> None:
        """Writes the current state of every captured id; on any failure restores the before-images."""
        current = {key: access.stored_document(self.store, key) for key in self.before}
        documents = [document for document in current.values() if document is not None]
        deleted = [old["_id"] for key, old in self.before.items() if old is not None and current[key] is None]
        if not documents and not deleted:
            return
        try:
            self.file.write(self.collection.name, documents, deleted)
        except BaseException as error:
            self.restore()
            if isinstance(error, StoreUnavailable):
                self.file.log_refused(error)
            raise

    def restore(self) -> None:
        for key, old in self.before.items():
            if old is None:
                access.remove_document(self.store, key)
            else:
                access.put_document(self.store, key, old)
