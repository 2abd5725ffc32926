"""The suggestions RPCs, mixed into IntakeService."""


class SuggestionEntrypoints:
    pass
