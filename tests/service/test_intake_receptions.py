"""The receptions RPCs with nameko's worker_factory on the real store: plan, announce with the week's
notice, hold or cancel, the public notice, the staff lists, and items linked once however often."""

from datetime import UTC, datetime, timedelta

import pytest
from nameko.testing.services import worker_factory

from contracts.errors import ErrorCode, ServiceError
from infra.pii import PiiCipher
from infra.settings import DEV_PII_KEY
from services.intake.receptions import entrypoints
from services.intake.receptions.store import StaleReception
from services.intake.service import IntakeService
from services.intake.store import IntakeStore
from tests.factories import Publications, actor, submit_opinion
from tests.unit.test_intake_receptions import DIRECTORY

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 23 November, 10:00 in Beijing
STATION = actor(role="station", scope="330481001").model_dump()
CHANGAN = {
    ("station", "changan-station"): {
        "_id": "changan-station",
        "name": "长安镇人大代表联络站",
        "division": "330481102",
        "active": True,
    },
}


class Directory:
    """The directory's lookup, as `DirectoryStore.find` answers it."""

    def find(self, kind: str, entry_id: str) -> dict | None:
        return {**DIRECTORY, **CHANGAN}.get((kind, entry_id))


class Clock:
    def __init__(self):
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(entrypoints, "utc_now", clock)
    return clock


@pytest.fixture
def intake(mongo_db, clock):
    store = IntakeStore(mongo_db, Publications())
    store.ensure_indexes()
    store.directory = Directory()
    return worker_factory(IntakeService, store=store, cipher=PiiCipher(DEV_PII_KEY))


def session(day: str = "2026-12-01", **overrides) -> dict:
    return {
        "station_id": "xiashi-station",
        "starts_at": f"{day}T09:00:00",
        "ends_at": f"{day}T11:30:00",
        "deputy_ids": ["deputy-zhang-wei", "deputy-li-hong"],
        "theme": "老旧小区加装电梯专题接待",
        "officials": [{"name": "刘建国", "post": "海宁市住房和城乡建设局 副局长"}],
        **overrides,
    }


def refusal(call, *args) -> ServiceError:
    with pytest.raises(ServiceError) as raised:
        call(*args)
    return raised.value


def test_a_planned_session_is_a_draft_kept_in_utc_and_shown_in_beijing_time(intake):
    view = intake.create_reception(session(), STATION)
    assert view["status"] == "draft" and view["version"] == 1 and view["announced_at"] is None
    assert view["starts_at"] == "2026-12-01T09:00:00+08:00"
    assert [d["name"] for d in view["deputies"]] == ["张伟", "李红"]
    stored = intake.store.receptions.sessions.find_one({"_id": view["id"]})
    assert stored["starts_at"] == "2026-12-01T01:00:00.000000Z" and stored["division"] == "330481001"


def test_the_lookup_for_staff_submissions_answers_what_the_item_needs(intake):
    created = intake.create_reception(session(), STATION)
    found = intake.store.receptions.get(created["id"])
    assert found["_id"] == created["id"] and found["station_id"] == "xiashi-station"
    assert found["division"] == "330481001" and found["status"] == "draft"
    assert found["deputy_ids"] == ["deputy-zhang-wei", "deputy-li-hong"]
    assert found["starts_at"] == datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    assert intake.store.receptions.get("rcp-nowhere") is None


def test_a_second_session_of_the_station_at_the_same_start_answers_the_first_until_it_is_cancelled(intake):
    first = intake.create_reception(session(), STATION)
    refused = refusal(intake.create_reception, session(theme="重复"), STATION)
    assert refused.code is ErrorCode.CONFLICT and refused.state["id"] == first["id"]
    assert intake.store.receptions.sessions.count_documents({}) == 1

    intake.cancel_reception(first["id"], {"reason": "改为专题接待"}, STATION)
    again = intake.create_reception(session(theme="重新安排"), STATION)
    assert again["id"] != first["id"] and again["status"] == "draft"


@pytest.mark.parametrize(
    ("reception", "field"),
    [
        (session(station_id="nowhere"), "station_id"),
        (session(deputy_ids=["deputy-wang-jun"]), "deputy_ids.0"),
        (session(deputy_ids=["deputy-zhang-wei", "deputy-retired"]), "deputy_ids.1"),
        (session(ends_at="2026-12-01T08:00:00"), "ends_at"),
        ({**session(), "station_id": None}, "station_id"),
    ],
)
def test_bad_sessions_are_refused_naming_the_field_and_nothing_is_stored(intake, reception, field):
    refused = refusal(intake.create_reception, reception, STATION)
    assert (refused.code, refused.field) == (ErrorCode.INVALID, field)
    assert intake.store.receptions.sessions.count_documents({}) == 0


