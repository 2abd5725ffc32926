"""intake's import RPC with nameko's worker_factory and the real store: each command of a batch received
through the staff path, refusals per row, and the same external ids a second time creating nothing."""

import pytest
from nameko.testing.services import worker_factory

from contracts.errors import ErrorCode, ServiceError
from contracts.intake.opinions import CountySystemDetails
from infra.pii import PiiCipher
from infra.settings import DEV_PII_KEY
from services.intake.service import IntakeService
from services.intake.store import IntakeStore
from tests.factories import Publications, actor, submit_opinion

SYSTEM = "海宁市 12345 平台"
COUNTY_SYSTEM = actor(role="county_system", label=SYSTEM).model_dump()


@pytest.fixture
def published():
    return Publications()


@pytest.fixture
def intake(mongo_db, published):
    store = IntakeStore(mongo_db, published)
    store.ensure_indexes()
    return worker_factory(IntakeService, store=store, cipher=PiiCipher(DEV_PII_KEY))


def command(number: int, external_id: str, **overrides) -> dict:
    fields = {
        "tracking_code": f"7K3P-9XTA-{number:04d}",
        "channel": "county_system",
        "details": CountySystemDetails(system=SYSTEM, external_id=external_id),
        "contact": PiiCipher(DEV_PII_KEY).seal("陈小明", "13812345678"),
        **overrides,
    }
    return submit_opinion(**fields).model_dump(mode="json")


def batch(first_code: int) -> list[dict]:
    return [
        command(first_code, "HN-1", content="文苑路公交站台的顶棚坏了"),
        command(first_code + 1, "HN-2", category="天气"),
        command(first_code + 2, "HN-3", grid_id="no-such-grid"),
        command(first_code + 3, "HN-4", division="330482001"),
        command(first_code + 4, "HN-5", content="海洲街道的河道有污水直排", category="环境保护"),
    ]


def test_valid_rows_are_received_and_refused_ones_change_nothing(intake, published):
    outcomes = intake.import_opinions(batch(1), COUNTY_SYSTEM)

    assert [o["tracking_code"] for o in outcomes] == ["7K3P-9XTA-0001", None, None, None, "7K3P-9XTA-0005"]
    assert [o["error"]["field"] for o in outcomes if o["error"]] == ["category", "grid_id", "division"]
    assert all(o["error"]["reason"][0] > "\u4e00" for o in outcomes if o["error"])  # Chinese first
    numbers = [o["case_number"] for o in outcomes if o["case_number"]]
    assert len(set(numbers)) == 2 and all(n.startswith("330481-2026-") for n in numbers)
    stored = intake.store.opinions.collection
    assert stored.count_documents({}) == 2
    assert published.types() == ["opinion.received", "opinion.received"]
    item = stored.find_one({"_id": "7K3P-9XTA-0001"})
    assert item["channel"] == "county_system" and item["details"]["external_id"] == "HN-1"
    assert item["receiver"] == {"kind": "system", "id": None, "name": SYSTEM}
    assert "13812345678" not in str(item)


def test_the_same_external_ids_again_answer_the_stored_items_and_create_nothing(intake, published):
    first = intake.import_opinions(batch(1), COUNTY_SYSTEM)
    again = intake.import_opinions(batch(101), COUNTY_SYSTEM)  # new tracking codes, same external ids

    assert [o["tracking_code"] for o in again] == [o["tracking_code"] for o in first]
    assert [o["case_number"] for o in again] == [o["case_number"] for o in first]
    assert [o["duplicate"] for o in again] == [True, False, False, False, True]
    assert intake.store.opinions.collection.count_documents({}) == 2
    assert published.types() == ["opinion.received", "opinion.received"]


def test_only_county_systems_and_admins_import(intake):
    for role in ("station", "supervisor", "deputy"):
        with pytest.raises(ServiceError) as raised:
            intake.import_opinions(batch(1), actor(role=role).model_dump())
        assert raised.value.code is ErrorCode.FORBIDDEN
    assert intake.store.opinions.collection.count_documents({}) == 0
    outcomes = intake.import_opinions(batch(1)[:1], actor(role="admin", scope="").model_dump())
    assert outcomes[0]["tracking_code"] == "7K3P-9XTA-0001"


def test_a_command_that_is_not_from_a_county_system_is_refused_in_its_row(intake):
    web = {**command(1, "HN-1"), "channel": "web", "details": {"channel": "web"}}
    malformed = {**command(2, "HN-2"), "division": "33"}
    outcomes = intake.import_opinions([web, malformed, command(3, "HN-3")], COUNTY_SYSTEM)
    assert [o["error"]["field"] if o["error"] else o["tracking_code"] for o in outcomes] == [
        "channel",
        "division",
        "7K3P-9XTA-0003",
    ]
