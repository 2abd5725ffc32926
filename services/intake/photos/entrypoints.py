"""The photos RPCs, mixed into IntakeService."""


class PhotoEntrypoints:
    pass
