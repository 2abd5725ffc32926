"""The SQLite file that keeps one embedded database on disk: `DATA_DIR/<database>.sqlite3`.

Documents are stored whole, as BSON, keyed by the BSON of `{"_id": value}` so that any _id type
comes back exactly; index definitions are kept beside them. The file is in WAL mode with
`synchronous=NORMAL`: a committed write survives any crash of the process, kill -9 included; a
power loss or an operating-system crash may lose the last commits before the next checkpoint
(never the file's consistency).

A file this code cannot vouch for is refused with `EmbeddedStoreError`, and nothing is overwritten
or recreated: an unusable data directory, a file that is not SQLite or is damaged, a file of
another application or of a newer format, a file another process has open. Each open file holds
an exclusive `flock` on `<file>.lock` until it is closed (the kernel releases it if the process
dies). A write SQLite refuses (disk full, I/O error) raises `StoreUnavailable` with nothing written.
"""

import fcntl
import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import bson
from bson.codec_options import CodecOptions

from contracts.errors import StoreUnavailable

log = logging.getLogger(__name__)

APPLICATION_ID = 0x52444D51  # "RDMQ": 人大民情
FORMAT_VERSION = 1
# A WITHOUT ROWID table keeps a row in its page only up to about a quarter of the page; the rest
# spills into an overflow page of its own. With SQLite's default 4 kB pages a 1 kB opinion took
# 4.4 kB of file; with 16 kB pages documents up to about 4 kB stay in place (1.2x).
PAGE_SIZE = 16384
# mongomock holds datetimes as naive UTC; decoding them naive gives back exactly what it held
# (the client's tz_aware=True makes them aware on the way out)
CODEC = CodecOptions(tz_aware=False)
SCHEMA = (
    "CREATE TABLE documents (collection TEXT NOT NULL, key BLOB NOT NULL, body BLOB NOT NULL,"
    " PRIMARY KEY (collection, key)) WITHOUT ROWID",
    "CREATE TABLE indexes (collection TEXT NOT NULL, name TEXT NOT NULL, spec BLOB NOT NULL,"
    " PRIMARY KEY (collection, name)) WITHOUT ROWID",
)


class EmbeddedStoreError(Exception):
    """The embedded store refuses to open a data directory or file; nothing was changed."""


