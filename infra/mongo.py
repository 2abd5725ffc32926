"""Opening a service's own database: a real MongoDB when `MONGO_URL` is set, mongomock otherwise."""

import logging
import re

import mongomock
from pymongo import MongoClient

log = logging.getLogger(__name__)


def open_client(mongo_url: str | None, owner: str):
    if mongo_url:
        return MongoClient(mongo_url, tz_aware=True)
    log.warning(
        "MONGO_URL 未设置：%s 的数据保存在内存中（mongomock），进程退出即丢失 / "
        "MONGO_URL is not set: %s keeps its data in memory and loses it on exit",
        owner,
        owner,
    )
    return mongomock.MongoClient(tz_aware=True)


def division_prefix_filter(prefix: str) -> dict:
    """Matches a division code and every code below it; an anchored prefix uses the index."""
    return {"$regex": "^" + re.escape(prefix)}
