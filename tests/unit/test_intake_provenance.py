"""Who received an item and where it comes from, checked channel by channel against the directory."""

from datetime import date

import pytest

from contracts.errors import ErrorCode, ServiceError
from contracts.intake.opinions import (
    CountySystemDetails,
    DeputyDetails,
    GridOfficerDetails,
    HotlineDetails,
    MailboxDetails,
    QrDetails,
    ReceiverKind,
    StationVisitDetails,
    VillageMeetingDetails,
    WebDetails,
)
from infra.pii import PiiCipher
from infra.settings import DEV_PII_KEY
from services.intake.categories import NATIONAL_DEFAULT
from services.intake.provenance import Lookups, receiver_of
from tests.factories import submit_opinion

DIRECTORY = {
    ("station", "xiashi-station"): {"_id": "xiashi-station", "name": "硖石街道人大代表联络站", "division": "330481001"},
    ("station", "other-county"): {"_id": "other-county", "name": "桐乡某联络站", "division": "330483001"},
    ("deputy", "zhang-wei"): {
        "_id": "zhang-wei",
        "name": "张伟",
        "division": "330481001",
        "station_ids": ["xiashi-station"],
        "active": True,
    },
    ("deputy", "retired"): {"_id": "retired", "name": "赵老", "division": "330481001", "active": False},
    ("deputy", "wang-jun"): {"_id": "wang-jun", "name": "王军", "division": "330481102", "station_ids": []},
    ("grid", "wenyuan-3"): {"_id": "wenyuan-3", "name": "文苑社区第三网格", "division": "330481001001"},
}
RECEPTIONS = {
    "tuesday": {"_id": "tuesday", "station_id": "xiashi-station", "status": "announced"},
    "draft": {"_id": "draft", "station_id": "xiashi-station", "status": "draft"},
}
LOOKUPS = Lookups(
    directory=lambda kind, entry_id: DIRECTORY.get((kind, entry_id)),
    reception=RECEPTIONS.get,
    categories=lambda division: list(NATIONAL_DEFAULT),
)


def receiver(details, **overrides):
    return receiver_of(submit_opinion(channel=details.channel, details=details, **overrides), LOOKUPS)


def refusal(details, **overrides) -> ServiceError:
    with pytest.raises(ServiceError) as refused:
        receiver(details, **overrides)
    assert refused.value.code is ErrorCode.INVALID
    return refused.value


def test_each_channel_names_who_received_the_item():
    assert receiver(QrDetails(deputy_id="zhang-wei")).model_dump() == {
        "kind": ReceiverKind.DEPUTY,
        "id": "zhang-wei",
        "name": "张伟",
    }
    assert receiver(QrDetails(station_id="xiashi-station")).name == "硖石街道人大代表联络站"
    visit = StationVisitDetails(station_id="xiashi-station", deputy_id="zhang-wei", reception_id="tuesday")
    assert (receiver(visit).kind, receiver(visit).name) == (ReceiverKind.DEPUTY, "张伟")
    grid = GridOfficerDetails(grid_id="wenyuan-3", officer="周丽", consent_to_contact=True)
    assert (receiver(grid).kind, receiver(grid).name) == (ReceiverKind.INFO_OFFICER, "周丽")
    meeting = VillageMeetingDetails(place="联丰村文化礼堂禾坪", held_on=date(2026, 11, 20), participants=23)
    assert receiver(meeting, entered_by="硖石街道联络站").name == "硖石街道联络站"
    assert receiver(HotlineDetails(operator="07 号")).kind is ReceiverKind.OPERATOR
    assert receiver(MailboxDetails(box="文苑社区 民情法治箱")).kind is ReceiverKind.STATION
    assert receiver(DeputyDetails(deputy_id="zhang-wei")).id == "zhang-wei"
    assert receiver(CountySystemDetails(system="12345", external_id="A-1")).name == "12345"
    assert receiver(WebDetails()).kind is ReceiverKind.PLATFORM


def test_references_must_exist_be_active_and_lie_in_the_items_county():
    assert refusal(QrDetails(deputy_id="nobody")).field == "details.deputy_id"
    assert "已停用" in refusal(DeputyDetails(deputy_id="retired")).detail
    assert refusal(QrDetails(station_id="other-county")).field == "details.station_id"
    assert refusal(DeputyDetails(deputy_id="wang-jun"), division="330482001").field == "details.deputy_id"
    grid = GridOfficerDetails(grid_id="nowhere", officer="周丽", consent_to_contact=False)
    assert refusal(grid).field == "details.grid_id"
    assert refusal(WebDetails(), grid_id="nowhere").field == "grid_id"


def test_a_visit_needs_a_deputy_of_that_station_and_an_announced_session():
    not_there = StationVisitDetails(station_id="xiashi-station", deputy_id="wang-jun")
    assert refusal(not_there, division="330482001").field == "details.station_id"
    assert refusal(not_there).field == "details.deputy_id"
    draft = StationVisitDetails(station_id="xiashi-station", deputy_id="zhang-wei", reception_id="draft")
    assert refusal(draft).field == "details.reception_id"
    unknown = StationVisitDetails(station_id="xiashi-station", deputy_id="zhang-wei", reception_id="nope")
    assert refusal(unknown).field == "details.reception_id"


def test_a_grid_officer_records_a_contact_only_with_consent():
    contact = PiiCipher(DEV_PII_KEY).seal("陈小明", "13812345678")
    refused = GridOfficerDetails(grid_id="wenyuan-3", officer="周丽", consent_to_contact=False)
    assert refusal(refused, contact=contact).field == "details.consent_to_contact"
    assert receiver(refused).name == "周丽"  # anonymous: fine without consent


def test_the_category_must_be_on_the_divisions_list():
    assert refusal(WebDetails(), category="加装电梯").field == "category"
    assert receiver(WebDetails(), category="道路交通").kind is ReceiverKind.PLATFORM
