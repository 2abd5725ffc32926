"""The gateway's own database: PyMongo's AsyncMongoClient, or mongomock behind the same awaitables.

Only the handful of collection methods the gateway's stores use are wrapped; mongomock is in
memory, so calling it directly inside a coroutine does not block on I/O.
"""

import logging

import mongomock
from pymongo import AsyncMongoClient

log = logging.getLogger(__name__)


class MockAsyncCollection:
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


class GatewayDatabase:
    def __init__(self, mongo_url: str | None):
        self._is_async = bool(mongo_url)
        if mongo_url:
            self._client = AsyncMongoClient(mongo_url, tz_aware=True)
            self._db = self._client["gateway"]
            self._wrap = lambda collection: collection
        else:
            log.warning(
                "MONGO_URL 未设置：gateway 的数据保存在内存中 / MONGO_URL is not set: gateway data lives in memory"
            )
            self._client = mongomock.MongoClient(tz_aware=True)
            self._db = self._client["gateway"]
            self._wrap = MockAsyncCollection

    def collection(self, name: str):
        return self._wrap(self._db[name])

    async def close(self) -> None:
        if self._is_async:
            await self._client.close()
        else:
            self._client.close()