def test_a_station_outside_the_keys_scope_is_refused(intake):
    other = actor(role="station", scope="330481102").model_dump()
    refused = refusal(intake.create_reception, session(), other)
    assert (refused.code, refused.field) == (ErrorCode.FORBIDDEN, "station_id")
    created = intake.create_reception(session(), STATION)
    refused = refusal(intake.announce_reception, created["id"], {}, other)
    assert (refused.code, refused.field) == (ErrorCode.FORBIDDEN, "division")
    assert intake.store.receptions.get(created["id"])["status"] == "draft"


def test_announcing_within_the_week_needs_a_reason_counted_in_beijing_dates(intake, clock):
    created = intake.create_reception(session("2026-12-01"), STATION)
    clock.now = datetime(2026, 11, 24, 16, 30, tzinfo=UTC)  # 00:30 on the 25th in Beijing: 6 days before
    refused = refusal(intake.announce_reception, created["id"], {}, STATION)
    assert (refused.code, refused.field) == (ErrorCode.INVALID, "reason")
    assert intake.store.receptions.get(created["id"])["status"] == "draft"

    announced = intake.announce_reception(created["id"], {"reason": "台风过境，接待改期后临时公告"}, STATION)
    assert announced["status"] == "announced" and announced["announced_at"] == "2026-11-25T00:30:00+08:00"
    assert announced["late_reason"] == "台风过境，接待改期后临时公告" and announced["version"] == 2


def test_a_week_ahead_is_announced_without_a_reason(intake, clock):
    created = intake.create_reception(session("2026-11-30"), STATION)
    announced = intake.announce_reception(created["id"], {}, STATION)
    assert announced["status"] == "announced" and announced["late_reason"] is None
    assert announced["announced_at"] == "2026-11-23T10:00:00+08:00"


def test_held_once_begun_and_cancelled_with_a_reason(intake, clock):
    created = intake.create_reception(session(), STATION)
    intake.announce_reception(created["id"], {}, STATION)
    early = refusal(intake.hold_reception, created["id"], {"visitors": 3}, STATION)
    assert early.code is ErrorCode.INVALID_TRANSITION
    clock.now = datetime(2026, 12, 1, 3, 45, tzinfo=UTC)
    held = intake.hold_reception(created["id"], {"visitors": 12}, STATION)
    assert held["status"] == "held" and held["visitors"] == 12 and held["held_at"] == "2026-12-01T11:45:00+08:00"
    refused = refusal(intake.cancel_reception, created["id"], {"reason": "事后取消"}, STATION)
    assert refused.code is ErrorCode.INVALID_TRANSITION and refused.state["status"] == "held"
    assert refusal(intake.cancel_reception, created["id"], {}, STATION).field == "reason"


def test_an_unknown_session_is_not_found(intake):
    for call, args in [
        (intake.announce_reception, ("rcp-nowhere", {}, STATION)),
        (intake.reception, ("rcp-nowhere",)),
    ]:
        refused = refusal(call, *args)
        assert (refused.code, refused.field) == (ErrorCode.NOT_FOUND, "reception_id")


def test_a_change_made_meanwhile_is_not_overwritten(intake):
    created = intake.create_reception(session(), STATION)
    loaded = intake.store.receptions.load(created["id"])
    intake.cancel_reception(created["id"], {"reason": "改期"}, STATION)
    with pytest.raises(StaleReception) as raised:
        intake.store.receptions.save(loaded.model_copy(update={"theme": "旧的修改"}))
    assert raised.value.current.status == "cancelled"


def test_the_public_notice_lists_announced_sessions_of_the_division_and_below_in_time_order(intake):
    later = intake.create_reception(session("2026-12-08"), STATION)
    sooner = intake.create_reception(session("2026-12-01"), STATION)
    draft = intake.create_reception(session("2026-12-03"), STATION)
    changan_key = actor(role="station", scope="330481102").model_dump()
    changan = intake.create_reception(
        session("2026-12-05", station_id="changan-station", deputy_ids=["deputy-wang-jun"]), changan_key
    )
    intake.announce_reception(changan["id"], {}, changan_key)
    for created in (later, sooner):
        intake.announce_reception(created["id"], {}, STATION)

    first = intake.public_receptions("330481001", 1)
    assert [s["id"] for s in first["items"]] == [sooner["id"]] and first["next"]
    second = intake.public_receptions("330481001", 1, first["next"])
    assert [s["id"] for s in second["items"]] == [later["id"]] and second["next"] is None
    county = [s["id"] for s in intake.public_receptions("330481", 10)["items"]]
    assert county == [sooner["id"], changan["id"], later["id"]] and draft["id"] not in county
    assert [s["id"] for s in intake.public_receptions("330481102", 10)["items"]] == [changan["id"]]
    shown = first["items"][0]
    assert shown["officials"] == [{"name": "刘建国", "post": "海宁市住房和城乡建设局 副局长"}]
    assert not {"late_reason", "created_by", "items", "version"} & set(shown)


