"""The directory's rules on plain entries and an in-memory lookup: what each entry must refer to,
what a change re-checks, and what the public sees of a receiver."""

import pytest
from pydantic import ValidationError

from contracts.errors import ErrorCode, ServiceError
from contracts.intake.directory import AreaIn, DeputyIn, DeputyLevel, DirectoryKind, GridIn, StationIn
from services.intake.directory import rules

# as the store keeps them: the entry, its `_id` and the `division` that places it
ENTRIES = {
    ("area", "330481001"): {
        "_id": "330481001",
        "code": "330481001",
        "level": "township",
        "name": "硖石街道",
        "division": "330481001",
        "active": True,
    },
    ("area", "330481102"): {
        "_id": "330481102",
        "code": "330481102",
        "level": "township",
        "name": "长安镇",
        "division": "330481102",
        "active": False,
    },
    ("area", "330481001001"): {
        "_id": "330481001001",
        "code": "330481001001",
        "level": "community",
        "name": "文苑社区",
        "division": "330481001001",
        "active": True,
    },
    ("station", "xiashi"): {
        "_id": "xiashi",
        "id": "xiashi",
        "name": "硖石街道人大代表联络站",
        "division": "330481001",
        "address": "文苑南路",
        "reception_day": "每周二",
        "active": True,
    },
    ("station", "haizhou"): {
        "_id": "haizhou",
        "id": "haizhou",
        "name": "海洲街道人大代表联络站",
        "division": "330481002",
        "address": "",
        "reception_day": "",
        "active": False,
    },
    ("station", "tongxiang"): {
        "_id": "tongxiang",
        "id": "tongxiang",
        "name": "梧桐街道联络站",
        "division": "330483001",
        "address": "",
        "reception_day": "",
        "active": True,
    },
    ("deputy", "zhang"): {
        "_id": "zhang",
        "id": "zhang",
        "name": "张伟",
        "division": "330481001",
        "level": "county",
        "station_ids": ["xiashi", "haizhou"],
        "active": True,
    },
    ("deputy", "gone"): {
        "_id": "gone",
        "id": "gone",
        "name": "某某",
        "division": "330481001",
        "level": "county",
        "station_ids": ["xiashi"],
        "active": False,
    },
}


def find(kind: str, entry_id: str) -> dict | None:
    return ENTRIES.get((kind, entry_id))


def refusal(call) -> ServiceError:
    with pytest.raises(ServiceError) as raised:
        call()
    return raised.value


def deputy(**overrides) -> DeputyIn:
    return DeputyIn(**{"id": "li", "name": "李红", "division": "330481001", "station_ids": ["xiashi"], **overrides})


@pytest.mark.parametrize(
    ("level", "code", "fits"),
    [
        ("township", "330481001", True),
        ("township", "330481001001", False),
        ("village", "330481102201", True),
        ("community", "330481001001", True),
        ("community", "330481001", False),
        ("village", "330481", False),
    ],
)
def test_an_area_code_has_the_length_of_its_level(level, code, fits):
    if fits:
        assert AreaIn(level=level, code=code, name="某地").code == code
        return
    with pytest.raises(ValidationError) as raised:
        AreaIn(level=level, code=code, name="某地")
    error = raised.value.errors()[0]
    assert error["loc"] == ("code",) and ("位数字" in error["msg"])


def test_a_deputy_has_a_level_of_the_five_and_distinct_stations():
    assert deputy().level is DeputyLevel.COUNTY
    assert deputy(level="national").level is DeputyLevel.NATIONAL
    with pytest.raises(ValidationError):
        deputy(level="village")
    with pytest.raises(ValidationError) as raised:
        deputy(station_ids=["xiashi", "xiashi"])
    assert raised.value.errors()[0]["loc"] == ("station_ids",)
    with pytest.raises(ValidationError):
        deputy(station_ids=[])
    with pytest.raises(ValidationError) as raised:
        deputy(stations=["xiashi"])  # a misspelt field is refused, not ignored
    assert raised.value.errors()[0]["loc"] == ("stations",)


def test_a_new_entry_is_active():
    station = StationIn(id="s1", name="联络站", division="330481001")
    created = rules.new_entry(DirectoryKind.STATION, station, find)
    assert created.active is True and created.name == "联络站"


def test_a_village_or_community_lies_in_an_active_township_of_the_directory():
    community = AreaIn(level="community", code="330481001002", name="新苑社区")
    assert rules.new_entry(DirectoryKind.AREA, community, find).code == "330481001002"
    for code in ("330481003001", "330481102201"):  # unknown township, deactivated township
        village = AreaIn(level="village", code=code, name="某村")
        refused = refusal(lambda village=village: rules.new_entry(DirectoryKind.AREA, village, find))
        assert refused.code is ErrorCode.INVALID and refused.field == "code" and "乡镇" in refused.detail
    township = AreaIn(level="township", code="330481003", name="海昌街道")
    assert rules.new_entry(DirectoryKind.AREA, township, find).active


