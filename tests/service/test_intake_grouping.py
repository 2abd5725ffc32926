"""Grouping through intake's entrypoints with nameko's worker_factory: the real store on the test
database, intake's own `opinion.received` and `opinion.merged` fed back as the broker would."""

from datetime import timedelta

import pytest
from nameko.testing.services import worker_factory

from contracts.envelope import Envelope
from contracts.errors import ErrorCode, ServiceError
from infra.pii import PiiCipher
from infra.settings import DEV_PII_KEY
from services.intake import opinion as opinion_rules
from services.intake.grouping import follow
from services.intake.grouping.item import CANDIDATES
from services.intake.grouping.signature import BANDS
from services.intake.service import IntakeService
from services.intake.store import IntakeStore
from tests.factories import NOW, Publications, actor, case_assigned, submit_opinion
from tests.unit.test_intake_grouping import CLUSTERS, POTHOLE, SINGLES, STREET_LIGHT

STATION = actor(role="station").model_dump()


@pytest.fixture
def published():
    return Publications()


def worker(mongo_db, published, fresh=True):
    store = IntakeStore(mongo_db, published)
    if fresh:
        store.ensure_indexes()
    return worker_factory(IntakeService, store=store, cipher=PiiCipher(DEV_PII_KEY))


@pytest.fixture
def intake(mongo_db, published):
    return worker(mongo_db, published)


def code(n: int) -> str:
    return f"7K3P-9XTA-{n:04d}"


def received(published, tracking_code: str) -> dict:
    return next(
        wire
        for wire in published.wires
        if wire["type"] == "opinion.received" and wire["payload"]["tracking_code"] == tracking_code
    )


def submit(intake, published, n: int, content: str, division="330481001", at=NOW, contact=None) -> dict:
    """Stores the item as intake does and hands its `opinion.received` to grouping; returns the wire."""
    command = submit_opinion(tracking_code=code(n), content=content, division=division, submitted_at=at)
    if contact is not None:
        command = command.model_copy(update={"contact": contact})
    intake.submit_opinion(command.envelope(division, "corr").wire())
    wire = received(published, code(n))
    intake.group_received_opinion(wire)
    return wire


def groups(intake, division="330481") -> list[dict]:
    return intake.opinion_groups(division)["items"]


def members(group: dict) -> list[str]:
    return sorted(member["tracking_code"] for member in group["members"])


def submit_potholes(intake, published) -> None:
    contact = PiiCipher(DEV_PII_KEY).seal("陈小明", "13812345678")
    for n, text in enumerate(POTHOLE):
        submit(intake, published, n, text, at=NOW + timedelta(hours=n), contact=contact)
    submit(intake, published, 9, STREET_LIGHT)


def test_three_wordings_of_one_pothole_make_one_group_and_the_street_light_stays_out(intake, published):
    submit_potholes(intake, published)

    [group] = groups(intake)
    assert members(group) == [code(0), code(1), code(2)] and group["size"] == 3
    assert group["division"] == "330481001" and group["primary"] is None
    assert group["terms"][:2] == ["文苑路", "坑洼"]
    first = next(m for m in group["members"] if m["tracking_code"] == code(0))
    assert first["excerpt"] == POTHOLE[0] and first["status"] == "received" and first["case_number"]
    assert "13812345678" not in str(group) and "陈小明" not in str(group) and "contact" not in str(group)
    assert groups(intake, "330481001") == [group] and groups(intake, "330482") == []


def test_a_replayed_event_changes_neither_the_group_nor_the_counts(intake, published):
    submit_potholes(intake, published)
    before = (groups(intake), intake.hot_words("330481", "2026-11-23", "2026-11-23"))

    for n in (0, 1, 2, 9):
        intake.group_received_opinion(received(published, code(n)))
    assert (groups(intake), intake.hot_words("330481", "2026-11-23", "2026-11-23")) == before
    assert before[1]["items"] == 4 and {"term": "文苑路", "count": 4} in before[1]["words"]
    buckets = intake.store.grouping.buckets.find()
    assert all(len(bucket["members"]) == len(set(bucket["members"])) for bucket in buckets)


def test_items_of_another_division_or_more_than_30_days_apart_are_not_grouped(intake, published):
    submit(intake, published, 0, POTHOLE[0])
    submit(intake, published, 1, POTHOLE[1], division="330481002")
    submit(intake, published, 2, POTHOLE[2], at=NOW + timedelta(days=31))
    assert groups(intake) == []
    submit(intake, published, 3, POTHOLE[2], at=NOW - timedelta(days=1))
    assert [members(group) for group in groups(intake)] == [[code(0), code(3)]]


