"""intake's public listing (what Open311 answers are made of) with worker_factory on the real store:
filters by division, period, status, category and case number, newest first, and never the
tracking code, the contact, or a phone number written into the text."""

from datetime import timedelta

import pytest
from nameko.testing.services import worker_factory

from contracts.errors import ErrorCode, ServiceError
from contracts.intake.open311 import RequestQuery
from contracts.vocabulary import CaseStatus
from infra.pii import PiiCipher
from infra.settings import DEV_PII_KEY
from services.intake.service import IntakeService
from services.intake.store import IntakeStore
from tests.factories import NOW, Publications, case_assigned, submit_opinion

CIPHER = PiiCipher(DEV_PII_KEY)


@pytest.fixture
def intake(mongo_db):
    store = IntakeStore(mongo_db, Publications())
    store.ensure_indexes()
    return worker_factory(IntakeService, store=store, cipher=CIPHER)


def submit(intake, code: str, minutes: int = 0, division: str = "330481001", **overrides) -> str:
    """Stores an item submitted `minutes` after NOW; returns its case number."""
    command = submit_opinion(
        tracking_code=code, division=division, submitted_at=NOW + timedelta(minutes=minutes), **overrides
    )
    intake.submit_opinion(command.envelope(division, "c").wire())
    return intake.store.opinions.get(code).case_number


def listed(intake, **query) -> list[str]:
    wire = RequestQuery(**{"division_prefix": "330481", **query}).model_dump(mode="json")
    return [item["case_number"] for item in intake.public_requests(wire)]


def test_items_of_a_division_and_below_it_newest_first(intake):
    first = submit(intake, "AAAA-AAAA-0001", 0)
    second = submit(intake, "AAAA-AAAA-0002", 5, division="330481102")
    submit(intake, "AAAA-AAAA-0003", 10, division="330482001")

    assert listed(intake) == [second, first]
    assert listed(intake, division_prefix="330481102") == [second]
    assert listed(intake, limit=1) == [second]


def test_filters_by_period_status_and_category(intake):
    early = submit(intake, "AAAA-AAAA-0001", 0, category="道路交通")
    late = submit(intake, "AAAA-AAAA-0002", 60)
    intake.on_case_assigned(case_assigned(case_id="AAAA-AAAA-0002").envelope("330481001", "c").wire())

    assert listed(intake, start=NOW + timedelta(minutes=30), end=NOW + timedelta(hours=2)) == [late]
    assert listed(intake, start=NOW, end=NOW + timedelta(minutes=60)) == [early]  # the end is excluded
    assert listed(intake, statuses=[CaseStatus.ASSIGNED]) == [late]
    assert listed(intake, statuses=[CaseStatus.CLOSED]) == []
    assert listed(intake, categories=["道路交通"]) == [early]
    assert listed(intake, categories=[None]) == [late]  # None: the items without a category


def test_case_numbers_override_every_other_filter(intake):
    first = submit(intake, "AAAA-AAAA-0001", 0)
    submit(intake, "AAAA-AAAA-0002", 5)
    assert listed(intake, case_numbers=[first, "330481-2026-999999"], statuses=[CaseStatus.CLOSED]) == [first]
    assert listed(intake, division_prefix="330482", case_numbers=[first]) == []


def test_an_item_shows_its_progress_but_no_tracking_code_contact_or_number_in_its_text(intake):
    number = submit(
        intake,
        "AAAA-AAAA-0001",
        contact=CIPHER.seal("陈小明", "13812345678"),
        content="文苑路公交站台顶棚坏了, 请回电 138 1234 5678 或 0573-87654321, 邮箱 chen@example.com",
    )
    intake.on_case_assigned(case_assigned(case_id="AAAA-AAAA-0001").envelope("330481001", "c").wire())

    item = intake.public_request(number)
    assert item["status"] == "assigned" and item["lead_unit"]["name"] == "海宁市交通运输局"
    assert item["due_date"] == "2026-12-14" and item["updated_at"] >= item["submitted_at"]
    assert item["content"] == "文苑路公交站台顶棚坏了, 请回电 *** 或 ***, 邮箱 ***"
    assert "AAAA-AAAA-0001" not in str(item) and "contact" not in item and "陈" not in str(item)
    assert intake.public_requests(RequestQuery(division_prefix="330481").model_dump(mode="json")) == [item]


def test_an_unknown_case_number_is_not_found(intake):
    with pytest.raises(ServiceError) as refused:
        intake.public_request("330481-2026-000404")
    assert refused.value.code is ErrorCode.NOT_FOUND and refused.value.field == "case_number"


def test_a_malformed_query_is_refused_naming_the_field(intake):
    with pytest.raises(ServiceError) as refused:
        intake.public_requests({"division_prefix": "330481", "limit": 5000})
    assert refused.value.code is ErrorCode.INVALID and refused.value.field == "limit"
