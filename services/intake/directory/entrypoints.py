"""The directory's RPCs, mixed into IntakeService: parse, ask the rules, store, dump.

Who may call which is the gateway's to enforce (see `rules`); these trust their caller.
"""

from contracts.errors import ErrorCode, ServiceError, parse
from contracts.intake.directory import AreaIn, DeputyIn, DirectoryKind, GridIn, Input, StationIn
from infra.nameko_entrypoints import rpc
from services.intake.directory import rules
from services.intake.directory.store import DirectoryStore


def kind_of(kind: str) -> DirectoryKind:
    try:
        return DirectoryKind(kind)
    except ValueError:
        raise ServiceError(ErrorCode.INVALID, f"未知的目录类别 {kind} (unknown kind)", "kind") from None


def register(directory: DirectoryStore, kind: DirectoryKind, entry: Input) -> dict:
    created = rules.new_entry(kind, entry, directory.find)
    directory.add(kind, created)
    return created.model_dump(mode="json")


class DirectoryEntrypoints:
    @rpc
    def register_area(self, area: dict) -> dict:
        return register(self.store.directory, DirectoryKind.AREA, parse(AreaIn, area))

    @rpc
    def register_grid(self, grid: dict) -> dict:
        return register(self.store.directory, DirectoryKind.GRID, parse(GridIn, grid))

    @rpc
    def register_station(self, station: dict) -> dict:
        return register(self.store.directory, DirectoryKind.STATION, parse(StationIn, station))

    @rpc
    def register_deputy(self, deputy: dict) -> dict:
        return register(self.store.directory, DirectoryKind.DEPUTY, parse(DeputyIn, deputy))

    @rpc
    def update_entry(self, kind: str, entry_id: str, changes: dict) -> dict:
        kind, directory = kind_of(kind), self.store.directory
        current = directory.find(kind, entry_id)
        if current is None:
            raise ServiceError(ErrorCode.NOT_FOUND, f"目录中没有 {entry_id} (no such {kind.value})", "id")
        entry, fields = rules.changed_entry(kind, current, changes, directory.find)
        directory.change(kind, entry, fields)
        return entry.model_dump(mode="json")

    @rpc
    def directory_entry(self, kind: str, entry_id: str) -> dict:
        entry = self.store.directory.entry(kind_of(kind), entry_id)
        if entry is None:
            raise ServiceError(ErrorCode.NOT_FOUND, f"目录中没有 {entry_id} (no such {kind})", "id")
        return entry.model_dump(mode="json")

    @rpc
    def directory_entries(
        self, kind: str, division_prefix: str, active: bool | None = None, limit: int = 100, after: str | None = None
    ) -> dict:
        found = self.store.directory.entries(kind_of(kind), division_prefix, active, limit, after)
        return found.model_dump(mode="json")

    @rpc
    def receiver(self, kind: str, entry_id: str) -> dict:
        return rules.receiver_card(kind, entry_id, self.store.directory.find).model_dump(mode="json")

    @rpc
    def stations(self, division_prefix: str, limit: int = 100, after: str | None = None) -> dict:
        return self.store.directory.stations_in(division_prefix, limit, after).model_dump(mode="json")
