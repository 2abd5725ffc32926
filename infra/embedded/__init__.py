"""The embedded document store: mongomock for queries, every write mirrored into SQLite on disk."""

from contracts.errors import StoreUnavailable
from infra.embedded.client import EmbeddedClient, EmbeddedDatabase
from infra.embedded.collection import MirroredCollection
from infra.embedded.document_file import EmbeddedStoreError

__all__ = ["EmbeddedClient", "EmbeddedDatabase", "EmbeddedStoreError", "MirroredCollection", "StoreUnavailable"]
