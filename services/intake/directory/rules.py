"""The directory's rules, on entries and a lookup of other entries: no broker, no database.

Who may change what (enforced by the gateway, written here because it is the directory's rule):
- an administrator manages every kind of entry within its key's scope;
- a station key (联络站、主席团办公室) creates and updates the grids (网格) of the areas in its scope,
  deactivating them included, since grids are redrawn locally; areas, stations and deputies are the
  county congress's record and stay with the administrators;
- every other staff key reads the directory within its scope; the public sees active stations,
  their deputies' names and the receiver behind a QR code, nothing else.

What each entry must refer to, checked on creation and whenever a change touches the reference:
- a village or community lies in a township that is in the directory and active;
- a grid lies in an area that is in the directory and active;
- a deputy's stations all exist, are active and lie in the deputy's county.
"""

from collections.abc import Callable, Iterable

from contracts.errors import ErrorCode, ServiceError, parse
from contracts.intake.directory import (
    CHANGES,
    ENTRIES,
    AreaEntry,
    DeputyEntry,
    DirectoryKind,
    Entry,
    GridEntry,
    Input,
    ReceiverCard,
    StationCard,
)

Find = Callable[[str, str], dict | None]
"""The directory lookup: (kind, id) → the stored entry, or None."""

KIND_NAMES = {"area": "区域", "grid": "网格", "station": "联络站", "deputy": "代表"}


def invalid(field: str, message: str) -> ServiceError:
    return ServiceError(ErrorCode.INVALID, message, field)


def active(found: dict | None) -> bool:
    return found is not None and found.get("active", True)


def new_entry(kind: DirectoryKind, entry: Input, find: Find) -> Entry:
    """A new entry, active, whose references hold; or INVALID naming the field."""
    created = ENTRIES[kind].model_validate(entry.model_dump())
    check(created, find)
    return created


def changed_entry(kind: DirectoryKind, current: dict, changes: dict, find: Find) -> tuple[Entry, dict]:
    """The entry with `changes` applied (what they leave out, or set to null, stays), checked where
    they touch a reference, and the fields that changed, ready to store."""
    wanted = parse(CHANGES[kind], changes).model_dump(exclude_none=True, mode="json")
    entry = parse(ENTRIES[kind], {**current, **wanted})
    check(entry, find, touched=set(wanted))
    return entry, wanted


def check(entry: Entry, find: Find, touched: Iterable[str] | None = None) -> None:
    """Refuses an entry whose references do not hold; on a change, only the references it touches,
    so that deactivating a deputy is not refused because one of their stations closed since."""
    touched = None if touched is None else set(touched)

    def checks(field: str) -> bool:
        return touched is None or field in touched

    match entry:
        case AreaEntry() if len(entry.code) == 12 and checks("code"):
            township = entry.code[:9]
            if not active(find(DirectoryKind.AREA, township)):
                raise invalid(
                    "code", f"所属乡镇（街道）{township} 不在目录中或已停用 (the township is unknown or deactivated)"
                )
        case GridEntry() if checks("area"):
            if not active(find(DirectoryKind.AREA, entry.area)):
                raise invalid("area", f"区域 {entry.area} 不在目录中或已停用 (the area is unknown or deactivated)")
        case DeputyEntry() if checks("station_ids") or checks("division"):
            for station_id in entry.station_ids:
                check_station_of(entry, station_id, find(DirectoryKind.STATION, station_id))


def check_station_of(deputy: DeputyEntry, station_id: str, station: dict | None) -> None:
    if station is None:
        raise invalid("station_ids", f"联络站 {station_id} 不存在 (unknown station)")
    if not active(station):
        raise invalid("station_ids", f"联络站 {station_id} 已停用 (deactivated station)")
    if station["division"][:6] != deputy.division[:6]:
        raise invalid(
            "station_ids",
            f"联络站 {station_id} 不在代表所在的县（市、区） (the station is in another county than the deputy)",
        )


def receiver_card(kind: str, entry_id: str, find: Find) -> ReceiverCard:
    """The public description of an active deputy or station; NOT_FOUND for anything else."""
    if kind not in (DirectoryKind.DEPUTY, DirectoryKind.STATION):
        raise invalid("kind", "接收人只能是代表或联络站 (a receiver is a deputy or a station)")
    found = find(kind, entry_id)
    if not active(found):
        raise ServiceError(
            ErrorCode.NOT_FOUND, f"{KIND_NAMES[kind]} {entry_id} 不存在或已停用 (unknown or deactivated {kind})", "id"
        )
    card = {"kind": kind, "id": entry_id, "name": found["name"], "division": found["division"]}
    if kind == DirectoryKind.STATION:
        return ReceiverCard(**card, address=found.get("address", ""), reception_day=found.get("reception_day", ""))
    stations = [find(DirectoryKind.STATION, station_id) for station_id in found.get("station_ids", [])]
    cards = [StationCard.model_validate({**station, "id": station["_id"]}) for station in stations if active(station)]
    return ReceiverCard(**card, level=found.get("level"), stations=cards)
