"""The receptions collections."""


class ReceptionStore:
    def __init__(self, db):
        self.db = db

    def ensure_indexes(self) -> None:
        pass
