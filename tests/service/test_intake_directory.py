"""The directory's RPCs with nameko's worker_factory on the real store: entries created, changed,
deactivated and listed; references refused with nothing stored; the lookup opinions use; the public
card behind a QR code."""

import pytest
from nameko.testing.services import worker_factory

from contracts.errors import ErrorCode, ServiceError
from services.intake.service import IntakeService
from services.intake.store import IntakeStore
from tests.factories import Publications

XIASHI = {"level": "township", "code": "330481001", "name": "硖石街道"}
WENYUAN = {"level": "community", "code": "330481001001", "name": "文苑社区"}
STATION = {"id": "xiashi-station", "name": "硖石街道人大代表联络站", "division": "330481001", "address": "文苑南路"}
HAIZHOU = {"id": "haizhou-station", "name": "海洲街道人大代表联络站", "division": "330481002"}
DEPUTY = {
    "id": "deputy-zhang-wei",
    "name": "张伟",
    "division": "330481001",
    "level": "provincial",
    "station_ids": ["xiashi-station", "haizhou-station"],
}
GRID = {"id": "wenyuan-01", "name": "文苑社区第一网格", "area": "330481001001", "officer": "周丽"}


@pytest.fixture
def intake(mongo_db):
    store = IntakeStore(mongo_db, Publications())
    store.ensure_indexes()
    return worker_factory(IntakeService, store=store)


@pytest.fixture
def directory(intake):
    """The directory of a township: one community, a grid, two stations and a deputy in both."""
    intake.register_area(XIASHI)
    intake.register_area(WENYUAN)
    intake.register_grid(GRID)
    intake.register_station(STATION)
    intake.register_station(HAIZHOU)
    intake.register_deputy(DEPUTY)
    return intake


def refusal(call) -> ServiceError:
    with pytest.raises(ServiceError) as raised:
        call()
    return raised.value


def stored_counts(intake) -> dict:
    return {kind: c.count_documents({}) for kind, c in intake.store.directory.collections.items()}


def test_each_kind_is_created_active_and_read_back(directory):
    assert directory.directory_entry("deputy", "deputy-zhang-wei") == {**DEPUTY, "active": True}
    assert directory.directory_entry("grid", "wenyuan-01") == {**GRID, "active": True}
    assert directory.directory_entry("area", "330481001001") == {**WENYUAN, "active": True}
    assert directory.directory_entry("station", "xiashi-station") == {**STATION, "reception_day": "", "active": True}
    assert refusal(lambda: directory.directory_entry("deputy", "nobody")).code is ErrorCode.NOT_FOUND
    assert refusal(lambda: directory.directory_entry("person", "x")).field == "kind"


def test_the_lookup_for_opinions_gives_id_name_division_active_and_references(directory):
    find = directory.store.directory.find
    deputy, grid, area = find("deputy", "deputy-zhang-wei"), find("grid", "wenyuan-01"), find("area", "330481001001")
    assert (deputy["_id"], deputy["name"], deputy["division"], deputy["active"]) == (
        "deputy-zhang-wei",
        "张伟",
        "330481001",
        True,
    )
    assert deputy["station_ids"] == ["xiashi-station", "haizhou-station"]
    assert (grid["name"], grid["division"], grid["area"], grid["active"]) == (
        "文苑社区第一网格",
        "330481001001",
        "330481001001",
        True,
    )
    assert (area["_id"], area["name"], area["division"]) == ("330481001001", "文苑社区", "330481001001")
    assert find("station", "nowhere") is None and find("person", "x") is None


def test_an_id_taken_is_a_conflict_showing_the_entry_and_changes_nothing(directory):
    refused = refusal(lambda: directory.register_station({**STATION, "name": "另一个"}))
    assert refused.code is ErrorCode.CONFLICT and refused.field == "id" and refused.state["name"] == STATION["name"]
    assert refusal(lambda: directory.register_area(XIASHI)).field == "code"
    assert directory.directory_entry("station", "xiashi-station")["name"] == STATION["name"]


@pytest.mark.parametrize(
    ("rpc", "entry", "field"),
    [
        ("register_area", {"level": "village", "code": "330481001", "name": "某村"}, "code"),
        ("register_area", {"level": "township", "code": "330481001002", "name": "某镇"}, "code"),
        ("register_area", {"level": "village", "code": "330481009201", "name": "无乡镇的村"}, "code"),
        ("register_grid", {**GRID, "id": "g2", "area": "330481001009"}, "area"),
        ("register_deputy", {**DEPUTY, "id": "d2", "station_ids": ["nowhere"]}, "station_ids"),
        ("register_deputy", {**DEPUTY, "id": "d2", "division": "330482001"}, "station_ids"),
        ("register_deputy", {**DEPUTY, "id": "d2", "station_ids": []}, "station_ids"),
        ("register_deputy", {**DEPUTY, "id": "d2", "level": "village"}, "level"),
        ("register_station", {**STATION, "id": "s2", "division": "33048"}, "division"),
    ],
)
def test_bad_entries_are_refused_naming_the_field_and_nothing_is_stored(directory, rpc, entry, field):
    before = stored_counts(directory)
    refused = refusal(lambda: getattr(directory, rpc)(entry))
    assert refused.code is ErrorCode.INVALID and refused.field == field
    assert stored_counts(directory) == before


