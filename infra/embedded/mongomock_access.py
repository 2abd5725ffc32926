"""Every use of mongomock's private API in one place; pyproject.toml pins mongomock==4.3.0 for it.

mongomock keeps each collection in a `CollectionStore` (an ordered dict of documents keyed by _id,
plus index definitions). The embedded store reads and restores documents there directly, and
replaces the collection's `_iter_documents` (the scan behind every query and write) by a direct
lookup when the filter is an equality on a scalar `_id`: mongomock scans every document on every
query, about 54 ms per find by _id at 20,000 documents.
"""

from collections.abc import Iterator, Mapping
from typing import Any

import mongomock
from bson import ObjectId
from mongomock import helpers
from mongomock.filtering import filter_applies
from mongomock.store import CollectionStore

# exact types only: bool is not an int to MongoDB, and a float or Int64 _id is left to the scan
SCALAR_ID_TYPES = (str, int, ObjectId)


def collection_store(collection: mongomock.Collection) -> CollectionStore:
    return collection._store


def store_key(doc_id: Any) -> Any:
    """The key mongomock files a document under: naive UTC datetimes, dicts made hashable."""
    doc_id = helpers.patch_datetime_awareness_in_document(doc_id)
    return helpers.hashdict(doc_id) if isinstance(doc_id, dict) else doc_id


def stored_document(store: CollectionStore, key: Any) -> dict | None:
    """The live document (not a copy) filed under `key`, or None."""
    return store._documents.get(key)


def put_document(store: CollectionStore, key: Any, document: dict) -> None:
    store[key] = document


def remove_document(store: CollectionStore, key: Any) -> None:
    if key in store._documents:
        del store[key]


def matching_documents(collection: mongomock.Collection, filter: Mapping) -> Iterator[dict]:
    """The live documents a write with this filter goes through, in the order mongomock does."""
    return collection._iter_documents(helpers.patch_datetime_awareness_in_document(filter))


def index_definitions(store: CollectionStore) -> dict[str, dict]:
    return store.indexes


def set_index_definitions(store: CollectionStore, indexes: dict[str, dict]) -> None:
    store.indexes = indexes


def stop_expiring_on_reads(store: CollectionStore) -> None:
    """mongomock deletes expired documents inside every read, unseen by the mirror and scanning the
    whole collection each time; the embedded store expires them itself, through mirrored deletes."""
    store._ttl_indexes.clear()


def find_by_id(store: CollectionStore, filter: Any) -> list[dict] | None:
    """The documents the scan would give for a filter with a scalar `_id` equality; None for any
    other filter (which then needs the scan)."""
    if not isinstance(filter, Mapping):
        return None
    doc_id = filter.get("_id")
    if type(doc_id) not in SCALAR_ID_TYPES:
        return None
    document = store._documents.get(doc_id)
    if document is None or not filter_applies(filter, document):
        return []
    return [document]


def install_id_lookup(collection: mongomock.Collection) -> None:
    """Makes this collection object answer `_id` equalities by lookup instead of a scan."""
    scan = collection._iter_documents
    store = collection._store

    def iter_documents(filter):
        found = find_by_id(store, filter)
        return scan(filter) if found is None else iter(found)

    collection._iter_documents = iter_documents
