"""The gateway's own database: PyMongo's AsyncMongoClient, or the embedded store behind the same awaitables.

Only the handful of collection methods the gateway's stores use are wrapped. The embedded store
answers from memory and commits each write to its SQLite file before returning (about 0.1 ms,
`make bench`); that short wait happens on the event loop, as mongomock's work did before.
"""

from pathlib import Path

from pymongo import AsyncMongoClient

from infra.embedded import EmbeddedClient
from infra.mongo import log_store

DATABASE = "gateway"


class AwaitableCollection:
    def __init__(self, collection):
        self._collection = collection

    async def find_one(self, *args, **kwargs):
        return self._collection.find_one(*args, **kwargs)

    async def insert_one(self, *args, **kwargs):
        return self._collection.insert_one(*args, **kwargs)

    async def update_one(self, *args, **kwargs):
        return self._collection.update_one(*args, **kwargs)

    async def delete_one(self, *args, **kwargs):
        return self._collection.delete_one(*args, **kwargs)

    async def replace_one(self, *args, **kwargs):
        return self._collection.replace_one(*args, **kwargs)

    async def create_index(self, *args, **kwargs):
        return self._collection.create_index(*args, **kwargs)

    def find(self, *args, **kwargs):
        return AwaitableCursor(self._collection.find(*args, **kwargs))


class AwaitableCursor:
    """The embedded store's cursor with PyMongo's async `to_list`."""

    def __init__(self, cursor):
        self._cursor = cursor

    def sort(self, *args, **kwargs):
        self._cursor = self._cursor.sort(*args, **kwargs)
        return self

    async def to_list(self, length: int | None = None):
        return list(self._cursor.limit(length or 0))


class GatewayDatabase:
    def __init__(self, mongo_url: str | None, data_dir: Path):
        log_store("gateway", mongo_url, data_dir)
        self._is_async = bool(mongo_url)
        if mongo_url:
            self._client = AsyncMongoClient(mongo_url, w="majority", journal=True, tz_aware=True)
            self._wrap = lambda collection: collection
        else:
            self._client = EmbeddedClient(data_dir)
            self._wrap = AwaitableCollection
        self._db = self._client[DATABASE]

    def collection(self, name: str):
        return self._wrap(self._db[name])

    async def close(self) -> None:
        if self._is_async:
            await self._client.close()
        else:
            self._client.close()
