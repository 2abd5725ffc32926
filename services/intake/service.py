"""intake: stores citizens' opinions, emits `opinion.received`, answers tracking-code lookups."""

from contracts.actor import Actor
from contracts.errors import parse
from contracts.intake.categories import CategoriesIn
from contracts.intake.opinions import EraseContactIn, SubmitOpinion
from contracts.routing import (
    CaseAccepted,
    CaseAssigned,
    CaseClosed,
    CaseEscalated,
    CaseExtensionDecided,
    CaseMerged,
    CasePaused,
    CaseReopened,
    CaseReplied,
    CaseResumed,
    CaseReturned,
)
from contracts.supervision import EvaluationRecorded
from infra.clock import utc_now
from infra.logs import correlation_id
from infra.nameko_dependencies import Cipher, StoreProvider
from infra.nameko_entrypoints import command_handler, event_handler, rpc
from infra.nameko_service import StoredService
from services.intake import handlers, opinion
from services.intake.directory.entrypoints import DirectoryEntrypoints
from services.intake.evaluation_codes.entrypoints import EvaluationCodeEntrypoints
from services.intake.grouping import follow
from services.intake.grouping.entrypoints import GroupingEntrypoints
from services.intake.imports.entrypoints import ImportEntrypoints
from services.intake.listing.entrypoints import ListingEntrypoints
from services.intake.notice_contact.entrypoints import NoticeContactEntrypoints
from services.intake.photos.entrypoints import PhotoEntrypoints
from services.intake.receptions.entrypoints import ReceptionEntrypoints
from services.intake.store import IntakeStore
from services.intake.suggestions.entrypoints import SuggestionEntrypoints
from services.intake.views import public_view


class IntakeService(
    DirectoryEntrypoints,
    ReceptionEntrypoints,
    SuggestionEntrypoints,
    PhotoEntrypoints,
    GroupingEntrypoints,
    ImportEntrypoints,
    ListingEntrypoints,
    EvaluationCodeEntrypoints,
    NoticeContactEntrypoints,
    StoredService,
):
    """Opinions here; each other capability's entrypoints live in its own package and are mixed in."""

    name = "intake"

    store: IntakeStore = StoreProvider(IntakeStore, "intake")
    cipher = Cipher()

    @command_handler(SubmitOpinion)
    def submit_opinion(self, body):
        envelope, command = SubmitOpinion.from_wire(body)
        handlers.receive_opinion(self.store, command, envelope)

    @event_handler(CaseAssigned)
    def on_case_assigned(self, body):
        envelope, event = CaseAssigned.from_wire(body)
        handlers.apply_case_assigned(self.store, event, envelope)

    @event_handler(CaseAccepted)
    def on_case_accepted(self, body):
        envelope, event = CaseAccepted.from_wire(body)
        handlers.apply_case_accepted(self.store, event, envelope)

    @event_handler(CaseReturned)
    def on_case_returned(self, body):
        envelope, event = CaseReturned.from_wire(body)
        handlers.apply_case_event(self.store, event, envelope, opinion.returned)

    @event_handler(CaseReplied)
    def on_case_replied(self, body):
        envelope, event = CaseReplied.from_wire(body)
        handlers.apply_case_event(self.store, event, envelope, opinion.replied)

    @event_handler(CasePaused)
    def on_case_paused(self, body):
        envelope, event = CasePaused.from_wire(body)
        handlers.apply_case_event(self.store, event, envelope, opinion.paused)

    @event_handler(CaseResumed)
    def on_case_resumed(self, body):
        envelope, event = CaseResumed.from_wire(body)
        handlers.apply_case_event(self.store, event, envelope, opinion.resumed)

    @event_handler(CaseExtensionDecided)
    def on_case_extension_decided(self, body):
        envelope, event = CaseExtensionDecided.from_wire(body)
        handlers.apply_case_event(self.store, event, envelope, opinion.extension_decided)

    @event_handler(CaseReopened)
    def on_case_reopened(self, body):
        envelope, event = CaseReopened.from_wire(body)
        handlers.apply_case_event(self.store, event, envelope, opinion.reopened)

    @event_handler(CaseEscalated)
    def on_case_escalated(self, body):
        envelope, event = CaseEscalated.from_wire(body)
        handlers.apply_case_event(self.store, event, envelope, opinion.escalated)

    @event_handler(CaseClosed)
    def on_case_closed(self, body):
        envelope, event = CaseClosed.from_wire(body)
        handlers.apply_case_event(self.store, event, envelope, opinion.closed)

    @event_handler(CaseMerged)
    def on_case_merged(self, body):
        envelope, event = CaseMerged.from_wire(body)
        if not handlers.suggestions.is_suggestion(event.case_id):
            follow.apply_case_merged(self.store, event, envelope)

    @rpc
    def public_view(self, tracking_code: str) -> dict:
        return public_view(handlers.find_opinion(self.store, tracking_code)).model_dump(mode="json")

    @rpc
    def staff_view(self, tracking_code: str, actor: dict) -> dict:
        view = handlers.staff_view_of(self.store, self.cipher, tracking_code, parse(Actor, actor))
        return view.model_dump(mode="json")

    @rpc
    def submit_staff_opinion(self, command: dict, actor: dict) -> dict:
        command, actor = parse(SubmitOpinion, command), parse(Actor, actor)
        return handlers.receive_staff_opinion(self.store, command, actor, correlation_id.get()).model_dump(mode="json")

    @rpc
    def erase_contact(self, tracking_code: str, erasure: dict) -> dict:
        last_four = parse(EraseContactIn, erasure).phone_last_four
        view = handlers.erase_contact(
            self.store, self.cipher, tracking_code, last_four, utc_now(), correlation_id.get()
        )
        return view.model_dump(mode="json")

    @event_handler(EvaluationRecorded)
    def on_evaluation_recorded(self, body):
        envelope, event = EvaluationRecorded.from_wire(body)
        handlers.apply_evaluation(self.store, event, envelope)

    @rpc
    def reencrypt_contacts(self, batch: int = 200) -> dict:
        return handlers.reencrypt_contacts(self.store, self.cipher, batch).model_dump(mode="json")

    @rpc
    def unknown_photos(self, photo_ids: list[str]) -> list[str]:
        """The ids among `photo_ids` that no upload has, or that another item has already taken."""
        return self.store.photos.unavailable(photo_ids)

    @rpc
    def categories(self, division: str) -> dict:
        return handlers.category_list(self.store, division).model_dump(mode="json")

    @rpc
    def set_categories(self, division: str, categories: dict) -> dict:
        names = parse(CategoriesIn, categories).names
        return handlers.set_categories(self.store, division, names).model_dump(mode="json")
