"""The suggestions RPCs, mixed into IntakeService: parse, call the use case, dump the view."""

from contracts.actor import Actor
from contracts.errors import ErrorCode, ServiceError, parse
from contracts.intake.suggestions import (
    EditSuggestionIn,
    FileSuggestionIn,
    MergeSuggestionsIn,
    ReturnSuggestionIn,
    SuggestionActionIn,
    SuggestionStatus,
)
from infra.clock import utc_now
from infra.logs import correlation_id
from infra.nameko_entrypoints import rpc
from services.intake.suggestions import handlers
from services.intake.suggestions.views import suggestion_view


def status_of(status: str | None) -> SuggestionStatus | None:
    try:
        return SuggestionStatus(status) if status else None
    except ValueError:
        raise ServiceError(ErrorCode.INVALID, f"未知的建议状态 {status} (unknown status)", "status") from None


def answer(suggestion) -> dict:
    return suggestion_view(suggestion).model_dump(mode="json")


class SuggestionEntrypoints:
    @rpc
    def file_suggestion(self, command: dict, actor: dict) -> dict:
        command, actor = parse(FileSuggestionIn, command), parse(Actor, actor)
        return answer(handlers.file_suggestion(self.store, command, actor, correlation_id.get(), utc_now()))

    @rpc
    def list_suggestions(
        self, division_prefix: str, status: str | None = None, limit: int = 100, after: str | None = None
    ) -> dict:
        page = handlers.list_suggestions(self.store, division_prefix, status_of(status), limit, after)
        return page.map(suggestion_view).model_dump(mode="json")

    @rpc
    def suggestion(self, suggestion_id: str, actor: dict) -> dict:
        return answer(handlers.find_suggestion(self.store, suggestion_id, parse(Actor, actor)))

    @rpc
    def edit_suggestion(self, suggestion_id: str, command: dict, actor: dict) -> dict:
        command, actor = parse(EditSuggestionIn, command), parse(Actor, actor)
        return answer(
            handlers.edit_suggestion(self.store, suggestion_id, command, actor, correlation_id.get(), utc_now())
        )

    @rpc
    def submit_suggestion(self, suggestion_id: str, command: dict, actor: dict) -> dict:
        command, actor = parse(SuggestionActionIn, command), parse(Actor, actor)
        return answer(
            handlers.submit_suggestion(self.store, suggestion_id, command, actor, correlation_id.get(), utc_now())
        )

    @rpc
    def return_suggestion(self, suggestion_id: str, command: dict, actor: dict) -> dict:
        command, actor = parse(ReturnSuggestionIn, command), parse(Actor, actor)
        return answer(
            handlers.return_suggestion(self.store, suggestion_id, command, actor, correlation_id.get(), utc_now())
        )

    @rpc
    def accept_suggestion(self, suggestion_id: str, command: dict, actor: dict) -> dict:
        command, actor = parse(SuggestionActionIn, command), parse(Actor, actor)
        return answer(
            handlers.accept_suggestion(self.store, suggestion_id, command, actor, correlation_id.get(), utc_now())
        )

    @rpc
    def merge_suggestions(self, suggestion_id: str, command: dict, actor: dict) -> dict:
        command, actor = parse(MergeSuggestionsIn, command), parse(Actor, actor)
        return answer(
            handlers.merge_suggestions(self.store, suggestion_id, command, actor, correlation_id.get(), utc_now())
        )
