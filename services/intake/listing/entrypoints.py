"""The listing RPCs, mixed into IntakeService."""


class ListingEntrypoints:
    pass