def encode_key(doc_id: Any) -> bytes:
    return bson.encode({"_id": doc_id})


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def take_lock(path: Path) -> int:
    """Creates the data directory if needed and locks `<file>.lock` for this process."""
    directory = path.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise EmbeddedStoreError(
            f"无法创建数据目录 {directory}：{error} (cannot create the data directory {directory}: {error})"
        ) from error
    try:
        fd = os.open(lock_path(path), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as error:
        raise EmbeddedStoreError(
            f"数据目录不可写 {directory}：{error} (the data directory {directory} is not writable: {error})"
        ) from error
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as error:
        os.close(fd)
        raise EmbeddedStoreError(
            f"数据文件 {path} 正被另一个进程（或本进程的另一个客户端）使用 "
            f"(the data file {path} is in use by another process, or by another client in this process)"
        ) from error
    return fd


def open_checked(path: Path) -> sqlite3.Connection:
    """Connects to `path` after checking it is ours (or new); only then switches it to WAL."""
    try:
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as error:
        raise EmbeddedStoreError(
            f"无法打开数据文件 {path}：{error} (cannot open the data file {path}: {error})"
        ) from error
    try:
        application_id = connection.execute("PRAGMA application_id").fetchone()[0]
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        check = connection.execute("PRAGMA quick_check").fetchall()
        has_tables = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
    except sqlite3.Error as error:
        connection.close()
        raise EmbeddedStoreError(
            f"数据文件 {path} 不是 SQLite 数据库或已损坏：{error} (the data file {path} is not a SQLite database "
            f"or is corrupt: {error})"
        ) from error
    refusal = None
    if check != [("ok",)]:
        problems = "; ".join(row[0] for row in check[:3])
        refusal = f"数据文件 {path} 已损坏 (the data file {path} is corrupt: {problems})"
    elif application_id != APPLICATION_ID and (application_id != 0 or has_tables):
        refusal = f"数据文件 {path} 属于其他应用 (the data file {path} belongs to another application)"
    elif version > FORMAT_VERSION:
        refusal = (
            f"数据文件 {path} 的格式版本 {version} 比本程序新 (the data file {path} has format version {version}, "
            f"newer than this program's {FORMAT_VERSION})"
        )
    if refusal:
        connection.close()
        raise EmbeddedStoreError(refusal)
    try:
        if application_id == 0:
            connection.execute(f"PRAGMA page_size={PAGE_SIZE}")  # before anything fixes it
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        if application_id == 0:
            connection.execute("BEGIN IMMEDIATE")
            for statement in SCHEMA:
                connection.execute(statement)
            connection.execute(f"PRAGMA application_id={APPLICATION_ID}")
            connection.execute(f"PRAGMA user_version={FORMAT_VERSION}")
            connection.execute("COMMIT")
    except sqlite3.Error as error:
        connection.close()
        raise EmbeddedStoreError(
            f"无法初始化数据文件 {path}：{error} (cannot initialise the data file {path}: {error})"
        ) from error
    return connection


class DocumentFile:
    """One database's file: loaded whole at start, then written one transaction per store write."""

    def __init__(self, path: Path):
        self.path = path
        self._lock_fd = take_lock(path)
        try:
            self.connection: sqlite3.Connection | None = open_checked(path)
        except BaseException:
            self._release_lock()
            raise

    def documents(self) -> Iterator[tuple[str, dict]]:
        for collection, body in self.connection.execute("SELECT collection, body FROM documents"):
            yield collection, bson.decode(body, codec_options=CODEC)

    def indexes(self) -> Iterator[tuple[str, str, dict]]:
        for collection, name, spec in self.connection.execute("SELECT collection, name, spec FROM indexes"):
            spec = bson.decode(spec, codec_options=CODEC)
            spec["key"] = [tuple(part) for part in spec["key"]]
            yield collection, name, spec

    def write(self, collection: str, documents: list[dict], deleted_ids: list) -> None:
        """Stores these whole documents and deletes those ids, in one transaction."""
        rows = [(collection, encode_key(doc["_id"]), bson.encode(doc)) for doc in documents]
        keys = [(collection, encode_key(doc_id)) for doc_id in deleted_ids]
        with self._transaction():
            self.connection.executemany("INSERT OR REPLACE INTO documents VALUES (?, ?, ?)", rows)
            self.connection.executemany("DELETE FROM documents WHERE collection = ? AND key = ?", keys)

    def write_indexes(self, collection: str, saved: dict[str, dict], dropped: list[str]) -> None:
        rows = [(collection, name, bson.encode(spec)) for name, spec in saved.items()]
        with self._transaction():
            self.connection.executemany("INSERT OR REPLACE INTO indexes VALUES (?, ?, ?)", rows)
            self.connection.executemany(
                "DELETE FROM indexes WHERE collection = ? AND name = ?", [(collection, name) for name in dropped]
            )

    def drop_collection(self, collection: str) -> None:
        with self._transaction():
            self.connection.execute("DELETE FROM documents WHERE collection = ?", (collection,))
            self.connection.execute("DELETE FROM indexes WHERE collection = ?", (collection,))

    @contextmanager
    def _transaction(self):
        if self.connection is None:
            raise StoreUnavailable("数据文件已关闭 / the data file is closed")
        try:
            self.connection.execute("BEGIN IMMEDIATE")
            yield
            self.connection.execute("COMMIT")
        except BaseException as error:
            if self.connection.in_transaction:
                with suppress(sqlite3.Error):
                    self.connection.execute("ROLLBACK")
            if isinstance(error, sqlite3.Error):
                raise StoreUnavailable(str(error)) from error
            raise

    def log_refused(self, error: StoreUnavailable) -> None:
        """Logged by the caller once memory is restored: logging may switch green threads."""
        log.error("写入 %s 失败，已撤销 / writing %s failed, undone: %s", self.path, self.path, error.detail)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None
        self._release_lock()

    def _release_lock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing the descriptor releases the flock
            self._lock_fd = None
