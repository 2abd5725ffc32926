"""督办 closes the loop on the real store: key items, the evaluation window and the re-handling
limit, follow-up reviews and routing's rectification; each event applied once, replays change nothing."""

from datetime import date, timedelta

import pytest
from nameko.testing.services import worker_factory

from contracts.envelope import Envelope
from contracts.errors import ErrorCode, ServiceError
from contracts.routing import CaseReopened, CaseReplied, PromisedWork, ReplyRecord, UnitRef
from contracts.supervision import EvaluationRecorded
from contracts.supervision.reviews import ReviewRecorded
from infra.clock import local_today, utc_now
from infra.settings import get_settings
from services.routing import handlers as routing_handlers
from services.routing.service import RoutingService
from services.routing.store import RoutingStore
from services.supervision import evaluation_window_handlers
from services.supervision.reviews import handlers as review_handlers
from services.supervision.service import SupervisionService
from services.supervision.store import SupervisionStore
from tests.factories import Publications, actor, case_assigned, case_event, opinion_received

CASE = "7K3P-9XTA-2MQD"
SUPERVISOR = actor(role="supervisor", scope="330481").model_dump()
ELSEWHERE = actor(role="supervisor", scope="330482").model_dump()
MARK = {
    "level": "leader_led",
    "lead_supervisor": "常委会副主任 王建国",
    "committees": ["代表工委"],
    "reason": "群众反映强烈",
}
LEAD = UnitRef(id="hn-transport", name="海宁市交通运输局")


def wire(message, division: str = "330481001") -> dict:
    return message.envelope(division, "corr-loop").wire()


def events(published, kind: str) -> list[Envelope]:
    return [Envelope.model_validate(w) for w in published.wires if w["type"] == kind]


@pytest.fixture
def published():
    return Publications()


@pytest.fixture
def supervision(mongo_db, published):
    store = SupervisionStore(mongo_db, published)
    store.ensure_indexes()
    service = worker_factory(SupervisionService, store=store)
    service.on_case_assigned(wire(case_assigned()))
    return service


def reply(moment=None, **fields) -> CaseReplied:
    record = ReplyRecord(
        unit=LEAD,
        text="已加装站台照明",
        result_class=fields.pop("result_class", "A"),
        label="已解决",
        completed=fields.pop("completed", True),
        resolved=True,
        replied_at=moment or utc_now(),
        promised=fields.pop("promised", []),
    )
    return case_event(CaseReplied, reply=record)


def replied(service, message=None) -> None:
    message = wire(message or reply())
    service.on_case_replied(message)
    service.window_on_case_replied(message)
    service.reviews_on_case_replied(message)


# ---- 重点督办 ----


def test_a_supervisor_marks_records_lists_and_unmarks_a_key_item(supervision, published):
    view = supervision.mark_key_item(CASE, MARK, SUPERVISOR)
    assert (view["marked"], view["level"], view["lead_unit"]["id"]) == (True, "leader_led", "hn-transport")
    (marked,) = events(published, "case.key_marked")
    assert (marked.payload["lead_supervisor"], marked.division) == ("常委会副主任 王建国", "330481001")

    visit = {"kind": "site_visit", "on": "2026-11-20", "text": "实地查看站台照明", "participants": ["王建国"]}
    assert supervision.record_key_item(CASE, visit, SUPERVISOR)["records"][0]["kind"] == "site_visit"
    this_year = str(local_today().year)
    listed = supervision.key_items("330481", this_year)
    assert [i["case_id"] for i in listed["items"]] == [CASE]
    assert supervision.key_items("330481", str(local_today().year - 1))["items"] == []
    assert supervision.key_items("330482", this_year)["items"] == []

    off = supervision.unmark_key_item(CASE, {"reason": "已解决，销号"}, SUPERVISOR)
    assert off["marked"] is False and len(events(published, "case.key_marked")) == 2
    assert [i["case_id"] for i in supervision.key_items("330481", this_year)["items"]] == [CASE]  # on it this year


def test_marking_outside_the_callers_divisions_is_refused_and_changes_nothing(supervision, published):
    with pytest.raises(ServiceError) as refused:
        supervision.mark_key_item(CASE, MARK, ELSEWHERE)
    assert (refused.value.code, refused.value.field) == (ErrorCode.NOT_FOUND, "case_id")
    with pytest.raises(ServiceError):
        supervision.mark_key_item("NO-SUCH-CASE", MARK, SUPERVISOR)
    assert supervision.store.key_items.items.get(CASE) is None and published.wires == []


def test_a_second_mark_a_bad_record_and_a_bad_period_are_refused(supervision, published):
    supervision.mark_key_item(CASE, MARK, SUPERVISOR)
    sent = len(published.wires)
    with pytest.raises(ServiceError) as again:
        supervision.mark_key_item(CASE, MARK, SUPERVISOR)
    assert again.value.code is ErrorCode.CONFLICT
    with pytest.raises(ServiceError) as bad:
        supervision.record_key_item(CASE, {"kind": "lunch", "on": "2026-11-20", "text": "x"}, SUPERVISOR)
    assert (bad.value.code, bad.value.field) == (ErrorCode.INVALID, "kind")
    with pytest.raises(ServiceError) as period:
        supervision.key_items("330481", "2026-Q5")
    assert period.value.field == "period"
    assert len(published.wires) == sent and supervision.key_item(CASE, SUPERVISOR)["records"] == []


