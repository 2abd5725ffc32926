"""`EmbeddedClient(data_dir)`: the store every process uses when `MONGO_URL` is unset.

`client[name]` opens (and locks) `data_dir/<name>.sqlite3` the first time and loads it whole into
one mongomock client, straight into mongomock's store so that nothing is validated twice; its
collections are `MirroredCollection`s. A process opens only the databases it uses, so the
services can share one data directory, each locking its own file.
"""

import re
import threading
from pathlib import Path

import mongomock
from mongomock.store import ServerStore

from infra.embedded import mongomock_access as access
from infra.embedded.collection import MirroredCollection
from infra.embedded.document_file import DocumentFile, EmbeddedStoreError

DATABASE_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")


class EmbeddedDatabase:
    def __init__(self, client: "EmbeddedClient", name: str, mongo_db, file: DocumentFile):
        self.client = client
        self.name = name
        self.file = file
        self._mongo = mongo_db
        self._lock = threading.RLock()
        self._collections: dict[str, MirroredCollection] = {}

    def __repr__(self) -> str:
        return f"EmbeddedDatabase({self.file.path})"

    def __getitem__(self, name: str) -> MirroredCollection:
        return self.get_collection(name)

    def get_collection(self, name: str) -> MirroredCollection:
        if name not in self._collections:
            self._collections[name] = MirroredCollection(self._mongo[name], self.file, self._lock)
        return self._collections[name]

    def list_collection_names(self) -> list[str]:
        return self._mongo.list_collection_names()

    def drop_collection(self, name: str) -> None:
        self.get_collection(name).drop()


class EmbeddedClient:
    def __init__(self, data_dir: Path | str):
        self.data_dir = Path(data_dir)
        self._server = ServerStore()
        self._mongo = mongomock.MongoClient(_store=self._server, tz_aware=True)
        self._databases: dict[str, EmbeddedDatabase] = {}
        self._closed = False

    def __repr__(self) -> str:
        return f"EmbeddedClient({self.data_dir})"

    def __getitem__(self, name: str) -> EmbeddedDatabase:
        return self.get_database(name)

    def get_database(self, name: str) -> EmbeddedDatabase:
        if self._closed:
            raise EmbeddedStoreError(
                f"嵌入式存储已关闭 {self.data_dir} (the embedded store at {self.data_dir} is closed)"
            )
        if name not in self._databases:
            if not DATABASE_NAME.fullmatch(name):
                raise ValueError(f"database name must match {DATABASE_NAME.pattern}: {name!r}")
            file = DocumentFile(self.data_dir / f"{name}.sqlite3")
            try:
                self._load(self._server[name], file)
            except BaseException:
                file.close()
                raise
            self._databases[name] = EmbeddedDatabase(self, name, self._mongo[name], file)
        return self._databases[name]

    @staticmethod
    def _load(database_store, file: DocumentFile) -> None:
        for collection, name, spec in file.indexes():
            access.index_definitions(database_store[collection])[name] = spec
        for collection, document in file.documents():
            access.put_document(database_store[collection], access.store_key(document["_id"]), document)

    def drop_database(self, name: str) -> None:
        database = self.get_database(name)
        for collection in database.list_collection_names():
            database.drop_collection(collection)

    def close(self) -> None:
        """Closes every file and releases its lock; idempotent."""
        self._closed = True
        for database in self._databases.values():
            database.file.close()
        self._databases.clear()
