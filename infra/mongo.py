"""Opening a service's own database: a real MongoDB when `MONGO_URL` is set, the embedded store otherwise."""

import logging
import re
from pathlib import Path

from pymongo import MongoClient

from contracts.vocabulary import division_prefix
from infra.embedded import EmbeddedClient

log = logging.getLogger(__name__)


def log_store(owner: str, mongo_url: str | None, data_dir: Path) -> None:
    if mongo_url:
        log.info(
            "%s 的数据保存在 MONGO_URL 指定的 MongoDB / %s keeps its data in the MongoDB at MONGO_URL", owner, owner
        )
    else:
        log.info(
            "%s 的数据保存在嵌入式存储 %s / %s keeps its data in the embedded store under %s",
            owner,
            data_dir,
            owner,
            data_dir,
        )


def open_client(mongo_url: str | None, data_dir: Path, owner: str) -> MongoClient | EmbeddedClient:
    """A write returns once a majority of the replica set has it in its journal (`w="majority", j=true`)."""
    log_store(owner, mongo_url, data_dir)
    if mongo_url:
        return MongoClient(mongo_url, w="majority", journal=True, tz_aware=True)
    return EmbeddedClient(data_dir)


def division_prefix_filter(prefix: str) -> dict:
    """Matches a division code and every code below it; an anchored prefix uses the index."""
    return {"$regex": "^" + re.escape(division_prefix(prefix))}
