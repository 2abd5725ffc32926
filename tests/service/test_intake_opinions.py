"""Staff submissions, case numbers, county systems' ids, categories, erasure and key rotation, through
intake's RPCs on the real embedded store."""

import base64
import threading
from datetime import date

import pytest
from nameko.testing.services import worker_factory

from contracts.envelope import Envelope
from contracts.errors import ErrorCode, ServiceError
from infra.pii import PiiCipher
from infra.settings import DEV_PII_KEY
from services.intake.service import IntakeService
from services.intake.store import IntakeStore
from tests.factories import Publications, actor, submit_opinion

NEW_KEY = "k2:" + base64.b64encode(b"a second key of thirty-two bytes").decode()
CIPHER = PiiCipher(DEV_PII_KEY)
STATION = actor(role="station", scope="330481", label="硖石街道联络站").model_dump()
COUNTY_SYSTEM = actor(role="county_system", scope="330481", label="海宁市 12345 平台").model_dump()


@pytest.fixture
def published():
    return Publications()


@pytest.fixture
def store(mongo_db, published):
    store = IntakeStore(mongo_db, published)
    store.ensure_indexes()
    return store


@pytest.fixture
def intake(store):
    return worker_factory(IntakeService, store=store, cipher=CIPHER)


def staff_item(code: str, details: dict, **overrides) -> dict:
    command = submit_opinion(tracking_code=code, channel=details["channel"], details=details, **overrides)
    return command.model_dump(mode="json")


def hotline(code: str, **overrides) -> dict:
    return staff_item(code, {"channel": "hotline", "operator": "话务员 07 号"}, **overrides)


def from_county_system(code: str, external_id: str) -> dict:
    return staff_item(code, {"channel": "county_system", "system": "海宁市 12345 平台", "external_id": external_id})


def events(published) -> list[Envelope]:
    return [Envelope.model_validate(wire) for wire in published.wires]


def test_a_staff_item_gets_its_case_number_receiver_and_origin_and_is_announced(intake, published):
    contact = CIPHER.seal("陈小明", "13812345678")
    receipt = intake.submit_staff_opinion(
        hotline("AAAA-AAAA-0001", contact=contact, division="330481001001", category="市政设施"), STATION
    )
    assert receipt == {
        "tracking_code": "AAAA-AAAA-0001",
        "case_number": "330481-2026-000001",
        "status": "received",
        "status_url": "/v1/public/opinions/AAAA-AAAA-0001",
        "duplicate": False,
    }
    [event] = events(published)
    assert event.type == "opinion.received"
    assert event.payload["case_number"] == "330481-2026-000001" and event.payload["category"] == "市政设施"
    assert event.payload["receiver"] == {"kind": "operator", "id": None, "name": "话务员 07 号"}
    assert event.payload["origin"] == {"division": "330481001001", "grid_id": None}
    assert "13812345678" not in str(event.payload) and "陈小明" not in str(event.payload)


def test_the_contact_is_encrypted_in_the_stored_document(intake, store):
    intake.submit_staff_opinion(hotline("AAAA-AAAA-0002", contact=CIPHER.seal("陈小明", "13812345678")), STATION)
    raw = store.opinions.collection.find_one({"_id": "AAAA-AAAA-0002"})
    assert "13812345678" not in str(raw) and "陈小明" not in str(raw)
    assert raw["contact"]["key_id"] == "dev" and raw["contact"]["phone_hash"] == CIPHER.phone_hash("13812345678")


def test_case_numbers_follow_on_without_gaps_per_county_and_year(intake):
    numbers = [intake.submit_staff_opinion(hotline(f"AAAA-AAAA-{n:04d}"), STATION)["case_number"] for n in range(1, 4)]
    other_county = actor(role="station", scope="330482").model_dump()
    elsewhere = intake.submit_staff_opinion(hotline("AAAA-AAAA-0009", division="330482001"), other_county)
    assert numbers == ["330481-2026-000001", "330481-2026-000002", "330481-2026-000003"]
    assert elsewhere["case_number"] == "330482-2026-000001"