def test_grouping_keeps_nothing_in_memory_a_restarted_service_finds_the_group(mongo_db, published):
    first = worker(mongo_db, published)
    submit(first, published, 0, POTHOLE[0])
    submit(first, published, 1, POTHOLE[1])
    restarted = worker(mongo_db, published, fresh=False)
    submit(restarted, published, 2, POTHOLE[2])
    assert [members(group) for group in groups(restarted)] == [[code(0), code(1), code(2)]]


class Recorder:
    """Stands in for a collection and records every read's filter."""

    def __init__(self, collection, reads: list):
        self.collection, self.reads = collection, reads

    def find_one(self, filter, *args, **kwargs):
        self.reads.append(filter)
        return self.collection.find_one(filter, *args, **kwargs)

    def find(self, filter=None, *args, **kwargs):
        self.reads.append(filter)
        return self.collection.find(filter, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.collection, name)


def test_candidates_come_from_keyed_lookups_never_from_a_scan_of_the_stored_items(intake, published):
    for n, (_, text) in enumerate((name, text) for name, texts in CLUSTERS.items() for text in texts):
        submit(intake, published, n, text, at=NOW + timedelta(minutes=n))
    grouping = intake.store.grouping
    bucket_reads, item_reads = [], []
    grouping.buckets, grouping.items = Recorder(grouping.buckets, bucket_reads), Recorder(grouping.items, item_reads)

    submit(intake, published, 99, "文苑路中间有个深坑，骑电动车很容易摔倒")

    assert bucket_reads and all(set(read) == {"_id"} and isinstance(read["_id"], str) for read in bucket_reads)
    assert all(set(read) == {"_id"} and isinstance(read["_id"], str) for read in item_reads)
    assert len(bucket_reads) == 3 * BANDS  # the item's keys in its period and the two around it
    assert len(item_reads) <= CANDIDATES + 10
    assert code(99) in next(members(g) for g in groups(intake) if code(0) in members(g))


def test_hot_words_of_a_realistic_set_count_items_per_area_and_period(intake, published):
    texts = [text for texts in CLUSTERS.values() for text in texts] + SINGLES
    for n, text in enumerate(texts):  # 45 items over three days in 硖石街道; a few in 海洲街道
        submit(intake, published, n, text, at=NOW + timedelta(days=n % 3))
    submit(intake, published, 100, "海洲街道的路灯不亮", division="330481002")
    submit(intake, published, 101, "文苑路的路灯坏了", division="330481002", at=NOW - timedelta(days=3))

    county = intake.hot_words("330481", "2026-11-23", "2026-11-25", 5)
    assert county["items"] == 46 and county["first_day"] == "2026-11-23" and county["last_day"] == "2026-11-25"
    assert county["words"] == [  # 文苑路: 3 potholes, 3 street lights, 3 manholes, weeds, traffic lights
        {"term": "文苑路", "count": 11},
        {"term": "海昌路", "count": 7},
        {"term": "噪音", "count": 6},  # 噪音, 噪声, 扰民, 声音太大, 特别响
        {"term": "东山小区", "count": 5},
        {"term": "损坏", "count": 5},  # ties by term
    ]
    township = intake.hot_words("330481001", "2026-11-23", "2026-11-25", 3)
    assert township["items"] == 45 and township["words"][0] == {"term": "文苑路", "count": 11}
    other = intake.hot_words("330481002", "2026-11-20", "2026-11-25", 10)
    assert other["items"] == 2 and {"term": "路灯", "count": 2} in other["words"]
    first_day = intake.hot_words("330481001", "2026-11-23", "2026-11-23", 100)
    assert first_day["items"] == 15
    assert not {word["term"] for word in county["words"]} & {"希望", "问题", "的", "，"}


def merge(intake, group_id: str, primary: str, **extra) -> dict:
    return intake.merge_group(group_id, {"primary": primary, **extra}, STATION)


