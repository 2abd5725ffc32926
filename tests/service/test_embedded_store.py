"""The embedded store keeps what every write method did across a close and reopen of its data directory."""

import sqlite3
from datetime import UTC, datetime, timedelta

import bson
import pytest
from bson import Int64, ObjectId
from pymongo import DeleteMany, DeleteOne, InsertOne, ReplaceOne, ReturnDocument, UpdateMany, UpdateOne
from pymongo.errors import BulkWriteError, DuplicateKeyError

from infra.embedded import EmbeddedClient
from infra.embedded import collection as mirrored


@pytest.fixture
def db(tmp_path):
    client = EmbeddedClient(tmp_path / "data")
    yield client["t"]
    client.close()


def in_file(db, collection: str) -> dict:
    """The documents of one collection as the SQLite file holds them, read beside the open store."""
    with sqlite3.connect(f"file:{db.file.path}?mode=ro", uri=True) as reader:
        rows = reader.execute("SELECT body FROM documents WHERE collection = ?", (collection,)).fetchall()
    return {doc["_id"]: doc for doc in (bson.decode(body) for (body,) in rows)}


def test_inserted_documents_come_back_with_their_ids_of_any_type(db, reopen):
    ids = ["text", 7, Int64(2**40), 2.5, ObjectId(), {"division": "330481", "n": 1}]
    db["c"].insert_one({"_id": ids[0], "v": 0})
    db["c"].insert_many([{"_id": doc_id, "v": n} for n, doc_id in enumerate(ids[1:], start=1)])
    generated = db["c"].insert_one({"v": "no id given"}).inserted_id

    again = reopen(db)["c"]
    for n, doc_id in enumerate(ids):
        found = again.find_one({"_id": doc_id})
        assert found["v"] == n and type(found["_id"]) is type(doc_id)
    assert again.find_one({"_id": generated})["v"] == "no id given"
    assert again.count_documents({}) == len(ids) + 1


def test_updates_with_operators_and_upserts_are_kept(db, reopen):
    things = db["things"]
    things.insert_many([{"_id": "a", "n": 1, "tags": []}, {"_id": "b", "n": 1, "tags": []}, {"_id": "c", "n": 5}])
    things.update_one({"_id": "a"}, {"$set": {"status": "open"}, "$push": {"tags": "x"}, "$inc": {"n": 2}})
    things.update_many({"n": 1}, {"$inc": {"n": 10}, "$push": {"tags": {"$each": ["y", "z"]}}})
    things.update_one({"_id": "new"}, {"$setOnInsert": {"created": True}, "$set": {"n": 0}}, upsert=True)
    things.update_one({"_id": "new"}, {"$setOnInsert": {"created": False}, "$inc": {"n": 1}}, upsert=True)
    upserted = things.update_many({"kind": "counter"}, {"$inc": {"n": 1}}, upsert=True).upserted_id

    again = reopen(db)["things"]
    assert again.find_one({"_id": "a"}) == {"_id": "a", "n": 3, "tags": ["x"], "status": "open"}
    assert again.find_one({"_id": "b"}) == {"_id": "b", "n": 11, "tags": ["y", "z"]}
    assert again.find_one({"_id": "c"}) == {"_id": "c", "n": 5}
    assert again.find_one({"_id": "new"}) == {"_id": "new", "created": True, "n": 1}
    assert again.find_one({"_id": upserted}) == {"_id": upserted, "kind": "counter", "n": 1}


def test_replacements_and_deletions_are_kept(db, reopen):
    things = db["things"]
    things.insert_many([{"_id": n, "even": n % 2 == 0} for n in range(6)])
    things.replace_one({"_id": 0}, {"replaced": True})
    things.replace_one({"_id": "fresh"}, {"replaced": "by upsert"}, upsert=True)
    things.delete_one({"_id": 1})
    things.delete_many({"even": True})

    again = reopen(db)["things"]
    assert sorted((doc["_id"] for doc in again.find({}, {"_id": 1})), key=str) == [0, 3, 5, "fresh"]
    assert again.find_one({"_id": 0}) == {"_id": 0, "replaced": True}
    assert again.find_one({"_id": "fresh"}) == {"_id": "fresh", "replaced": "by upsert"}


