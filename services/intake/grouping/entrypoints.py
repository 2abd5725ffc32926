"""The grouping RPCs, mixed into IntakeService."""


class GroupingEntrypoints:
    pass
