"""The grouping collections."""


class GroupingStore:
    def __init__(self, db):
        self.db = db

    def ensure_indexes(self) -> None:
        pass