def test_a_station_merges_a_group_and_every_member_follows_the_primary(intake, published):
    submit_potholes(intake, published)
    [group] = groups(intake)

    view = merge(intake, group["group_id"], code(1), expected_version=group["version"])
    assert view["primary"] == code(1) and view["merged_by"] == actor(role="station").ref
    assert {m["tracking_code"]: (m["primary"], m["merged"]) for m in view["members"]} == {
        code(0): (False, True),
        code(1): (True, False),
        code(2): (False, True),
    }
    [wire] = [w for w in published.wires if w["type"] == "opinion.merged"]
    assert wire["payload"]["primary"] == code(1) and sorted(wire["payload"]["members"]) == [code(0), code(2)]
    assert "13812345678" not in str(wire)

    intake.on_opinion_merged(wire)
    intake.on_opinion_merged(wire)
    member = intake.public_view(code(0))
    assert [step["status"] for step in member["history"]] == ["received", "merged"]
    assert intake.public_view(code(1))["case_number"] in member["history"][-1]["reason"]
    assert merge(intake, group["group_id"], code(1))["version"] == view["version"]  # nothing new to merge
    assert len([w for w in published.wires if w["type"] == "opinion.merged"]) == 1


def test_the_primary_s_case_events_reach_its_followers_once(intake, published):
    submit_potholes(intake, published)
    [group] = groups(intake)
    merge(intake, group["group_id"], code(1))
    intake.on_opinion_merged(next(w for w in published.wires if w["type"] == "opinion.merged"))
    assert (
        follow.followers(intake.store, code(1)) == [code(0), code(2)] and follow.followers(intake.store, code(0)) == []
    )

    event = case_assigned(case_id=code(1))
    envelope = event.envelope("330481001", "c")
    for _ in range(2):
        follow.apply_to_followers(
            intake.store, code(1), envelope.event_id, lambda opinion: opinion_rules.assigned(opinion, event)
        )
    member = intake.public_view(code(2))
    assert member["status"] == "assigned" and member["lead_unit"]["name"] == "海宁市交通运输局"
    assert [step["status"] for step in member["history"]] == ["received", "merged", "triaged", "assigned"]


def test_a_merge_is_refused_outside_the_scope_on_a_stale_version_or_for_another_primary(intake, published):
    submit_potholes(intake, published)
    [group] = groups(intake)
    elsewhere = actor(role="station", scope="330482").model_dump()
    for group_id, who in [(group["group_id"], elsewhere), ("01JDQ8M5V6X4T2R9K7W3B1N0PZ", STATION)]:
        with pytest.raises(ServiceError) as raised:
            intake.merge_group(group_id, {"primary": code(0)}, who)
        assert raised.value.code is ErrorCode.NOT_FOUND and raised.value.field == "group_id"
    with pytest.raises(ServiceError) as raised:
        merge(intake, group["group_id"], code(0), expected_version=group["version"] + 1)
    assert raised.value.code is ErrorCode.CONFLICT and raised.value.state["version"] == group["version"]
    merge(intake, group["group_id"], code(0))
    with pytest.raises(ServiceError) as raised:
        merge(intake, group["group_id"], code(1))
    assert raised.value.code is ErrorCode.CONFLICT and raised.value.field == "primary"
    with pytest.raises(ServiceError) as raised:
        intake.merge_group(group["group_id"], {"primary": "not a code"}, STATION)
    assert raised.value.code is ErrorCode.INVALID and raised.value.field == "primary"


def test_a_member_taken_out_is_not_put_back_and_a_group_of_one_is_dissolved(intake, published):
    submit_potholes(intake, published)
    [group] = groups(intake)

    view = intake.split_group(group["group_id"], {"members": [code(2)]}, STATION)
    assert members(view) == [code(0), code(1)] and view["size"] == 2
    intake.group_received_opinion(received(published, code(2)))  # a replay
    submit(intake, published, 3, "文苑路中间有个深坑，骑电动车很容易摔倒")
    assert [members(g) for g in groups(intake)] == [[code(0), code(1), code(3)]]

    intake.split_group(group["group_id"], {"members": [code(0), code(3)]}, STATION)
    assert groups(intake) == []
    with pytest.raises(ServiceError) as raised:
        intake.split_group(group["group_id"], {"members": [code(1)]}, STATION)
    assert raised.value.code is ErrorCode.NOT_FOUND


def test_merged_members_cannot_be_split_out(intake, published):
    submit_potholes(intake, published)
    [group] = groups(intake)
    merge(intake, group["group_id"], code(0))
    with pytest.raises(ServiceError) as raised:
        intake.split_group(group["group_id"], {"members": [code(1)]}, STATION)
    assert raised.value.code is ErrorCode.INVALID_TRANSITION and raised.value.field == "members"
    assert [Envelope.model_validate(w).type for w in published.wires].count("opinion.merged") == 1
