"""The receptions RPCs, mixed into IntakeService."""

from contracts.actor import Actor
from contracts.errors import parse
from contracts.intake.receptions import AnnouncementIn, CancellationIn, HeldIn, ReceptionIn, StatusIn
from infra.clock import utc_now
from infra.nameko_entrypoints import rpc
from services.intake.receptions import handlers
from services.intake.receptions import session as rules


class ReceptionEntrypoints:
    @rpc
    def create_reception(self, reception: dict, actor: dict) -> dict:
        command, actor = parse(ReceptionIn, reception), parse(Actor, actor)
        view = handlers.create(self.store.receptions, self.store.directory.find, command, actor, utc_now())
        return view.model_dump(mode="json")

    @rpc
    def announce_reception(self, reception_id: str, announcement: dict, actor: dict) -> dict:
        reason, now = parse(AnnouncementIn, announcement).reason, utc_now()
        view = handlers.change(
            self.store.receptions, reception_id, parse(Actor, actor), lambda r: rules.announce(r, reason, now)
        )
        return view.model_dump(mode="json")

    @rpc
    def hold_reception(self, reception_id: str, report: dict, actor: dict) -> dict:
        visitors, now = parse(HeldIn, report).visitors, utc_now()
        view = handlers.change(
            self.store.receptions, reception_id, parse(Actor, actor), lambda r: rules.hold(r, visitors, now)
        )
        return view.model_dump(mode="json")

    @rpc
    def cancel_reception(self, reception_id: str, cancellation: dict, actor: dict) -> dict:
        reason, now = parse(CancellationIn, cancellation).reason, utc_now()
        view = handlers.change(
            self.store.receptions, reception_id, parse(Actor, actor), lambda r: rules.cancel(r, reason, now)
        )
        return view.model_dump(mode="json")

    @rpc
    def reception(self, reception_id: str) -> dict:
        return handlers.detail(self.store.receptions, self.store.opinions.get, reception_id).model_dump(mode="json")

    @rpc
    def receptions(self, division_prefix: str, status: str | None, limit: int, after: str | None = None) -> dict:
        page = handlers.staff_list(
            self.store.receptions, division_prefix, parse(StatusIn, {"status": status}).status, limit, after
        )
        return page.model_dump(mode="json")

    @rpc
    def public_receptions(self, division_prefix: str, limit: int, after: str | None = None) -> dict:
        page = handlers.public_list(self.store.receptions, division_prefix, utc_now(), limit, after)
        return page.model_dump(mode="json")