# ---- 满意度测评: window and re-handling limit ----


def evaluate(service, rating: str = "unsatisfied") -> dict:
    return service.evaluate_as_citizen(CASE, {"rating": rating})


def last_of(published, kind: str) -> Envelope:
    return events(published, kind)[-1]


def test_the_third_unsatisfied_reply_goes_on_the_key_list_instead_of_reopening(supervision, published):
    for round_ in (1, 2, 3):
        replied(supervision)
        evaluate(supervision)
        recorded = last_of(published, "evaluation.recorded")
        assert recorded.payload["round"] == round_
        assert recorded.payload["reopen"] is (round_ < 3)
        for handler in (supervision.key_on_evaluation_recorded, supervision.window_on_evaluation_recorded):
            handler(recorded.wire())
            handler(recorded.wire())  # a replay changes nothing
        if round_ < 3:
            assert supervision.store.key_items.items.get(CASE) is None
            supervision.on_case_reopened(wire(case_event(CaseReopened, case_id=CASE)))
    item = supervision.key_item(CASE, SUPERVISOR)
    assert (item["source"], item["marked"], item["lead_unit"]["id"]) == ("rehandle_limit", True, "hn-transport")
    assert len(events(published, "case.key_marked")) == 1
    state = supervision.evaluation_state(CASE, SUPERVISOR)
    assert (state["rehandled"], state["rehandle_limit"]) == (2, 2)
    assert [(r["state"], r["rating"]) for r in state["rounds"]] == [("evaluated", "unsatisfied")] * 3


def test_a_reply_asks_for_its_evaluation_reminds_once_and_closes_as_not_evaluated(supervision, published):
    assert supervision.evaluation_state(CASE, SUPERVISOR)["rounds"] == []  # assigned, not replied yet
    message = wire(reply())
    supervision.window_on_case_replied(message)
    supervision.window_on_case_replied(message)  # replayed
    (asked,) = events(published, "evaluation.requested")
    assert (asked.payload["round"], asked.payload["reminder"], asked.payload["evaluator_kind"]) == (1, False, "citizen")
    closes = date.fromisoformat(asked.payload["closes_on"])
    store = supervision.store

    assert evaluation_window_handlers.tick(store, closes - timedelta(days=4), "t") == 0
    assert evaluation_window_handlers.tick(store, closes - timedelta(days=3), "t") == 1
    assert evaluation_window_handlers.tick(store, closes - timedelta(days=2), "t") == 0  # once, however often
    assert [e.payload["reminder"] for e in events(published, "evaluation.requested")] == [False, True]
    assert evaluation_window_handlers.tick(store, closes, "t") == 0
    assert evaluation_window_handlers.tick(store, closes + timedelta(days=1), "t") == 1

    supervision.on_case_replied(message)
    state = supervision.evaluation_state(CASE, SUPERVISOR)
    assert [(r["state"], r["rating"], r["reminded"]) for r in state["rounds"]] == [("not_evaluated", None, True)]
    with pytest.raises(ServiceError) as late:
        evaluate(supervision, "satisfied")
    assert late.value.code is ErrorCode.INVALID_TRANSITION and "测评期已过" in late.value.detail
    assert events(published, "evaluation.recorded") == []
    with pytest.raises(ServiceError) as outside:
        supervision.evaluation_state(CASE, ELSEWHERE)
    assert outside.value.code is ErrorCode.NOT_FOUND


# ---- 回头看 ----

PROMISED = [PromisedWork(item="完成站台改造", by=date(2027, 3, 31))]


