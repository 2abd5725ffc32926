"""The `_id` fast path answers exactly what mongomock's scan answers, and is what queries by _id use."""

import mongomock
import pytest
from bson import ObjectId
from mongomock.store import CollectionStore

from infra.embedded import EmbeddedClient
from infra.embedded.mongomock_access import collection_store, find_by_id

OID = ObjectId()
DOCUMENTS = [
    {"_id": "AAAA-BBBB-CCCC", "status": "open", "n": 1},
    {"_id": "DDDD-EEEE-FFFF", "status": "closed", "n": 2},
    {"_id": 7, "status": "open"},
    {"_id": 1, "status": "int one"},
    {"_id": OID, "status": "open"},
    {"_id": {"division": "330481", "day": "2026-11-23"}, "status": "open"},
]

SCALAR_FILTERS = [
    {"_id": "AAAA-BBBB-CCCC"},
    {"_id": "missing"},
    {"_id": "AAAA-BBBB-CCCC", "status": "open"},
    {"_id": "AAAA-BBBB-CCCC", "status": "closed"},
    {"_id": "AAAA-BBBB-CCCC", "n": {"$gte": 1}},
    {"_id": "DDDD-EEEE-FFFF", "status": {"$ne": "closed"}},
    {"_id": 7},
    {"_id": 8},
    {"_id": OID},
    {"_id": ObjectId()},
]
SCANNED_FILTERS = [
    {"_id": {"$in": ["AAAA-BBBB-CCCC", 7]}},
    {"_id": {"$eq": "AAAA-BBBB-CCCC"}},
    {"_id": True},  # not the int 1 to MongoDB
    {"_id": 1.0},
    {"_id": {"division": "330481", "day": "2026-11-23"}},
    {"status": "open"},
    {"$or": [{"_id": "AAAA-BBBB-CCCC"}, {"_id": 7}]},
    {},
]


@pytest.fixture
def plain():
    collection = mongomock.MongoClient().db.c
    collection.insert_many([dict(doc) for doc in DOCUMENTS])
    return collection


@pytest.mark.parametrize("filter", SCALAR_FILTERS, ids=repr)
def test_a_scalar_id_filter_is_looked_up_with_the_scans_answer(plain, filter):
    found = find_by_id(collection_store(plain), filter)

    assert found is not None
    assert found == list(plain._iter_documents(filter))


@pytest.mark.parametrize("filter", SCANNED_FILTERS, ids=repr)
def test_any_other_filter_is_left_to_the_scan(plain, filter):
    assert find_by_id(collection_store(plain), filter) is None


def test_queries_and_writes_by_id_on_the_store_do_not_scan(tmp_path, monkeypatch):
    client = EmbeddedClient(tmp_path)
    opinions = client["t"]["opinions"]
    opinions.insert_many([dict(doc) for doc in DOCUMENTS])

    def no_scan(store):
        raise AssertionError("scanned the whole collection")

    monkeypatch.setattr(CollectionStore, "documents", property(no_scan))
    assert opinions.find_one({"_id": "AAAA-BBBB-CCCC"})["n"] == 1
    assert opinions.update_one({"_id": 7, "status": "open"}, {"$set": {"status": "seen"}}).modified_count == 1
    assert opinions.count_documents({"_id": "missing"}) == 0
    assert opinions.delete_one({"_id": OID}).deleted_count == 1
    with pytest.raises(AssertionError, match="scanned"):
        opinions.find_one({"_id": {"$in": [7]}})
    client.close()
