"""Where an item comes from and who received it, checked against the directory.

Each channel names its own references (a station and a deputy for a visit, a grid for an
information officer...). Every one must exist, be active and lie in the item's county; a staff
submission that breaks this is refused naming the field, before anything is stored.
"""

from collections.abc import Callable
from dataclasses import dataclass

from contracts.errors import ErrorCode, ServiceError
from contracts.intake.opinions import (
    CountySystemDetails,
    DeputyDetails,
    GridOfficerDetails,
    HotlineDetails,
    MailboxDetails,
    QrDetails,
    Receiver,
    ReceiverKind,
    StationVisitDetails,
    SubmitOpinion,
    VillageMeetingDetails,
)

ANNOUNCED_OR_HELD = {"announced", "held"}
KIND_NAMES = {"area": "区域", "grid": "网格", "station": "联络站", "deputy": "代表"}


@dataclass(frozen=True)
class Lookups:
    """What the checks read: directory entries by kind and id, a reception session, a division's categories."""

    directory: Callable[[str, str], dict | None]
    reception: Callable[[str], dict | None]
    categories: Callable[[str], list[str]]


def invalid(field: str, message: str) -> ServiceError:
    return ServiceError(ErrorCode.INVALID, message, field)


def entry(lookups: Lookups, kind: str, entry_id: str, division: str, field: str) -> dict:
    """An active directory entry in the item's county, or the refusal naming `field`."""
    found = lookups.directory(kind, entry_id)
    name = KIND_NAMES[kind]
    if found is None:
        raise invalid(field, f"{name} {entry_id} 不存在 (unknown {kind})")
    if not found.get("active", True):
        raise invalid(field, f"{name} {entry_id} 已停用 (deactivated {kind})")
    if found["division"][:6] != division[:6]:
        raise invalid(field, f"{name} {entry_id} 不属于该县（市、区） (the {kind} is in another division)")
    return found


def check_category(lookups: Lookups, command: SubmitOpinion) -> None:
    if command.category is not None and command.category not in lookups.categories(command.division):
        raise invalid("category", f"类别“{command.category}”不在本地区的类别清单中 (unknown category)")


def receiver_of(command: SubmitOpinion, lookups: Lookups) -> Receiver:
    """Checks the channel's references and answers who received the item: the first link of the
    选民群众 → 民情信息员 → 人大代表 → 主席团 chain."""
    details, division = command.details, command.division
    check_category(lookups, command)
    if command.grid_id is not None:
        entry(lookups, "grid", command.grid_id, division, "grid_id")
    if command.contact is not None and isinstance(details, GridOfficerDetails) and not details.consent_to_contact:
        raise invalid("details.consent_to_contact", "群众未同意回访，不得记录联系方式 (no consent to be contacted)")
    match details:
        case QrDetails(deputy_id=str() as deputy_id):
            deputy = entry(lookups, "deputy", deputy_id, division, "details.deputy_id")
            return Receiver(kind=ReceiverKind.DEPUTY, id=deputy_id, name=deputy["name"])
        case QrDetails(station_id=str() as station_id):
            station = entry(lookups, "station", station_id, division, "details.station_id")
            return Receiver(kind=ReceiverKind.STATION, id=station_id, name=station["name"])
        case StationVisitDetails():
            return visit_receiver(details, division, lookups)
        case GridOfficerDetails():
            entry(lookups, "grid", details.grid_id, division, "details.grid_id")
            return Receiver(kind=ReceiverKind.INFO_OFFICER, name=details.officer)
        case DeputyDetails():
            deputy = entry(lookups, "deputy", details.deputy_id, division, "details.deputy_id")
            return Receiver(kind=ReceiverKind.DEPUTY, id=details.deputy_id, name=deputy["name"])
        case HotlineDetails():
            return Receiver(kind=ReceiverKind.OPERATOR, name=details.operator)
        case VillageMeetingDetails() | MailboxDetails():
            return Receiver(kind=ReceiverKind.STATION, name=command.entered_by or "联络站")
        case CountySystemDetails():
            return Receiver(kind=ReceiverKind.SYSTEM, name=details.system)
    return Receiver(kind=ReceiverKind.PLATFORM, name="网上受理")


def visit_receiver(details: StationVisitDetails, division: str, lookups: Lookups) -> Receiver:
    entry(lookups, "station", details.station_id, division, "details.station_id")
    deputy = entry(lookups, "deputy", details.deputy_id, division, "details.deputy_id")
    if details.station_id not in deputy.get("station_ids", []):
        raise invalid("details.deputy_id", "该代表不在此联络站接待 (the deputy does not receive at this station)")
    if details.reception_id is not None:
        session = lookups.reception(details.reception_id)
        if session is None or session["station_id"] != details.station_id:
            raise invalid("details.reception_id", "该联络站没有这场接待活动 (no such reception at this station)")
        if session["status"] not in ANNOUNCED_OR_HELD:
            raise invalid("details.reception_id", "接待活动尚未公告或已取消 (the reception is not announced)")
    return Receiver(kind=ReceiverKind.DEPUTY, id=details.deputy_id, name=deputy["name"])
