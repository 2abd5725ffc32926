"""The photos' entrypoints, mixed into IntakeService: bytes over HTTP, everything else over RPC.

Why HTTP: a photo may have 10 MB, and the broker is no place for that (every RPC reply is one
AMQP message held whole in memory by RabbitMQ, the nameko worker and the gateway). Photos live in
intake's own database, which only the intake process opens (the embedded store locks its file),
so the gateway streams them to and from this process over plain HTTP on `WEB_SERVER_ADDRESS`,
after deciding itself who may upload or see what; the small facts it decides on (`photo`) come over
RPC like every other question to intake.

Decoding and re-encoding a photo takes a CPU for a fraction of a second (0.2 s for 12 megapixels),
so it runs in eventlet's thread pool (Pillow releases the GIL), not in the green thread, which would
stall every other worker of the service meanwhile.
"""

from datetime import timedelta

from eventlet import tpool
from eventlet.semaphore import Semaphore
from werkzeug.wrappers import Request, Response

from contracts.errors import ErrorCode, ServiceError
from contracts.intake.photos import MAX_PHOTO_BYTES, PHOTO_ID
from infra.clock import utc_now
from infra.nameko_entrypoints import rpc, settings_timer
from services.intake.photos.http import body_within, http, json_response
from services.intake.photos.image import clean_photo, too_large

UPLOADER_HEADER = "X-Uploaded-By"
# one photo cleaned at a time per process: intake has one core (deploy/k8s), so more at once would not
# go faster, only hold more pixels in memory (12 megapixels take about 60 MB at peak, 40 about 200 MB)
CLEANING = Semaphore(1)
UNATTACHED_FOR = timedelta(days=1)


def not_found(photo_id: str) -> ServiceError:
    return ServiceError(ErrorCode.NOT_FOUND, f"照片不存在 (no photo {photo_id})", "photo_id")


class PhotoEntrypoints:
    @http("POST", "/photos")
    def upload_photo(self, request: Request) -> Response:
        """The raw image as the body; `X-Uploaded-By` names the uploading key (or `public`). 201 with
        `PhotoUploaded`; 422 naming `file` for anything that is not a JPEG, PNG or WebP of 10 MB at most."""
        uploader = request.headers.get(UPLOADER_HEADER, "")
        if not 0 < len(uploader) <= 64:
            raise ServiceError(ErrorCode.INVALID, f"缺少 {UPLOADER_HEADER} (missing {UPLOADER_HEADER})", "uploaded_by")
        data = body_within(request, MAX_PHOTO_BYTES)
        if data is None:
            raise too_large()
        with CLEANING:
            photo = tpool.execute(clean_photo, data)
        uploaded = self.store.photos.save(photo, uploader, utc_now())
        return json_response(uploaded.model_dump(mode="json"), 201)

    @http("GET", "/photos/<photo_id>")
    def download_photo(self, request: Request, photo_id: str) -> Response:
        """The stored (cleaned) photo with its content type; the gateway decided who may have it."""
        info = self.store.photos.info(photo_id) if PHOTO_ID.match(photo_id) else None
        content = self.store.photos.content(photo_id) if info else None
        if content is None:
            raise not_found(photo_id)
        return Response(content, mimetype=info.content_type.value, headers={"Content-Length": str(len(content))})

    @rpc
    def photo(self, photo_id: str) -> dict:
        """What the gateway needs to decide who may see a photo: its item and division, or its uploader."""
        info = self.store.photos.info(photo_id) if PHOTO_ID.match(photo_id) else None
        if info is None:
            raise not_found(photo_id)
        return info.model_dump(mode="json")

    @settings_timer("photo_sweep_seconds")
    def sweep_photos(self):
        """Deletes uploads that no item took within a day (abandoned submissions)."""
        self.store.photos.sweep_unattached(utc_now() - UNATTACHED_FOR)
