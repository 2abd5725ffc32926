"""Open311's plain rules: stable service codes, open/closed, how an item reads as a request, what a
public text hides, and the gateway's parsing of the standard's parameters."""

from datetime import UTC, date, datetime, timedelta
from xml.etree.ElementTree import fromstring

import pytest

from contracts.intake.open311 import (
    DEFAULT_SERVICES,
    Open311Error,
    Open311Status,
    PublicRequest,
    case_statuses,
    categories_of,
    open311_status,
    service,
    service_code,
    service_request,
)
from contracts.intake.opinions import Location
from contracts.routing import UnitRef
from contracts.vocabulary import CaseStatus
from gateway.routers.open311 import (
    WINDOW,
    Format,
    NewRequestForm,
    Open311Failure,
    full_name,
    located,
    moment,
    period,
    render,
)
from services.intake.listing.public import masked
from services.intake.store import NATIONAL_DEFAULT

SUBMITTED = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def item(**overrides) -> PublicRequest:
    fields = dict(
        case_number="330481-2026-000123",
        division="330481001",
        category="道路交通",
        content="文苑路公交站台的顶棚坏了",
        status=CaseStatus.ASSIGNED,
        lead_unit=UnitRef(id="hn-transport", name="海宁市交通运输局"),
        due_date=date(2026, 12, 14),
        submitted_at=SUBMITTED,
        updated_at=SUBMITTED + timedelta(seconds=5),
    )
    return PublicRequest(**{**fields, **overrides})


def test_every_national_category_has_a_fixed_slug_and_a_local_one_a_stable_hash():
    codes = [service_code(name) for name in NATIONAL_DEFAULT]
    assert set(NATIONAL_DEFAULT) == set(DEFAULT_SERVICES) and len(set(codes)) == len(codes)
    assert codes[0] == "road-traffic" and service_code("其他") == "other"
    local = service_code("加装电梯")
    assert local.startswith("c-") and len(local) == 12 and local == service_code("加装电梯")
    assert local != service_code("老旧小区改造")
    assert service_code(None) == "other"


def test_a_service_is_realtime_with_no_metadata_and_its_chinese_name():
    road = service("道路交通")
    assert (road.service_code, road.service_name, road.type, road.metadata) == (
        "road-traffic",
        "道路交通",
        "realtime",
        False,
    )
    assert "道路" in road.keywords.split(",") and road.group
    local = service("加装电梯")
    assert local.service_name == "加装电梯" and local.service_code == service_code("加装电梯")


def test_codes_map_back_to_the_divisions_categories_whatever_their_order():
    names = ["加装电梯", "道路交通", "其他"]
    assert categories_of(["road-traffic", service_code("加装电梯")], names) == (["道路交通", "加装电梯"], [])
    assert categories_of(["road-traffic"], list(reversed(names))) == (["道路交通"], [])
    assert categories_of(["pothole", "education"], names) == ([], ["pothole", "education"])
    assert categories_of(["other"], ["道路交通"]) == (["其他", None], [])  # items without a category too


def test_only_closed_and_merged_cases_are_closed():
    assert {s for s in CaseStatus if open311_status(s) is Open311Status.CLOSED} == {
        CaseStatus.CLOSED,
        CaseStatus.MERGED,
    }
    assert case_statuses(Open311Status.OPEN) | case_statuses(Open311Status.CLOSED) == set(CaseStatus)
    assert CaseStatus.REPLIED in case_statuses(Open311Status.OPEN)


def test_an_item_reads_as_a_request_with_its_case_number_unit_and_due_date():
    request = service_request(item(status_reason="按关键词交办"))
    assert request.service_request_id == "330481-2026-000123" and request.status is Open311Status.OPEN
    assert (request.service_code, request.service_name) == ("road-traffic", "道路交通")
    assert request.agency_responsible == "海宁市交通运输局" and request.description == "文苑路公交站台的顶棚坏了"
    assert request.status_notes == "已交办 (assigned)：按关键词交办"
    assert request.requested_datetime == "2026-11-23T10:00:00+08:00"
    assert request.updated_datetime == "2026-11-23T10:00:05+08:00"
    assert request.expected_datetime == "2026-12-14T23:59:59+08:00" and "2026-12-14" in request.service_notice


