"""The directory's RPCs, mixed into IntakeService."""

from contracts.errors import ErrorCode, ServiceError, parse
from contracts.intake.directory import DeputyIn, StationIn
from infra.nameko_entrypoints import rpc


class DirectoryEntrypoints:
    @rpc
    def register_station(self, station: dict) -> dict:
        station = parse(StationIn, station)
        self.store.directory.save_station(station)
        return station.model_dump()

    @rpc
    def register_deputy(self, deputy: dict) -> dict:
        deputy = parse(DeputyIn, deputy)
        if not self.store.directory.has_station(deputy.station_id):
            raise ServiceError(ErrorCode.INVALID, f"联络站 {deputy.station_id} 不存在 (unknown station)", "station_id")
        self.store.directory.save_deputy(deputy)
        return deputy.model_dump()

    @rpc
    def stations(self, division_prefix: str, limit: int = 100, after: str | None = None) -> dict:
        return self.store.directory.stations_in(division_prefix, limit, after).model_dump(mode="json")
