"""The imports RPCs, mixed into IntakeService."""


class ImportEntrypoints:
    pass
