"""Deputy suggestions through intake's RPCs on the real embedded store: filing with its number,
the pre-review moves, merging, `suggestion.accepted` once, scopes, stale versions, bad input."""

import threading
from datetime import timedelta

import pytest
from nameko.testing.services import worker_factory

from contracts.envelope import Envelope
from contracts.errors import ErrorCode, ServiceError, StoreUnavailable
from contracts.intake.suggestions import SUGGESTION_ID, SuggestionAccepted
from infra.outbox import PublishFailed
from infra.pii import PiiCipher
from infra.settings import DEV_PII_KEY
from services.intake.service import IntakeService
from services.intake.store import IntakeStore
from services.intake.suggestions.handlers import apply_case_accepted, apply_case_assigned, is_suggestion
from tests.factories import Publications, actor, case_accepted, case_assigned

DEPUTY = actor(role="deputy", scope="330481", label="张伟代表").model_dump()
REVIEWER = actor(key_id="01REVIEW", role="supervisor", scope="330481", label="代表工委").model_dump()
DEPUTIES = [
    {"_id": "deputy-zhang-wei", "name": "张伟", "division": "330481001", "active": True},
    {"_id": "deputy-li-hong", "name": "李红", "division": "330481001", "active": True},
    {"_id": "deputy-wang-jun", "name": "王军", "division": "330481102", "active": True},
    {"_id": "deputy-gone", "name": "赵退", "division": "330481001", "active": False},
    {"_id": "deputy-elsewhere", "name": "钱外", "division": "330482001", "active": True},
]


@pytest.fixture
def published():
    return Publications()


@pytest.fixture
def store(mongo_db, published):
    store = IntakeStore(mongo_db, published)
    store.ensure_indexes()
    store.directory.deputies.insert_many([dict(deputy) for deputy in DEPUTIES])
    return store


@pytest.fixture
def intake(store):
    return worker_factory(IntakeService, store=store, cipher=PiiCipher(DEV_PII_KEY))


def filing(**overrides) -> dict:
    return {
        "division": "330481",
        "session": {"term": 17, "meeting": 3},
        "lead_deputy": "deputy-zhang-wei",
        "co_signers": ["deputy-li-hong"],
        "title": "关于加快老旧小区加装电梯的建议",
        "text": "我市2000年以前建成的老旧小区多无电梯，老年居民上下楼困难。建议简化审批流程，提高财政补助。",
        **overrides,
    }


def accepted_events(published) -> list[SuggestionAccepted]:
    envelopes = [Envelope.model_validate(wire) for wire in published.wires]
    return [SuggestionAccepted.from_envelope(e) for e in envelopes if e.type == "suggestion.accepted"]


def refusal(action) -> ServiceError:
    with pytest.raises(ServiceError) as refused:
        action()
    return refused.value


