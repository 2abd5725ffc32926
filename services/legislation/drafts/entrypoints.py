"""Drafts' RPCs and the window timer, mixed into LegislationService."""

from contracts.actor import Actor
from contracts.errors import parse
from contracts.legislation.drafts import CloseDraftIn, DraftIn, DraftStatus
from infra.clock import utc_now
from infra.nameko_entrypoints import rpc, settings_timer
from services.legislation.aggregates.handlers import counted_summary, counted_view
from services.legislation.drafts import handlers
from services.legislation.drafts.versions import all_versions


class DraftEntrypoints:
    @rpc
    def create_draft(self, draft: dict, actor: dict) -> dict:
        now = utc_now()
        created = handlers.create_draft(self.store, parse(DraftIn, draft), parse(Actor, actor), now)
        return created.view(now).model_dump(mode="json")

    @rpc
    def close_draft(self, draft_id: str, close: dict, actor: dict) -> dict:
        now, reason = utc_now(), parse(CloseDraftIn, close).reason
        return (
            handlers.close_draft(self.store, draft_id, reason, parse(Actor, actor), now)
            .view(now)
            .model_dump(mode="json")
        )

    @rpc
    def draft(self, draft_id: str, actor: dict) -> dict:
        return handlers.staff_draft(self.store, draft_id, parse(Actor, actor)).view(utc_now()).model_dump(mode="json")

    @rpc
    def draft_versions(self, draft_id: str, actor: dict) -> list[dict]:
        now, draft = utc_now(), handlers.staff_draft(self.store, draft_id, parse(Actor, actor))
        return [version.summary(now).model_dump(mode="json") for version in all_versions(self.store, draft)]

    @rpc
    def drafts(
        self, division_prefix: str, status: str | None = None, limit: int = 50, after: str | None = None
    ) -> dict:
        now = utc_now()
        wanted = DraftStatus(status) if status else None
        page = self.store.drafts_in(division_prefix, wanted, now, limit, after)
        return page.map(lambda draft: draft.summary(now)).model_dump(mode="json")

    @rpc
    def public_drafts(self, division_prefix: str = "", limit: int = 50, after: str | None = None) -> dict:
        now = utc_now()
        page = self.store.drafts_in(division_prefix, DraftStatus.OPEN, now, limit, after)
        return page.map(lambda draft: counted_summary(self.store, draft.summary(now))).model_dump(mode="json")

    @rpc
    def public_draft(self, draft_id: str) -> dict:
        now = utc_now()
        view = handlers.public_draft(self.store, draft_id, now).view(now)
        return counted_view(self.store, view).model_dump(mode="json")

    @settings_timer("draft_window_seconds")
    def announce_draft_windows(self):
        """Opens and closes consultation windows on time (draft.opened / draft.closed)."""
        handlers.announce_windows(self.store, utc_now())