def test_a_new_item_has_no_unit_or_due_date_yet_and_an_uncategorised_one_is_other():
    request = service_request(item(status=CaseStatus.RECEIVED, lead_unit=None, due_date=None, category=None))
    assert request.agency_responsible is None and request.expected_datetime is None
    assert (request.service_code, request.service_name) == ("other", "其他")
    assert request.status_notes == "已受理 (received)" and request.service_notice
    closed = service_request(item(status=CaseStatus.CLOSED))
    assert closed.status is Open311Status.CLOSED and "已办结" in closed.service_notice


@pytest.mark.parametrize(
    "written",
    [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+86 13812345678",
        "0573-87654321",
        "057387654321",
        "33048119800101123X",
        "chen.xm+1@example.com.cn",
    ],
)
def test_phone_numbers_id_cards_and_emails_in_a_public_text_are_masked(written):
    assert masked(f"请联系{written}谢谢") == "请联系***谢谢"


def test_ordinary_numbers_in_a_public_text_stay():
    text = "文苑路3幢100米处, 2026-11-23 起积水, 案件 330481-2026-000123, 12345 热线"
    assert masked(text) == text


def test_names_join_in_chinese_order_and_latin_ones_first_name_first():
    assert full_name("小明", "陈") == "陈小明"
    assert full_name(None, "陈") == "陈" and full_name(None, None) is None
    assert full_name("Ming", "Chen") == "Ming Chen"


def test_the_place_given_is_kept_with_the_text():
    form = NewRequestForm(
        service_code="road-traffic", description="顶棚坏了", address_string="文苑路站", lat=30.5, long=120.6
    )
    assert located(form) == Location(address="文苑路站", lat=30.5, long=120.6)
    assert located(NewRequestForm(service_code="road-traffic", description="顶棚坏了")) is None


def test_the_form_treats_blanks_as_absent_validates_the_phone_and_pairs_lat_with_long():
    form = NewRequestForm.model_validate(
        {"service_code": "other", "description": "x", "lat": "", "phone": "138 1234 5678"}
    )
    assert form.lat is None and form.phone == "13812345678"
    with pytest.raises(ValueError, match="手机号"):
        NewRequestForm(service_code="other", description="x", phone="12345")
    with pytest.raises(ValueError, match="lat"):
        NewRequestForm(service_code="other", description="x", lat=30.5)


def test_datetimes_are_w3c_and_without_an_offset_china_time():
    assert moment("2026-11-23T10:00:00+08:00", "start_date") == datetime(2026, 11, 23, 2, tzinfo=UTC)
    assert moment("2026-11-23T10:00:00 08:00", "start_date") == datetime(2026, 11, 23, 2, tzinfo=UTC)
    assert moment("2026-11-23T02:00:00Z", "start_date") == datetime(2026, 11, 23, 2, tzinfo=UTC)
    assert moment("2026-11-23", "start_date") == datetime(2026, 11, 22, 16, tzinfo=UTC)
    with pytest.raises(Open311Failure) as refused:
        moment("last tuesday", "end_date")
    assert refused.value.status == 400 and "end_date" in refused.value.description


def test_a_listing_covers_90_days_unless_asked_and_never_more():
    start, end = period(None, None)
    assert end - start == WINDOW and abs(end - datetime.now(UTC)) < timedelta(minutes=1)
    start, end = period("2026-01-01T00:00:00Z", None)
    assert (start, end - start) == (datetime(2026, 1, 1, tzinfo=UTC), WINDOW)
    start, end = period(None, "2026-12-01T00:00:00Z")
    assert end - start == WINDOW
    for bad in [("2026-01-01T00:00:00Z", "2026-06-01T00:00:00Z"), ("2026-02-01T00:00:00Z", "2026-01-01T00:00:00Z")]:
        with pytest.raises(Open311Failure) as refused:
            period(*bad)
        assert refused.value.status == 400


def test_answers_and_errors_render_as_the_standards_xml():
    answer = render(Format.XML, "request", [service_request(item())])
    root = fromstring(answer.body)
    assert answer.media_type == "text/xml" and root.tag == "service_requests"
    assert root.find("request/service_request_id").text == "330481-2026-000123"
    assert root.find("request/address").text is None  # absent: an empty element
    error = fromstring(render(Format.XML, "error", [Open311Error(code=404, description="未知")], 404).body)
    assert (error.tag, error.find("error/code").text, error.find("error/description").text) == ("errors", "404", "未知")
    services = fromstring(render(Format.XML, "service", [service("道路交通")]).body)
    assert services.find("service/metadata").text == "false"