def test_filed_returned_edited_resubmitted_and_accepted_announces_once(intake, published):
    filed = intake.file_suggestion(filing(), DEPUTY)
    assert SUGGESTION_ID.match(filed["id"]) and filed["status"] == "drafted" and filed["version"] == 1
    assert (filed["number"], filed["label"], filed["session_name"]) == (
        1,
        "建议第1号",
        "第十七届人民代表大会第三次会议",
    )
    assert filed["lead_deputy"] == {"id": "deputy-zhang-wei", "name": "张伟", "division": "330481001"}
    sid = filed["id"]

    intake.submit_suggestion(sid, {"expected_version": 1}, DEPUTY)
    returned = intake.return_suggestion(sid, {"comment": "请补充涉及的小区名单和居民意愿调查"}, REVIEWER)
    assert (
        returned["status"] == "returned" and returned["history"][-1]["comment"] == "请补充涉及的小区名单和居民意愿调查"
    )
    assert returned["history"][-1]["actor"] == "supervisor:01REVIEW"

    text = "补充：文苑、西山、双山等12个小区，居民意愿调查同意率均超过三分之二。建议简化审批，提高补助。"
    edited = intake.edit_suggestion(
        sid, {"title": filed["title"], "text": text, "co_signers": ["deputy-li-hong", "deputy-wang-jun"]}, DEPUTY
    )
    assert edited["status"] == "returned" and edited["text"] == text
    assert [d["name"] for d in edited["co_signers"]] == ["李红", "王军"]
    intake.submit_suggestion(sid, {}, DEPUTY)
    assert accepted_events(published) == []

    accepted = intake.accept_suggestion(sid, {"expected_version": edited["version"] + 1}, REVIEWER)
    assert accepted["status"] == "accepted" and accepted["accepted_at"] is not None
    with pytest.raises(ServiceError) as again:
        intake.accept_suggestion(sid, {}, REVIEWER)
    assert again.value.code is ErrorCode.INVALID_TRANSITION

    (event,) = accepted_events(published)
    assert (event.suggestion_id, event.number, event.division, event.title) == (sid, 1, "330481", filed["title"])
    assert [d.name for d in event.deputies] == ["张伟", "李红", "王军"] and event.text == edited["text"]
    assert intake.suggestion(sid, REVIEWER) == accepted
    assert intake.store.suggestions.suggestions.collection.find_one({"_id": sid})["outbox"] == []


def test_numbers_run_per_division_and_session(intake):
    numbers = [intake.file_suggestion(filing(), DEPUTY)["number"] for _ in range(3)]
    next_meeting = intake.file_suggestion(filing(session={"term": 17, "meeting": 4}), DEPUTY)
    township = intake.file_suggestion(
        filing(division="330481102", lead_deputy="deputy-wang-jun", co_signers=[]), DEPUTY
    )
    assert numbers == [1, 2, 3] and next_meeting["number"] == 1 and township["number"] == 1


