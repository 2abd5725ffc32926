"""A photo's bytes in GridFS's layout: `photos.files` (one document per photo, its `metadata` ours)
and `photos.chunks` (255 KiB pieces, `files_id` and `n`).

On a real MongoDB (`MONGO_URL`) pymongo's own `GridFSBucket` does it. The embedded store cannot use
it (it wants a pymongo `Database`; mongomock's `enable_gridfs_integration` patches it for a bare
mongomock database only, whose writes would bypass the SQLite file), so `EmbeddedGridFS` writes the
same layout itself, through the mirrored collections (pymongo's GridFS could read what it writes;
it names its chunks `<file id>.<n>` rather than GridFS's ObjectIds, to find each by `_id`).
"""

from bson import Binary
from gridfs import GridFSBucket
from gridfs.errors import NoFile
from pymongo.database import Database

from infra.clock import utc_now

BUCKET = "photos"
CHUNK_BYTES = 255 * 1024  # GridFS's default


class GridFSFiles:
    """pymongo's GridFS, on a real MongoDB."""

    def __init__(self, db: Database):
        self.files = db[f"{BUCKET}.files"]
        self.chunks = db[f"{BUCKET}.chunks"]
        self.bucket = GridFSBucket(db, bucket_name=BUCKET, chunk_size_bytes=CHUNK_BYTES)

    def put(self, file_id: str, data: bytes, metadata: dict) -> None:
        self.bucket.upload_from_stream_with_id(file_id, file_id, data, metadata=metadata)

    def read(self, file_id: str) -> bytes | None:
        try:
            return self.bucket.open_download_stream(file_id).read()
        except NoFile:
            return None

    def delete(self, file_id: str, condition: dict) -> bool:
        """Deletes the photo if it still meets `condition`: the file document first, then its chunks."""
        if self.files.find_one_and_delete({"_id": file_id, **condition}, {"_id": 1}) is None:
            return False
        self.chunks.delete_many({"files_id": file_id})
        return True


class EmbeddedGridFS:
    """The GridFS layout written by hand on the embedded store, whose writes all reach its file.

    Chunks are named `<file id>.<n>`, so each is found by its `_id` (the embedded store looks those
    up directly rather than scanning). Chunks are written before the file document and deleted
    after it, as GridFS does: a photo is visible only once whole.
    """

    def __init__(self, db):
        self.files = db[f"{BUCKET}.files"]
        self.chunks = db[f"{BUCKET}.chunks"]

    @staticmethod
    def chunk_id(file_id: str, n: int) -> str:
        return f"{file_id}.{n}"

    def put(self, file_id: str, data: bytes, metadata: dict) -> None:
        pieces = [data[start : start + CHUNK_BYTES] for start in range(0, len(data), CHUNK_BYTES)]
        chunks = [
            {"_id": self.chunk_id(file_id, n), "files_id": file_id, "n": n, "data": Binary(piece)}
            for n, piece in enumerate(pieces)
        ]
        if chunks:
            self.chunks.insert_many(chunks)
        self.files.insert_one(
            {
                "_id": file_id,
                "filename": file_id,
                "length": len(data),
                "chunkSize": CHUNK_BYTES,
                "uploadDate": utc_now(),
                "metadata": metadata,
            }
        )

    def read(self, file_id: str) -> bytes | None:
        file = self.files.find_one({"_id": file_id})
        if file is None:
            return None
        count = -(-file["length"] // file["chunkSize"])
        pieces = [self.chunks.find_one({"_id": self.chunk_id(file_id, n)}) for n in range(count)]
        if any(piece is None for piece in pieces):
            return None  # a write a crash cut short: not a photo
        return b"".join(bytes(piece["data"]) for piece in pieces)

    def delete(self, file_id: str, condition: dict) -> bool:
        """Deletes the photo if it still meets `condition`: the file document first, then its chunks."""
        file = self.files.find_one_and_delete({"_id": file_id, **condition})
        if file is None:
            return False
        for n in range(-(-file["length"] // file["chunkSize"])):
            self.chunks.delete_one({"_id": self.chunk_id(file_id, n)})
        return True


def files_for(db) -> GridFSFiles | EmbeddedGridFS:
    return GridFSFiles(db) if isinstance(db, Database) else EmbeddedGridFS(db)
