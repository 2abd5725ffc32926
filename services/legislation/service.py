"""legislation: drafts, consultation tasks and comments (基层立法联系点).

Each capability's entrypoints live in its own package and are mixed in here.
"""

from infra.nameko_dependencies import StoreProvider
from infra.nameko_service import StoredService
from services.legislation.comments.entrypoints import CommentEntrypoints
from services.legislation.directory.entrypoints import DirectoryEntrypoints
from services.legislation.drafts.entrypoints import DraftEntrypoints
from services.legislation.store import LegislationStore
from services.legislation.tasks.entrypoints import TaskEntrypoints


class LegislationService(
    DirectoryEntrypoints,
    DraftEntrypoints,
    TaskEntrypoints,
    CommentEntrypoints,
    StoredService,
):
    name = "legislation"

    store: LegislationStore = StoreProvider(LegislationStore, "legislation")