def test_concurrent_filings_get_distinct_numbers_with_no_gap(intake):
    numbers: list[int] = []
    lock = threading.Lock()

    def file_some():
        for _ in range(10):
            number = intake.file_suggestion(filing(), DEPUTY)["number"]
            with lock:
                numbers.append(number)

    threads = [threading.Thread(target=file_some) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(numbers) == list(range(1, 41))
    assert intake.store.suggestions.suggestions.collection.count_documents({}) == 40


def test_a_refused_write_gives_its_number_back(intake, store, monkeypatch):
    def refuse(*args, **kwargs):
        raise StoreUnavailable("disk full")

    with monkeypatch.context() as patched:
        patched.setattr(store.suggestions.suggestions, "add", refuse)
        assert refusal(lambda: intake.file_suggestion(filing(), DEPUTY)).code is ErrorCode.UNAVAILABLE
    assert intake.file_suggestion(filing(), DEPUTY)["number"] == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"lead_deputy": "deputy-nobody"}, "lead_deputy"),
        ({"co_signers": ["deputy-gone"]}, "co_signers.0"),  # deactivated
        ({"co_signers": ["deputy-li-hong", "deputy-elsewhere"]}, "co_signers.1"),  # another county
        ({"division": "330481001", "co_signers": ["deputy-wang-jun"]}, "co_signers.0"),  # not of that congress
        ({"co_signers": ["deputy-zhang-wei"]}, "co_signers"),  # the lead deputy co-signing
        ({"title": ""}, "title"),
        ({"session": {"term": 17, "meeting": 0}}, "session.meeting"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_bad_filings_are_refused_naming_the_field_and_take_no_number(intake, change, field):
    refused = refusal(lambda: intake.file_suggestion(filing(**change), DEPUTY))
    assert refused.code is ErrorCode.INVALID and refused.field == field
    assert intake.store.suggestions.suggestions.collection.count_documents({}) == 0
    assert intake.file_suggestion(filing(), DEPUTY)["number"] == 1


def test_a_deputy_key_files_only_for_a_lead_deputy_in_its_scope(intake):
    township_key = actor(role="deputy", scope="330481102").model_dump()
    refused = refusal(
        lambda: intake.file_suggestion(filing(division="330481102", lead_deputy="deputy-zhang-wei"), township_key)
    )
    assert refused.code is ErrorCode.INVALID  # 张伟 is not a deputy of 长安镇's congress
    refused = refusal(lambda: intake.file_suggestion(filing(), township_key))
    assert refused.code is ErrorCode.FORBIDDEN and refused.field == "division"
    narrow = actor(role="deputy", scope="330481001").model_dump()
    refused = refusal(
        lambda: intake.file_suggestion(filing(division="330481102", lead_deputy="deputy-wang-jun"), narrow)
    )
    assert refused.code is ErrorCode.FORBIDDEN and refused.field == "division"
    admin = actor(role="admin", scope="").model_dump()
    assert intake.file_suggestion(filing(), admin)["number"] == 1


def test_outside_its_scope_a_key_finds_no_suggestion(intake):
    sid = intake.file_suggestion(filing(division="330481102", lead_deputy="deputy-wang-jun", co_signers=[]), DEPUTY)[
        "id"
    ]
    other = actor(role="supervisor", scope="330481001").model_dump()
    for act in (
        lambda: intake.suggestion(sid, other),
        lambda: intake.submit_suggestion(sid, {}, actor(role="deputy", scope="330481001").model_dump()),
        lambda: intake.accept_suggestion(sid, {}, other),
    ):
        refused = refusal(act)
        assert refused.code is ErrorCode.NOT_FOUND and refused.field == "suggestion_id"
    assert intake.suggestion(sid, REVIEWER)["status"] == "drafted"


def test_a_stale_version_is_a_conflict_carrying_the_current_suggestion(intake, store, monkeypatch):
    sid = intake.file_suggestion(filing(), DEPUTY)["id"]
    intake.submit_suggestion(sid, {"expected_version": 1}, DEPUTY)
    refused = refusal(lambda: intake.return_suggestion(sid, {"comment": "请修改", "expected_version": 1}, REVIEWER))
    assert refused.code is ErrorCode.CONFLICT and refused.field == "expected_version"
    assert refused.state["status"] == "under_review" and refused.state["version"] == 2

    load = store.suggestions.suggestions.get

    def raced(key):  # another reviewer accepts between this load and the save
        loaded = load(key)
        store.suggestions.suggestions.collection.update_one({"_id": key}, {"$inc": {"version": 1}})
        return loaded

    monkeypatch.setattr(store.suggestions.suggestions, "get", raced)
    refused = refusal(lambda: intake.accept_suggestion(sid, {}, REVIEWER))
    assert refused.code is ErrorCode.CONFLICT and refused.state["version"] == 3


def test_a_merge_keeps_every_deputy_and_the_absorbed_point_to_it(intake):
    target = intake.file_suggestion(filing(), DEPUTY)
    other = intake.file_suggestion(
        filing(lead_deputy="deputy-li-hong", co_signers=["deputy-wang-jun"], title="关于老旧小区电梯补助的建议"), DEPUTY
    )
    for sid in (target["id"], other["id"]):
        intake.submit_suggestion(sid, {}, DEPUTY)

    merged = intake.merge_suggestions(target["id"], {"absorb": [other["id"]], "expected_version": 2}, REVIEWER)
    assert merged["status"] == "under_review" and merged["merged_from"] == [other["id"]]
    assert [d["name"] for d in [merged["lead_deputy"], *merged["co_signers"]]] == ["张伟", "李红", "王军"]
    absorbed = intake.suggestion(other["id"], DEPUTY)
    assert absorbed["status"] == "merged" and absorbed["merged_into"] == target["id"]

    listed = intake.list_suggestions("330481", "merged")["items"]
    assert [s["id"] for s in listed] == [other["id"]]
    assert len(intake.list_suggestions("330481")["items"]) == 2


def test_a_merge_naming_an_unknown_suggestion_changes_nothing(intake):
    sid = intake.file_suggestion(filing(), DEPUTY)["id"]
    intake.submit_suggestion(sid, {}, DEPUTY)
    refused = refusal(lambda: intake.merge_suggestions(sid, {"absorb": ["JY-0000-0000-0000"]}, REVIEWER))
    assert refused.code is ErrorCode.NOT_FOUND and refused.field == "absorb.0"
    assert intake.suggestion(sid, REVIEWER)["version"] == 2


def test_a_merge_losing_a_race_on_the_target_puts_the_absorbed_back(intake, store, monkeypatch):
    target, other = (intake.file_suggestion(filing(), DEPUTY)["id"] for _ in range(2))
    for sid in (target, other):
        intake.submit_suggestion(sid, {}, DEPUTY)
    collection = store.suggestions.suggestions
    save = collection.save

    def raced(entity, *args, **kwargs):
        if entity.id == target:  # another reviewer changed the target meanwhile
            collection.collection.update_one({"_id": target}, {"$inc": {"version": 1}})
        return save(entity, *args, **kwargs)

    monkeypatch.setattr(collection, "save", raced)
    refused = refusal(lambda: intake.merge_suggestions(target, {"absorb": [other]}, REVIEWER))
    assert refused.code is ErrorCode.CONFLICT
    assert intake.suggestion(other, REVIEWER)["status"] == "under_review"
    assert intake.suggestion(other, REVIEWER)["merged_into"] is None


def test_a_failed_publication_stays_in_the_outbox_for_the_sweeper(intake, store, published):
    sid = intake.file_suggestion(filing(), DEPUTY)["id"]
    intake.submit_suggestion(sid, {}, DEPUTY)
    published.failure = PublishFailed("broker gone")
    intake.accept_suggestion(sid, {}, REVIEWER)  # stored all the same
    assert len(store.suggestions.suggestions.collection.find_one({"_id": sid})["outbox"]) == 1

    published.failure = None
    assert store.suggestions.sweep(timedelta(seconds=-1)) == 1
    assert [event.suggestion_id for event in accepted_events(published)] == [sid]


def test_listing_pages_newest_first_and_refuses_an_unknown_status(intake):
    ids = [intake.file_suggestion(filing(), DEPUTY)["id"] for _ in range(3)]
    first = intake.list_suggestions("330481", None, 2)
    second = intake.list_suggestions("330481", None, 2, first["next"])
    assert [s["id"] for s in first["items"] + second["items"]] == ids[::-1] and second["next"] is None
    assert intake.list_suggestions("330482")["items"] == []
    assert refusal(lambda: intake.list_suggestions("330481", "lost")).field == "status"


def test_routings_assignment_and_signature_show_on_the_suggestion_once(intake, store):
    sid = intake.file_suggestion(filing(), DEPUTY)["id"]
    intake.submit_suggestion(sid, {}, DEPUTY)
    intake.accept_suggestion(sid, {}, REVIEWER)
    assert is_suggestion(sid) and not is_suggestion("7K3P-9XTA-2MQD")

    assigned = case_assigned(case_id=sid, division="330481")
    envelope = assigned.envelope("330481", "c")
    apply_case_assigned(store, assigned, envelope)
    apply_case_assigned(store, assigned, envelope)  # redelivered
    view = intake.suggestion(sid, DEPUTY)
    assert view["handling"] == {
        "status": "assigned",
        "lead_unit": {"id": "hn-transport", "name": "海宁市交通运输局"},
        "co_units": [{"id": "hn-enforcement", "name": "海宁市综合行政执法局"}],
        "due_date": "2026-12-14",
    }
    assert view["version"] == 4 and view["status"] == "accepted"

    signed = case_accepted(case_id=sid, division="330481")
    apply_case_accepted(store, signed, signed.envelope("330481", "c"))
    assert intake.suggestion(sid, DEPUTY)["handling"]["status"] == "accepted"
