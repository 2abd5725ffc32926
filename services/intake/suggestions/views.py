"""What deputies and reviewers see of a suggestion."""

from contracts.intake.suggestions import SuggestionView
from services.intake.suggestions.suggestion import Suggestion


def suggestion_view(suggestion: Suggestion) -> SuggestionView:
    return SuggestionView(
        **suggestion.model_dump(exclude={"session"}),
        session=suggestion.session,
        session_name=suggestion.session.name,
        label=suggestion.label,
    )