def test_a_redelivered_submission_keeps_its_number_and_takes_no_other(intake, store):
    wire = submit_opinion(tracking_code="AAAA-AAAA-0001").envelope("330481001", "c").wire()
    intake.submit_opinion(wire)
    intake.submit_opinion(wire)
    intake.submit_opinion(submit_opinion(tracking_code="AAAA-AAAA-0002").envelope("330481001", "c").wire())
    stored = {doc["_id"]: doc["case_number"] for doc in store.opinions.collection.find()}
    assert stored == {"AAAA-AAAA-0001": "330481-2026-000001", "AAAA-AAAA-0002": "330481-2026-000002"}


def test_a_crash_between_numbering_and_storing_gets_the_same_number_back(store):
    assert store.next_case_number("330481", 2026, "AAAA-AAAA-0001") == 1
    assert store.next_case_number("330481", 2026, "AAAA-AAAA-0001") == 1  # redelivered after the crash
    assert store.next_case_number("330481", 2026, "AAAA-AAAA-0002") == 2


def test_concurrent_numbering_gives_distinct_numbers_with_no_gap(store):
    numbers: list[int] = []
    lock = threading.Lock()

    def take(worker: int):
        for n in range(50):
            number = store.next_case_number("330481", 2026, f"W{worker:02d}-{n:04d}")
            with lock:
                numbers.append(number)

    threads = [threading.Thread(target=take, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(numbers) == list(range(1, 401))


def test_a_county_systems_id_is_stored_once(intake, published):
    first = intake.submit_staff_opinion(from_county_system("AAAA-AAAA-0001", "HN-1"), COUNTY_SYSTEM)
    again = intake.submit_staff_opinion(from_county_system("AAAA-AAAA-0002", "HN-1"), COUNTY_SYSTEM)
    other = intake.submit_staff_opinion(from_county_system("AAAA-AAAA-0003", "HN-2"), COUNTY_SYSTEM)
    assert again == {**first, "duplicate": True}
    assert other["case_number"] == "330481-2026-000002"  # the duplicate took no number
    assert len(events(published)) == 2


def test_a_refused_reference_or_category_stores_nothing(intake, store, published):
    with pytest.raises(ServiceError) as refused:
        intake.submit_staff_opinion(hotline("AAAA-AAAA-0001", category="不存在的类别"), STATION)
    assert refused.value.code is ErrorCode.INVALID and refused.value.field == "category"
    with pytest.raises(ServiceError) as outside:
        intake.submit_staff_opinion(hotline("AAAA-AAAA-0002", division="330482001"), STATION)
    assert outside.value.code is ErrorCode.FORBIDDEN and outside.value.field == "division"
    assert store.opinions.collection.count_documents({}) == 0 and published.wires == []
    assert store.case_numbers.counters.count_documents({}) == 0


def test_each_division_has_its_categories_inherited_downwards(intake):
    assert intake.categories("330481001")["names"][0] == "道路交通"
    assert intake.categories("330481001")["defined_at"] is None
    intake.set_categories("330481", {"names": ["道路交通", "加装电梯", "加装电梯", "其他"]})
    township = intake.categories("330481001")
    assert township == {"division": "330481001", "names": ["道路交通", "加装电梯", "其他"], "defined_at": "330481"}
    receipt = intake.submit_staff_opinion(hotline("AAAA-AAAA-0001", category="加装电梯"), STATION)
    assert receipt["case_number"]
    with pytest.raises(ServiceError) as refused:
        intake.set_categories("330481", {"names": []})
    assert refused.value.field == "names"


def test_the_citizen_erases_their_contact_with_the_last_four_digits(intake, store, published):
    intake.submit_opinion(
        submit_opinion(contact=CIPHER.seal("陈小明", "13812345678")).envelope("330481001", "c").wire()
    )
    with pytest.raises(ServiceError) as wrong:
        intake.erase_contact("7K3P-9XTA-2MQD", {"phone_last_four": "1234"})
    assert wrong.value.code is ErrorCode.FORBIDDEN and wrong.value.field == "phone_last_four"
    assert intake.erase_contact("7K3P-9XTA-2MQD", {"phone_last_four": "5678"}) == {
        "tracking_code": "7K3P-9XTA-2MQD",
        "contact_erased": True,
    }
    raw = store.opinions.collection.find_one({"_id": "7K3P-9XTA-2MQD"})
    assert "contact" not in raw or raw["contact"] is None
    assert raw["content"] == "文苑路公交站台的顶棚坏了" and raw["contact_erased"] is True
    assert intake.staff_view("7K3P-9XTA-2MQD", STATION)["contact"] is None
    erased = [e for e in events(published) if e.type == "opinion.contact_erased"]
    assert len(erased) == 1 and erased[0].payload["tracking_code"] == "7K3P-9XTA-2MQD"
    assert intake.erase_contact("7K3P-9XTA-2MQD", {"phone_last_four": "5678"})["contact_erased"] is True
    assert len([e for e in events(published) if e.type == "opinion.contact_erased"]) == 1


def test_erasure_locks_after_five_wrong_tries(intake):
    intake.submit_opinion(
        submit_opinion(contact=CIPHER.seal("陈小明", "13812345678")).envelope("330481001", "c").wire()
    )
    for _ in range(5):
        with pytest.raises(ServiceError):
            intake.erase_contact("7K3P-9XTA-2MQD", {"phone_last_four": "0000"})
    with pytest.raises(ServiceError) as locked:
        intake.erase_contact("7K3P-9XTA-2MQD", {"phone_last_four": "5678"})
    assert "次数过多" in locked.value.detail
    assert intake.staff_view("7K3P-9XTA-2MQD", STATION)["contact"]["phone"] == "13812345678"


def test_key_rotation_reseals_every_contact_under_the_newest_key(store):
    for n in range(5):
        contact = CIPHER.seal(f"市民{n}", f"1381234567{n}")
        store_wire = submit_opinion(tracking_code=f"AAAA-AAAA-000{n}", contact=contact).envelope("330481001", "c")
        worker_factory(IntakeService, store=store, cipher=CIPHER).submit_opinion(store_wire.wire())
    rotated = PiiCipher(f"{NEW_KEY},{DEV_PII_KEY}")
    intake = worker_factory(IntakeService, store=store, cipher=rotated)
    assert intake.reencrypt_contacts(3) == {"reencrypted": 3, "remaining": 2, "active_key": "k2"}
    assert intake.reencrypt_contacts(3) == {"reencrypted": 2, "remaining": 0, "active_key": "k2"}
    only_new = PiiCipher(NEW_KEY)
    for n, raw in enumerate(store.opinions.collection.find().sort("_id", 1)):
        assert raw["contact"]["key_id"] == "k2"
        assert raw["contact"]["phone_hash"] == only_new.phone_hash(f"1381234567{n}")
        assert only_new.open_dict(raw["contact"]) == {"name": f"市民{n}", "phone": f"1381234567{n}"}


def test_a_village_meeting_records_place_date_and_participants(intake, store):
    details = {"channel": "village_meeting", "place": "联丰村文化礼堂禾坪", "held_on": "2026-11-20", "participants": 23}
    intake.submit_staff_opinion(staff_item("AAAA-AAAA-0001", details, entered_by="硖石街道联络站"), STATION)
    stored = store.opinions.get("AAAA-AAAA-0001")
    assert stored.details.held_on == date(2026, 11, 20) and stored.details.participants == 23
    assert stored.receiver.name == "硖石街道联络站" and stored.entered_by == "硖石街道联络站"


def test_intake_restarts_with_many_items_that_have_no_county_id(intake, store, mongo_db, reopen, published):
    for n in range(3):
        intake.submit_opinion(submit_opinion(tracking_code=f"AAAA-AAAA-000{n}").envelope("330481001", "c").wire())
    intake.submit_staff_opinion(from_county_system("AAAA-AAAA-0009", "HN-1"), COUNTY_SYSTEM)
    again = IntakeStore(reopen(mongo_db), published)
    again.ensure_indexes()  # the unique indexes skip the items without a county id or number
    assert again.opinions.collection.count_documents({}) == 4