def test_find_one_and_variants_return_what_pymongo_returns_and_keep_their_change(db, reopen):
    queue = db["queue"]
    queue.insert_many([{"_id": "j1", "priority": 1, "state": "ready"}, {"_id": "j2", "priority": 9, "state": "ready"}])

    taken = queue.find_one_and_update(
        {"state": "ready"},
        {"$set": {"state": "taken"}},
        sort=[("priority", -1)],
        return_document=ReturnDocument.AFTER,
    )
    before = queue.find_one_and_update({"_id": "j1"}, {"$set": {"state": "taken"}}, projection={"state": 1})
    upserted = queue.find_one_and_update(
        {"_id": "j3"}, {"$set": {"state": "ready"}}, upsert=True, return_document=ReturnDocument.AFTER
    )
    nothing = queue.find_one_and_update({"_id": "none"}, {"$set": {"state": "x"}})
    replaced = queue.find_one_and_replace({"_id": "j1"}, {"state": "done"}, return_document=ReturnDocument.AFTER)
    removed = queue.find_one_and_delete({"state": "ready"})

    assert taken == {"_id": "j2", "priority": 9, "state": "taken"}
    assert before == {"_id": "j1", "state": "ready"}
    assert upserted == {"_id": "j3", "state": "ready"} == removed
    assert nothing is None
    assert replaced == {"_id": "j1", "state": "done"}
    again = reopen(db)["queue"]
    assert list(again.find({}).sort("_id", 1)) == [
        {"_id": "j1", "state": "done"},
        {"_id": "j2", "priority": 9, "state": "taken"},
    ]


def test_bulk_write_applies_every_request_and_keeps_them(db, reopen):
    things = db["things"]
    things.insert_many([{"_id": 1, "n": 1}, {"_id": 2, "n": 2}, {"_id": 3, "n": 3}])
    result = things.bulk_write(
        [
            InsertOne({"_id": 4, "n": 4}),
            UpdateOne({"_id": 1}, {"$inc": {"n": 10}}),
            UpdateMany({"n": {"$gte": 3}}, {"$set": {"big": True}}),
            ReplaceOne({"_id": 9}, {"n": 9}, upsert=True),
            DeleteOne({"_id": 2}),
            DeleteMany({"n": 11}),
        ]
    )

    assert (result.inserted_count, result.matched_count, result.modified_count) == (1, 4, 4)
    assert (result.upserted_ids, result.deleted_count) == ({3: 9}, 2)
    again = reopen(db)["things"]
    assert list(again.find().sort("_id", 1)) == [
        {"_id": 3, "n": 3, "big": True},
        {"_id": 4, "n": 4, "big": True},
        {"_id": 9, "n": 9},
    ]


def test_writes_that_fail_halfway_keep_what_they_did(db, reopen):
    inbox = db["inbox"]
    inbox.insert_one({"_id": "seen"})
    with pytest.raises(BulkWriteError):
        inbox.insert_many([{"_id": "new-1"}, {"_id": "seen"}, {"_id": "new-2"}], ordered=False)
    with pytest.raises(BulkWriteError) as raised:
        inbox.bulk_write([InsertOne({"_id": "new-3"}), InsertOne({"_id": "seen"}), InsertOne({"_id": "never"})])

    assert raised.value.details["nInserted"] == 1 and raised.value.details["writeErrors"][0]["index"] == 1
    again = reopen(db)["inbox"]
    assert sorted(doc["_id"] for doc in again.find()) == ["new-1", "new-2", "new-3", "seen"]