def test_a_grid_lies_in_an_active_area_of_the_directory():
    grid = GridIn(id="wenyuan-01", name="文苑社区第一网格", area="330481001001", officer="周丽")
    assert rules.new_entry(DirectoryKind.GRID, grid, find).area == "330481001001"
    for area in ("330481001009", "330481102"):
        refused = refusal(
            lambda area=area: rules.new_entry(DirectoryKind.GRID, grid.model_copy(update={"area": area}), find)
        )
        assert refused.code is ErrorCode.INVALID and refused.field == "area"


@pytest.mark.parametrize(
    ("station_ids", "why"),
    [(["xiashi", "nowhere"], "不存在"), (["haizhou"], "已停用"), (["xiashi", "tongxiang"], "县（市、区）")],
)
def test_every_station_of_a_deputy_exists_is_active_and_lies_in_the_deputys_county(station_ids, why):
    refused = refusal(lambda: rules.new_entry(DirectoryKind.DEPUTY, deputy(station_ids=station_ids), find))
    assert refused.code is ErrorCode.INVALID and refused.field == "station_ids" and why in refused.detail


def test_a_deputy_of_a_county_may_receive_at_stations_of_its_townships():
    county_deputy = deputy(division="330481", level="municipal", station_ids=["xiashi"])
    assert rules.new_entry(DirectoryKind.DEPUTY, county_deputy, find).station_ids == ["xiashi"]


def test_a_change_keeps_what_it_leaves_out_and_rechecks_only_what_it_touches():
    current = find("deputy", "zhang")  # one of its stations, haizhou, was deactivated since
    entry, fields = rules.changed_entry(DirectoryKind.DEPUTY, current, {"active": False, "name": None}, find)
    assert fields == {"active": False}
    assert entry.active is False and entry.name == "张伟" and entry.station_ids == ["xiashi", "haizhou"]

    refused = refusal(lambda: rules.changed_entry(DirectoryKind.DEPUTY, current, {"station_ids": ["haizhou"]}, find))
    assert refused.field == "station_ids"
    refused = refusal(lambda: rules.changed_entry(DirectoryKind.DEPUTY, current, {"division": "330483001"}, find))
    assert refused.field == "station_ids"  # moved to another county, away from its stations
    entry, fields = rules.changed_entry(DirectoryKind.DEPUTY, current, {"station_ids": ["xiashi"]}, find)
    assert entry.station_ids == ["xiashi"] and fields == {"station_ids": ["xiashi"]}


def test_a_change_with_an_unknown_or_bad_field_names_it():
    current = find("station", "xiashi")
    assert refusal(lambda: rules.changed_entry(DirectoryKind.STATION, current, {"adress": "x"}, find)).field == "adress"
    refused = refusal(lambda: rules.changed_entry(DirectoryKind.STATION, current, {"division": "33"}, find))
    assert refused.code is ErrorCode.INVALID and refused.field == "division"
    area = find("area", "330481001")
    assert refusal(lambda: rules.changed_entry(DirectoryKind.AREA, area, {"code": "330481002"}, find)).field == "code"


def test_a_deputys_public_card_shows_the_level_and_the_active_stations_only():
    card = rules.receiver_card("deputy", "zhang", find)
    assert card.kind == "deputy" and card.name == "张伟" and card.division == "330481001"
    assert card.level is DeputyLevel.COUNTY
    assert [(s.id, s.name, s.address) for s in card.stations] == [("xiashi", "硖石街道人大代表联络站", "文苑南路")]


def test_a_stations_public_card_shows_its_address_and_reception_day():
    card = rules.receiver_card("station", "xiashi", find)
    assert (card.kind, card.name, card.address, card.reception_day) == (
        "station",
        "硖石街道人大代表联络站",
        "文苑南路",
        "每周二",
    )
    assert card.level is None and card.stations == []


@pytest.mark.parametrize(("kind", "entry_id"), [("deputy", "gone"), ("deputy", "nobody"), ("station", "haizhou")])
def test_an_unknown_or_deactivated_receiver_is_not_found(kind, entry_id):
    assert refusal(lambda: rules.receiver_card(kind, entry_id, find)).code is ErrorCode.NOT_FOUND


def test_only_deputies_and_stations_receive():
    refused = refusal(lambda: rules.receiver_card("area", "330481001", find))
    assert refused.code is ErrorCode.INVALID and refused.field == "kind"