def test_the_public_notice_keeps_a_month_of_past_sessions_and_cancellations_with_their_reason(intake, clock):
    old = intake.create_reception(session("2026-11-30"), STATION)
    intake.announce_reception(old["id"], {}, STATION)
    gone = intake.create_reception(session("2026-12-02"), STATION)
    intake.announce_reception(gone["id"], {}, STATION)
    intake.cancel_reception(gone["id"], {"reason": "台风预警，接待取消"}, STATION)

    clock.now = NOW + timedelta(days=20)
    shown = {s["id"]: s for s in intake.public_receptions("330481", 10)["items"]}
    assert shown[old["id"]]["status"] == "announced"
    assert shown[gone["id"]]["status"] == "cancelled" and shown[gone["id"]]["cancel_reason"] == "台风预警，接待取消"
    clock.now = NOW + timedelta(days=40)
    assert intake.public_receptions("330481", 10)["items"] == []


def test_the_staff_list_shows_every_state_latest_first_and_narrows_to_one(intake):
    sooner = intake.create_reception(session("2026-12-01"), STATION)
    later = intake.create_reception(session("2026-12-08"), STATION)
    intake.announce_reception(later["id"], {}, STATION)
    listed = intake.receptions("330481", None, 10)
    assert [s["id"] for s in listed["items"]] == [later["id"], sooner["id"]]
    assert [s["id"] for s in intake.receptions("330481001", "draft", 10)["items"]] == [sooner["id"]]
    assert intake.receptions("330482", None, 10)["items"] == []
    assert refusal(intake.receptions, "330481", "maybe", 10).field == "status"


def test_items_are_linked_once_however_often_and_listed_without_contact(intake):
    created = intake.create_reception(session(), STATION)
    intake.announce_reception(created["id"], {}, STATION)
    contact = PiiCipher(DEV_PII_KEY).seal("陈小明", "13812345678")
    intake.submit_opinion(
        submit_opinion(contact=contact, content="文苑小区想加装电梯但一楼住户不同意").envelope("330481001", "c").wire()
    )

    receptions = intake.store.receptions
    assert receptions.link_item(created["id"], "7K3P-9XTA-2MQD") is True
    assert receptions.link_item(created["id"], "7K3P-9XTA-2MQD") is True  # a redelivery
    assert receptions.link_item("rcp-nowhere", "7K3P-9XTA-2MQD") is False

    detail = intake.reception(created["id"])
    assert detail["items_received"] == 1
    [item] = detail["items"]
    assert item["tracking_code"] == "7K3P-9XTA-2MQD" and item["status"] == "received"
    assert item["content"] == "文苑小区想加装电梯但一楼住户不同意"
    assert "13812345678" not in str(detail) and "陈小明" not in str(detail) and "contact" not in item
    assert intake.public_receptions("330481", 10)["items"][0]["items_received"] == 1


def test_a_change_after_a_link_keeps_the_linked_items(intake, clock):
    created = intake.create_reception(session(), STATION)
    intake.announce_reception(created["id"], {}, STATION)
    intake.store.receptions.link_item(created["id"], "7K3P-9XTA-2MQD")
    clock.now = datetime(2026, 12, 1, 4, 0, tzinfo=UTC)
    intake.hold_reception(created["id"], {}, STATION)
    assert intake.store.receptions.load(created["id"]).items == ["7K3P-9XTA-2MQD"]


def test_the_real_directory_decides_who_may_be_on_duty(mongo_db, clock):
    store = IntakeStore(mongo_db, Publications())
    store.ensure_indexes()
    intake = worker_factory(IntakeService, store=store, cipher=PiiCipher(DEV_PII_KEY))
    intake.register_station({"id": "xiashi-station", "name": "硖石街道人大代表联络站", "division": "330481001"})
    for deputy_id, name in [("deputy-zhang-wei", "张伟"), ("deputy-li-hong", "李红")]:
        intake.register_deputy(
            {"id": deputy_id, "name": name, "division": "330481001", "station_ids": ["xiashi-station"]}
        )
    assert intake.create_reception(session(), STATION)["deputies"][1] == {"id": "deputy-li-hong", "name": "李红"}

    intake.update_entry("deputy", "deputy-li-hong", {"active": False})
    refused = refusal(intake.create_reception, session("2026-12-08"), STATION)
    assert (refused.code, refused.field) == (ErrorCode.INVALID, "deputy_ids.1") and "停用" in refused.detail