def test_drop_removes_the_collection_from_the_file(db, reopen):
    db["gone"].insert_one({"_id": 1})
    db["gone"].create_index("x")
    db["kept"].insert_one({"_id": 1})
    db["gone"].drop()

    again = reopen(db)
    assert again.list_collection_names() == ["kept"]
    assert again["gone"].count_documents({}) == 0 and "x_1" not in again["gone"].index_information()


def test_datetimes_come_back_timezone_aware_and_equal(db, reopen):
    moment = datetime(2026, 11, 23, 10, 30, 15, 123000, tzinfo=UTC)
    db["c"].insert_one({"_id": 1, "at": moment, "history": [{"at": moment + timedelta(hours=1)}]})

    again = reopen(db)["c"]
    found = again.find_one({"_id": 1})
    assert found["at"] == moment and found["at"].utcoffset() == timedelta(0)
    assert found["history"][0]["at"] == moment + timedelta(hours=1)
    assert again.count_documents({"at": {"$gte": moment}}) == 1


def test_indexes_are_kept_and_a_unique_one_is_still_enforced(db, reopen):
    keys = db["keys"]
    keys.create_index("key_hash", unique=True)
    keys.create_index([("division", 1), ("at", -1)], name="by_division")
    keys.insert_one({"_id": "k1", "key_hash": "h1"})

    again = reopen(db)
    with pytest.raises(DuplicateKeyError):
        again["keys"].insert_one({"_id": "k2", "key_hash": "h1"})
    assert again["keys"].index_information()["by_division"]["key"] == [("division", 1), ("at", -1)]
    # the stores declare their indexes again at each start: the same definitions are accepted
    again["keys"].create_index("key_hash", unique=True)
    again["keys"].drop_index("by_division")
    assert sorted(reopen(again)["keys"].index_information()) == ["_id_", "key_hash_1"]


def test_a_ttl_index_deletes_expired_documents_from_memory_and_file(db, reopen, monkeypatch):
    records = db["idempotency"]
    now = datetime.now(UTC)
    records.insert_many([{"_id": "old", "created_at": now - timedelta(days=2)}, {"_id": "new", "created_at": now}])
    records.create_index("created_at", expireAfterSeconds=24 * 3600)

    assert records.find_one({"_id": "old"}) is None and set(in_file(db, "idempotency")) == {"new"}

    # like MongoDB's TTL monitor, not at every read: expired records go at the next pass
    records.insert_one({"_id": "late", "created_at": now - timedelta(days=3)})
    assert records.find_one({"_id": "late"}) is not None
    later = mirrored.time.monotonic() + mirrored.TTL_MONITOR_SECONDS + 1
    monkeypatch.setattr(mirrored.time, "monotonic", lambda: later)
    assert records.find_one({"_id": "late"}) is None and set(in_file(db, "idempotency")) == {"new"}


def test_expired_documents_in_the_file_go_at_the_first_use_after_opening(db, reopen):
    now = datetime.now(UTC)
    db["idempotency"].create_index("created_at", expireAfterSeconds=60)
    db.file.write("idempotency", [{"_id": "stale", "created_at": now - timedelta(minutes=5)}], [])

    again = reopen(db)
    assert again["idempotency"].count_documents({}) == 0
    assert in_file(again, "idempotency") == {}


def test_methods_outside_the_mirrored_api_do_not_exist(db):
    things = db["things"]
    for name in ("rename", "insert", "update", "save", "find_and_modify", "watch", "with_options"):
        with pytest.raises(AttributeError):
            getattr(things, name)
    with pytest.raises(NotImplementedError):
        things.aggregate([{"$match": {}}, {"$out": "elsewhere"}])


def test_drop_database_empties_its_file(db, reopen):
    db["a"].insert_one({"_id": 1})
    db["b"].create_index("x")
    db.client.drop_database("t")

    again = reopen(db)
    assert again.list_collection_names() == [] and in_file(again, "a") == {}
