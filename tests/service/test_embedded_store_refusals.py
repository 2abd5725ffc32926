"""What the embedded store refuses: files it cannot vouch for (left byte for byte as they were) and
writes SQLite cannot make (undone in memory too)."""

import re
import sqlite3
from datetime import UTC, datetime, timedelta

import bson
import pytest

from contracts.errors import ErrorCode, ServiceError
from infra.embedded import EmbeddedClient, EmbeddedStoreError, StoreUnavailable
from infra.embedded import collection as mirrored
from infra.embedded.document_file import FORMAT_VERSION


def refusal(data_dir) -> str:
    with pytest.raises(EmbeddedStoreError) as raised:
        EmbeddedClient(data_dir)["t"]
    message = str(raised.value)
    assert re.match(r"[\u4e00-\u9fff]", message), "Chinese first"
    assert re.search(r"\([A-Za-z].*\)$", message), "then English"
    return message


def make_store_file(data_dir, **pragmas) -> bytes:
    """A store file with one document, then changed through plain SQLite; returns its bytes."""
    client = EmbeddedClient(data_dir)
    client["t"]["c"].insert_one({"_id": 1})
    client.close()
    path = data_dir / "t.sqlite3"
    with sqlite3.connect(path) as connection:
        for name, value in pragmas.items():
            connection.execute(f"PRAGMA {name}={value}")
    connection.close()
    return path.read_bytes()


def test_a_data_directory_that_cannot_be_created_is_refused(tmp_path):
    occupied = tmp_path / "data"
    occupied.write_bytes(b"a regular file where the directory should be")

    for data_dir in (occupied, occupied / "below"):
        assert str(data_dir) in refusal(data_dir)
    assert occupied.read_bytes() == b"a regular file where the directory should be"


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path):
    garbage = b"\x00\xffnot a database at all" * 300
    (tmp_path / "t.sqlite3").write_bytes(garbage)

    message = refusal(tmp_path)
    assert str(tmp_path / "t.sqlite3") in message and "not a SQLite database" in message
    assert (tmp_path / "t.sqlite3").read_bytes() == garbage
    assert sorted(path.name for path in tmp_path.iterdir()) == ["t.sqlite3", "t.sqlite3.lock"]


def test_a_damaged_store_file_is_refused_and_left_alone(tmp_path):
    client = EmbeddedClient(tmp_path)
    client["t"]["c"].insert_many([{"_id": n, "text": "x" * 500} for n in range(200)])
    client.close()
    path = tmp_path / "t.sqlite3"
    damaged = bytearray(path.read_bytes())
    page_size = int.from_bytes(damaged[16:18], "big")
    damaged[page_size : 2 * page_size] = b"\xa5" * page_size  # page 2: the root of the documents' B-tree
    path.write_bytes(bytes(damaged))

    assert "corrupt" in refusal(tmp_path)
    assert path.read_bytes() == bytes(damaged)


def test_a_file_of_a_newer_format_is_refused_and_left_alone(tmp_path):
    before = make_store_file(tmp_path, user_version=FORMAT_VERSION + 1)

    assert "newer" in refusal(tmp_path)
    assert (tmp_path / "t.sqlite3").read_bytes() == before


def test_a_file_of_another_application_is_refused_and_left_alone(tmp_path):
    before = make_store_file(tmp_path, application_id=1234)
    assert "another application" in refusal(tmp_path)
    assert (tmp_path / "t.sqlite3").read_bytes() == before

    other = tmp_path / "other"
    other.mkdir()
    with sqlite3.connect(other / "t.sqlite3") as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")
    connection.close()
    plain_sqlite = (other / "t.sqlite3").read_bytes()
    assert "another application" in refusal(other)
    assert (other / "t.sqlite3").read_bytes() == plain_sqlite


def test_a_directory_in_use_is_refused_until_it_is_released(tmp_path):
    first = EmbeddedClient(tmp_path)
    first["t"]["c"].insert_one({"_id": 1})
    before = (tmp_path / "t.sqlite3").read_bytes()

    assert "in use" in refusal(tmp_path)
    assert (tmp_path / "t.sqlite3").read_bytes() == before
    first["t"]["c"].insert_one({"_id": 2})  # the first one is unharmed
    first.close()
    second = EmbeddedClient(tmp_path)
    assert second["t"]["c"].count_documents({}) == 2
    second.close()


