"""The receptions RPCs, mixed into IntakeService."""


class ReceptionEntrypoints:
    pass