def test_promised_work_is_reviewed_at_its_date_and_a_short_fall_is_announced(supervision, published):
    first_reply = utc_now() - timedelta(days=30)
    replied(supervision, reply(first_reply, result_class="B", completed=False, promised=PROMISED))
    replied(supervision, reply(first_reply + timedelta(days=1), result_class="B", completed=False, promised=PROMISED))
    ledger = supervision.reviews("330481", kind="promised")["items"]
    assert len(ledger) == 2 and ledger[0]["item"] == "完成站台改造" and ledger[0]["state"] == "scheduled"
    first = ledger[0]["review_id"]
    message = wire(reply(result_class="B", completed=False, promised=PROMISED))
    supervision.reviews_on_case_replied(message)
    supervision.reviews_on_case_replied(message)  # replayed: scheduled once
    assert len(supervision.reviews("330481", kind="promised")["items"]) == 3

    store = supervision.store
    assert review_handlers.tick(store, date(2027, 3, 30), "t") == 0
    assert review_handlers.tick(store, date(2027, 3, 31), "t") == 3
    assert review_handlers.tick(store, date(2027, 4, 1), "t") == 0
    assert len(events(published, "review.due")) == 3
    assert [r["state"] for r in supervision.reviews("330481", state="due")["items"]] == ["due"] * 3

    outcome = {
        "outcome": "fell_short",
        "visited_on": str(local_today()),
        "finding": "仅一侧",
        "rectification": "限期整改",
    }
    with pytest.raises(ServiceError) as outside:
        supervision.record_review(first, outcome, ELSEWHERE)
    assert outside.value.code is ErrorCode.NOT_FOUND
    done = supervision.record_review(first, outcome, SUPERVISOR)
    assert (done["state"], done["rectification"]) == ("fell_short", "限期整改")
    (recorded,) = events(published, "review.recorded")
    assert (recorded.payload["rectify"], recorded.payload["case_id"]) == (True, CASE)
    with pytest.raises(ServiceError) as again:
        supervision.record_review(first, {**outcome, "outcome": "kept"}, SUPERVISOR)
    assert again.value.code is ErrorCode.CONFLICT and len(events(published, "review.recorded")) == 1
    with pytest.raises(ServiceError) as bad:
        supervision.record_review(
            first, {"outcome": "fell_short", "visited_on": "2026-11-20", "finding": "x"}, SUPERVISOR
        )
    assert bad.value.code is ErrorCode.INVALID


def test_a_completed_reply_outside_the_sample_gets_no_review(supervision, monkeypatch):
    monkeypatch.setenv("REVIEW_SAMPLE_PERCENT", "0")
    get_settings.cache_clear()
    try:
        replied(supervision)
    finally:
        get_settings.cache_clear()
    assert supervision.reviews("330481")["items"] == []


@pytest.fixture
def routing(mongo_db, published):
    store = RoutingStore(mongo_db, published)
    store.ensure_indexes()
    service = worker_factory(RoutingService, store=store)
    unit = {"key_id": "k-unit", "role": "handler", "scope": "330481", "unit": "hn-transport"}
    service.register_unit({"id": "hn-transport", "name": "海宁市交通运输局", "division": "330481"})
    service.add_rule({"division": "330481", "keywords": ["公交"], "lead_unit": "hn-transport"})
    service.on_opinion_received(wire(opinion_received()))
    service.accept_case(CASE, {}, unit)
    service.act_on_case(CASE, "reply", {"text": "已修复顶棚", "result_class": "A"}, unit)
    return service


ADMIN = actor(role="admin", scope="").model_dump()


def review_recorded(**overrides) -> ReviewRecorded:
    fields = dict(
        review_id=f"{CASE}.x.s", case_id=CASE, division="330481001", outcome="fell_short", rectify=True, at=utc_now()
    )
    return ReviewRecorded(**{**fields, **overrides})


@pytest.mark.parametrize("closed_first", [False, True], ids=["replied", "closed"])
def test_routing_reopens_a_reviewed_case_on_a_rectification_order_once(routing, published, closed_first):
    if closed_first:
        station = {"key_id": "k-st", "role": "station", "scope": "330481"}
        routing.act_on_case(CASE, "close", {}, station)
    before = routing.case_detail(CASE, ADMIN)
    message = wire(review_recorded(rectification="责成限期整改"))
    routing.on_review_recorded(message)
    sent = len(published.wires)
    routing.on_review_recorded(message)
    assert len(published.wires) == sent
    case = routing.case_detail(CASE, ADMIN)
    assert case["status"] == "reopened" and case["lead_unit"] == before["lead_unit"]
    assert "责成整改" in case["history"][-1]["reason"]
    (reopened,) = events(published, "case.reopened")
    assert reopened.payload["due_date"] == case["due_date"]


def test_a_kept_promise_or_a_case_already_reopened_is_let_be(routing, published):
    routing.on_review_recorded(wire(review_recorded(outcome="kept", rectify=False)))
    assert routing.case_detail(CASE, ADMIN)["status"] == "replied"
    envelope, event = EvaluationRecorded.from_wire(
        wire(
            EvaluationRecorded(
                case_id=CASE,
                division="330481001",
                round=1,
                evaluator_kind="citizen",
                rating="unsatisfied",
                at=utc_now(),
            )
        )
    )
    routing_handlers.apply_evaluation(routing.store, event, envelope, utc_now())
    assert routing.case_detail(CASE, ADMIN)["status"] == "reopened"
    sent = len(published.wires)
    routing.on_review_recorded(wire(review_recorded()))
    assert len(published.wires) == sent  # handled again already: nothing to reopen


def test_routing_leaves_an_unsatisfied_case_past_the_limit_evaluated(routing, published):
    message = wire(
        EvaluationRecorded(
            case_id=CASE,
            division="330481001",
            round=3,
            evaluator_kind="citizen",
            rating="unsatisfied",
            at=utc_now(),
            reopen=False,
        )
    )
    routing.on_evaluation_recorded(message)
    assert routing.case_detail(CASE, ADMIN)["status"] == "evaluated"
    assert events(published, "case.reopened") == []