@pytest.fixture
def full_disk_db(tmp_path):
    """A database whose file may not grow by one page: SQLite answers "database or disk is full"."""
    client = EmbeddedClient(tmp_path)
    db = client["t"]
    db["c"].insert_many([{"_id": "a", "n": 1, "tags": []}, {"_id": "b", "n": 2, "tags": []}])
    pages = db.file.connection.execute("PRAGMA page_count").fetchone()[0]
    db.file.connection.execute(f"PRAGMA max_page_count = {pages}")
    yield db
    client.close()


def file_documents(db) -> list[dict]:
    with sqlite3.connect(f"file:{db.file.path}?mode=ro", uri=True) as reader:
        rows = reader.execute("SELECT body FROM documents ORDER BY key").fetchall()
    return [bson.decode(body) for (body,) in rows]


@pytest.mark.parametrize(
    "write",
    [
        lambda c: c.insert_one({"_id": "c", "blob": "x" * 100_000}),
        lambda c: c.insert_many([{"_id": n, "blob": "x" * 10_000} for n in range(20)]),
        lambda c: c.update_one({"_id": "a"}, {"$set": {"blob": "x" * 100_000}, "$push": {"tags": "t"}}),
        lambda c: c.update_many({}, {"$set": {"blob": "x" * 50_000}, "$inc": {"n": 1}}),
        lambda c: c.replace_one({"_id": "b"}, {"blob": "x" * 100_000}),
        lambda c: c.find_one_and_update({"_id": "a"}, {"$set": {"blob": "x" * 100_000}}),
    ],
    ids=["insert_one", "insert_many", "update_one", "update_many", "replace_one", "find_one_and_update"],
)
def test_a_write_the_disk_refuses_is_store_unavailable_and_changes_nothing(full_disk_db, write):
    collection = full_disk_db["c"]
    documents = [{"_id": "a", "n": 1, "tags": []}, {"_id": "b", "n": 2, "tags": []}]

    with pytest.raises(StoreUnavailable) as raised:
        write(collection)

    assert isinstance(raised.value, ServiceError) and raised.value.code is ErrorCode.UNAVAILABLE
    assert "database or disk is full" in raised.value.detail
    assert list(collection.find().sort("_id", 1)) == documents
    assert file_documents(full_disk_db) == documents
    full_disk_db.file.connection.execute("PRAGMA max_page_count = 1073741823")  # space again
    write(collection)
    assert file_documents(full_disk_db) == list(collection.find().sort("_id", 1))


def test_index_changes_and_drops_the_file_refuses_change_nothing(tmp_path):
    client = EmbeddedClient(tmp_path)
    db = client["t"]
    db["c"].insert_one({"_id": 1, "at": datetime.now(UTC) - timedelta(days=2)})
    db["c"].create_index("kept")
    db.file.connection.execute("PRAGMA query_only = ON")  # SQLite now refuses every write

    with pytest.raises(StoreUnavailable):
        db["c"].create_index("new")
    with pytest.raises(StoreUnavailable):
        db["c"].drop_index("kept_1")
    with pytest.raises(StoreUnavailable):
        db["c"].drop()
    assert sorted(db["c"].index_information()) == ["_id_", "kept_1"]
    assert db["c"].count_documents({}) == 1
    client.close()
    assert sorted(EmbeddedClient(tmp_path)["t"]["c"].index_information()) == ["_id_", "kept_1"]


def test_a_ttl_purge_the_file_refuses_leaves_reads_working(tmp_path, monkeypatch, caplog):
    client = EmbeddedClient(tmp_path)
    records = client["t"]["records"]
    records.create_index("at", expireAfterSeconds=3600)
    records.insert_one({"_id": "old", "at": datetime.now(UTC) - timedelta(days=2)})
    client["t"].file.connection.execute("PRAGMA query_only = ON")
    later = mirrored.time.monotonic() + mirrored.TTL_MONITOR_SECONDS + 1
    monkeypatch.setattr(mirrored.time, "monotonic", lambda: later)

    assert records.find_one({"_id": "old"}) is not None  # the purge failed, the read did not
    assert "expired documents not deleted" in caplog.text
    client.close()