def test_a_deactivated_station_or_area_is_refused_as_a_reference(directory):
    directory.update_entry("station", "haizhou-station", {"active": False})
    directory.update_entry("area", "330481001001", {"active": False})
    assert refusal(lambda: directory.register_deputy({**DEPUTY, "id": "d2"})).field == "station_ids"
    assert refusal(lambda: directory.register_grid({**GRID, "id": "g2"})).field == "area"
    # …but an entry that already refers to it can still be changed in its other fields
    renamed = directory.update_entry("deputy", "deputy-zhang-wei", {"name": "张 伟"})
    assert renamed["name"] == "张 伟" and renamed["station_ids"] == DEPUTY["station_ids"]


def test_an_update_changes_only_what_it_names_and_checks_it(directory):
    updated = directory.update_entry("grid", "wenyuan-01", {"officer": "陈刚"})
    assert updated == {**GRID, "officer": "陈刚", "active": True}
    assert directory.directory_entry("grid", "wenyuan-01")["officer"] == "陈刚"
    refused = refusal(lambda: directory.update_entry("grid", "wenyuan-01", {"area": "330481009001"}))
    assert refused.field == "area" and directory.directory_entry("grid", "wenyuan-01")["area"] == GRID["area"]
    assert refusal(lambda: directory.update_entry("grid", "nowhere", {"name": "x"})).code is ErrorCode.NOT_FOUND
    assert refusal(lambda: directory.update_entry("grid", "wenyuan-01", {"id": "other"})).field == "id"


def test_deactivated_entries_stay_listed_and_can_be_filtered(directory):
    directory.update_entry("station", "haizhou-station", {"active": False})
    every = directory.directory_entries("station", "330481")["items"]
    assert [(s["id"], s["active"]) for s in every] == [("haizhou-station", False), ("xiashi-station", True)]
    assert [s["id"] for s in directory.directory_entries("station", "330481", active=False)["items"]] == [
        "haizhou-station"
    ]
    assert [s["id"] for s in directory.directory_entries("station", "330481", active=True)["items"]] == [
        "xiashi-station"
    ]
    assert directory.directory_entries("station", "330481001")["items"][0]["id"] == "xiashi-station"
    assert directory.directory_entries("station", "330482")["items"] == []


def test_a_listing_pages_by_id(directory):
    directory.register_area({"level": "community", "code": "330481001002", "name": "新苑社区"})
    first = directory.directory_entries("area", "330481", limit=2)
    assert [a["code"] for a in first["items"]] == ["330481001", "330481001001"] and first["next"]
    rest = directory.directory_entries("area", "330481", limit=2, after=first["next"])
    assert [a["code"] for a in rest["items"]] == ["330481001002"] and rest["next"] is None


def test_the_public_station_list_shows_active_stations_and_their_active_deputies(directory):
    directory.register_deputy({**DEPUTY, "id": "deputy-li-hong", "name": "李红", "station_ids": ["xiashi-station"]})
    directory.register_deputy({**DEPUTY, "id": "deputy-gone", "name": "王某", "station_ids": ["xiashi-station"]})
    directory.update_entry("deputy", "deputy-gone", {"active": False})
    stations = directory.stations("330481")["items"]
    assert [(s["id"], s["deputies"]) for s in stations] == [
        ("haizhou-station", ["张伟"]),
        ("xiashi-station", ["李红", "张伟"]),
    ]
    directory.update_entry("station", "haizhou-station", {"active": False})
    assert [s["id"] for s in directory.stations("330481")["items"]] == ["xiashi-station"]
    assert set(stations[0]) == {"id", "name", "division", "address", "reception_day", "deputies"}


def test_the_receiver_behind_a_qr_code(directory):
    directory.update_entry("station", "haizhou-station", {"active": False})
    card = directory.receiver("deputy", "deputy-zhang-wei")
    assert card["kind"] == "deputy" and card["name"] == "张伟" and card["level"] == "provincial"
    assert card["division"] == "330481001"
    assert [(s["name"], s["address"]) for s in card["stations"]] == [("硖石街道人大代表联络站", "文苑南路")]
    station = directory.receiver("station", "xiashi-station")
    assert (station["name"], station["address"], station["division"]) == (
        "硖石街道人大代表联络站",
        "文苑南路",
        "330481001",
    )

    directory.update_entry("deputy", "deputy-zhang-wei", {"active": False})
    for kind, entry_id in [("deputy", "deputy-zhang-wei"), ("station", "haizhou-station"), ("deputy", "nobody")]:
        assert (
            refusal(lambda kind=kind, entry_id=entry_id: directory.receiver(kind, entry_id)).code is ErrorCode.NOT_FOUND
        )


def test_entries_stored_before_deactivation_and_several_stations_are_upgraded_at_start(mongo_db):
    mongo_db["stations"].insert_one(
        {"_id": "old", "id": "old", "name": "老联络站", "division": "330481001", "address": "", "reception_day": ""}
    )
    mongo_db["deputies"].insert_one(
        {"_id": "d", "id": "d", "name": "张伟", "division": "330481001", "station_id": "old", "level": "county"}
    )
    store = IntakeStore(mongo_db, Publications())
    store.ensure_indexes()
    intake = worker_factory(IntakeService, store=store)
    assert intake.directory_entry("deputy", "d")["station_ids"] == ["old"]
    assert intake.directory_entry("station", "old")["active"] is True
    assert intake.stations("330481")["items"][0]["deputies"] == ["张伟"]
    assert "station_id" not in mongo_db["deputies"].find_one({"_id": "d"})
