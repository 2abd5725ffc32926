"""督办 closes the loop, as pure rules: key items and their periods, the evaluation window, follow-up
reviews, the re-handling limit and one-time codes."""

from datetime import date, datetime, timedelta

import pytest

from contracts.envelope import Envelope
from contracts.errors import ErrorCode, ServiceError
from contracts.routing import CaseReplied, PromisedWork, ReplyRecord, UnitRef
from contracts.supervision import EvaluationRecorded
from contracts.supervision.evaluation_window import WindowState
from contracts.supervision.key_items import KeyRecordIn, KeySource, MarkKeyItemIn, UnmarkKeyItemIn
from contracts.supervision.reviews import ReviewKind, ReviewOutcomeIn, ReviewState
from contracts.vocabulary import CaseStatus
from services.intake.evaluation_codes import code as codes
from services.supervision import evaluation_window as window
from services.supervision.evaluation import may_reopen
from services.supervision.key_items import item as key
from services.supervision.reviews import review as reviews
from tests.factories import NOW, case_event, evaluation_recorded

LEAD = UnitRef(id="hn-transport", name="海宁市交通运输局")
MARK = MarkKeyItemIn(
    level="leader_led", lead_supervisor="常委会副主任 王建国", committees=["代表工委"], reason="群众反映强烈"
)


def marked():
    return key.mark("7K3P-9XTA-2MQD", "330481001", LEAD, None, MARK, "supervisor:01KEY", NOW)


@pytest.mark.parametrize(
    ("period", "first", "last"),
    [
        ("2026", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30)),
        ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
        ("2028-02", date(2028, 2, 1), date(2028, 2, 29)),
    ],
)
def test_a_period_is_a_year_a_quarter_or_a_month(period, first, last):
    assert key.period_range(period) == (first, last)


@pytest.mark.parametrize("period", ["26", "2026-Q5", "2026-13", "2026-1", "2026-11-01", "Q3"])
def test_a_malformed_period_names_the_field(period):
    with pytest.raises(ServiceError) as refused:
        key.period_range(period)
    assert (refused.value.code, refused.value.field) == (ErrorCode.INVALID, "period")


def test_marking_names_the_lead_and_committees_and_announces_it():
    item, event = marked()
    assert (item.marked, item.level, item.source, item.marked_on) == (True, "leader_led", "supervisor", "2026-11-23")
    assert (event.TYPE, event.marked, event.lead_supervisor, event.lead_unit) == (
        "case.key_marked",
        True,
        "常委会副主任 王建国",
        LEAD,
    )


def test_a_key_item_is_marked_once_recorded_while_on_the_list_and_then_taken_off():
    item, _ = marked()
    with pytest.raises(ServiceError) as again:
        key.mark(item.case_id, item.division, LEAD, item, MARK, "supervisor:01KEY", NOW)
    assert again.value.code is ErrorCode.CONFLICT
    visit = KeyRecordIn(kind="site_visit", on=date(2026, 11, 22), text="实地查看站台")
    item = key.add_record(item, visit, "supervisor:01KEY", NOW)
    off, event = key.unmark(item, UnmarkKeyItemIn(reason="已解决，销号"), NOW + timedelta(days=40))
    assert (off.marked, off.unmarked_on, event.marked, event.reason) == (False, "2027-01-02", False, "已解决，销号")
    assert [r.kind for r in off.records] == ["site_visit"]
    with pytest.raises(ServiceError) as late:
        key.add_record(off, visit, "supervisor:01KEY", NOW)
    assert late.value.code is ErrorCode.INVALID_TRANSITION
    back, _ = key.mark(off.case_id, off.division, LEAD, off, MARK, "supervisor:01KEY", NOW + timedelta(days=50))
    assert back.marked and back.unmarked_on is None and len(back.records) == 1


def test_only_an_unsatisfied_evaluation_past_the_limit_puts_a_case_on_the_list():
    assert key.rehandle_limit_reached(None, "330481001", LEAD, evaluation_recorded(), NOW) is None  # reopens
    satisfied = evaluation_recorded(rating="satisfied", reopen=False)
    assert key.rehandle_limit_reached(None, "330481001", LEAD, satisfied, NOW) is None
    item, events = key.rehandle_limit_reached(None, "330481001", LEAD, evaluation_recorded(round=3, reopen=False), NOW)
    assert (item.source, item.marked, events[0].source) == (KeySource.REHANDLE_LIMIT, True, "rehandle_limit")
    assert key.rehandle_limit_reached(item, "330481001", LEAD, evaluation_recorded(round=4, reopen=False), NOW) is None


@pytest.mark.parametrize(("rehandled", "reopen"), [(0, True), (1, True), (2, False), (3, False)])
def test_the_rehandling_limit_of_two(rehandled, reopen):
    assert may_reopen(rehandled, 2) is reopen


def replied_at(moment: datetime, **reply) -> CaseReplied:
    record = ReplyRecord(
        unit=LEAD,
        text="已加装站台照明",
        result_class=reply.pop("result_class", "A"),
        label="已解决",
        completed=reply.pop("completed", True),
        resolved=True,
        replied_at=moment,
        promised=reply.pop("promised", []),
    )
    return case_event(CaseReplied, reply=record)


def test_a_reply_opens_a_window_with_a_reminder_and_closes_unevaluated_after_it():
    windows, events = window.open_round(None, replied_at(NOW), NOW, 15, 3)
    (requested,) = events
    assert (requested.round, requested.closes_on, requested.reminder, requested.evaluator_kind) == (
        1,
        date(2026, 12, 8),
        False,
        "citizen",
    )
    assert windows.awaiting_remind_on == "2026-12-05" and windows.awaiting_closes_on == "2026-12-08"
    assert window.remind(windows, date(2026, 12, 4)) == (windows, [])
    reminded, (reminder,) = window.remind(windows, date(2026, 12, 5))
    assert reminder.reminder and reminded.awaiting_remind_on is None
    assert window.remind(reminded, date(2026, 12, 6)) == (reminded, [])  # once
    assert window.expire(reminded, date(2026, 12, 8)) == reminded  # the last day still counts
    closed = window.expire(reminded, date(2026, 12, 9))
    assert closed.rounds[0].state is WindowState.NOT_EVALUATED and closed.rounds[0].rating is None
    assert closed.awaiting_closes_on is None
    with pytest.raises(ServiceError) as late:
        window.check_open(closed, 1)
    assert late.value.code is ErrorCode.INVALID_TRANSITION


def test_an_evaluation_closes_its_round_and_a_new_reply_opens_the_next():
    windows, _ = window.open_round(None, replied_at(NOW), NOW, 15, 3)
    rated = window.evaluated(windows, evaluation_recorded(at=NOW))
    assert rated.rounds[0].state is WindowState.EVALUATED and rated.awaiting_closes_on is None
    later = NOW + timedelta(days=20)
    again, (requested,) = window.open_round(rated, replied_at(later), later, 15, 3)
    assert requested.round == 2 and [r.state for r in again.rounds] == ["evaluated", "awaiting"]
    view = window.view(again, 1, 2)
    assert (view.rehandled, view.rehandle_limit, len(view.rounds)) == (1, 2, 2)


def test_promised_work_is_reviewed_at_each_promised_date():
    promised = [
        PromisedWork(item="完成站台改造", by=date(2027, 3, 31)),
        PromisedWork(item="增设路灯", by=date(2027, 5, 1)),
    ]
    made = reviews.reviews_for(replied_at(NOW, result_class="B", completed=False, promised=promised), 0, 90)
    assert [(r.kind, r.item, r.due_on) for r in made] == [
        (ReviewKind.PROMISED, "完成站台改造", "2027-03-31"),
        (ReviewKind.PROMISED, "增设路灯", "2027-05-01"),
    ]
    assert len({r.review_id for r in made}) == 2


def test_a_sample_of_completed_replies_is_reviewed_the_same_way_every_time():
    moments = [NOW + timedelta(minutes=m) for m in range(200)]
    chosen = [bool(reviews.reviews_for(replied_at(m), 10, 90)) for m in moments]
    assert chosen == [bool(reviews.reviews_for(replied_at(m), 10, 90)) for m in moments]
    assert 5 <= sum(chosen) <= 40  # about one in ten
    assert all(reviews.reviews_for(replied_at(m), 100, 90) for m in moments[:5])
    assert not any(reviews.reviews_for(replied_at(m), 0, 90) for m in moments[:5])
    (sample,) = reviews.reviews_for(replied_at(NOW), 100, 90)
    assert (sample.kind, sample.due_on) == (ReviewKind.SAMPLE, "2027-02-21")
    assert not reviews.reviews_for(replied_at(NOW, completed=False), 100, 90)


def test_a_review_falls_due_once_and_records_its_outcome_once():
    (review,) = reviews.reviews_for(replied_at(NOW), 100, 90)
    assert reviews.fall_due(review, date(2027, 2, 20)) == (review, [])
    due, (event,) = reviews.fall_due(review, date(2027, 2, 21))
    assert due.state is ReviewState.DUE and event.TYPE == "review.due"
    assert reviews.fall_due(due, date(2027, 2, 22)) == (due, [])
    short = ReviewOutcomeIn(
        outcome="fell_short", visited_on=date(2027, 2, 22), finding="仅一侧", rectification="限期整改"
    )
    done, recorded = reviews.record(due, short, "supervisor:01KEY", NOW + timedelta(days=91))
    assert (done.state, recorded.rectify, recorded.rectification) == (ReviewState.FELL_SHORT, True, "限期整改")
    with pytest.raises(ServiceError) as again:
        reviews.record(done, short, "supervisor:01KEY", NOW + timedelta(days=92))
    assert again.value.code is ErrorCode.CONFLICT


def test_falling_short_needs_the_rectification_and_a_visit_not_in_the_future():
    with pytest.raises(ValueError, match="整改要求"):
        ReviewOutcomeIn(outcome="fell_short", visited_on=date(2026, 11, 20), finding="未落实")
    (review,) = reviews.reviews_for(replied_at(NOW), 100, 90)
    kept = ReviewOutcomeIn(outcome="kept", visited_on=date(2026, 11, 24), finding="已落实")
    with pytest.raises(ServiceError) as future:
        reviews.record(review, kept, "supervisor:01KEY", NOW)
    assert future.value.field == "visited_on"


def issued(now=NOW, current=None):
    return codes.issue("7K3P-9XTA-2MQD", "330481001", current, "402913", "keyed-hash", now, 10)


def test_a_code_is_issued_for_a_replied_item_with_a_phone_at_most_once_a_minute():
    with pytest.raises(ServiceError) as early:
        codes.check_issuable(CaseStatus.ACCEPTED, None, False)
    assert early.value.code is ErrorCode.INVALID_TRANSITION
    record, event = issued()
    assert record.code_hash == "keyed-hash" and "402913" not in record.model_dump_json()
    assert (event.code, event.expires_at) == ("402913", NOW + timedelta(minutes=10))
    with pytest.raises(ServiceError) as soon:
        issued(NOW + timedelta(seconds=30), record)
    assert soon.value.code is ErrorCode.CONFLICT
    assert issued(NOW + timedelta(seconds=61), record)[0].issued_at == NOW + timedelta(seconds=61)


def test_a_code_is_good_once_before_it_expires_and_before_too_many_tries():
    record, _ = issued()
    used = codes.check(record, "keyed-hash", NOW + timedelta(minutes=9), 5)
    assert used.used
    for refused_record, moment in [(used, NOW), (record, NOW + timedelta(minutes=10))]:
        with pytest.raises(ServiceError) as refused:
            codes.check(refused_record, "keyed-hash", moment, 5)
        assert (refused.value.code, refused.value.field) == (ErrorCode.FORBIDDEN, "one_time_code")
    tried = record
    for _ in range(5):
        tried = codes.failed(tried)
    with pytest.raises(ServiceError) as locked:
        codes.check(tried, "keyed-hash", NOW, 5)
    assert "次数过多" in locked.value.detail


def over_the_wire(event):
    wire = Envelope.model_validate_json(event.envelope("330481001", "c").model_dump_json())
    return type(event).from_envelope(wire)


def test_what_the_loop_emits_is_what_its_consumers_read():
    (review,) = reviews.reviews_for(replied_at(NOW), 100, 90)
    _, (due,) = reviews.fall_due(review, date(2027, 3, 1))
    kept = ReviewOutcomeIn(outcome="kept", visited_on=date(2026, 11, 23), finding="已落实")
    _, recorded = reviews.record(due_review(review), kept, "supervisor:01KEY", NOW)
    _, (requested,) = window.open_round(None, replied_at(NOW), NOW, 15, 3)
    _, marked_events = key.rehandle_limit_reached(None, "330481001", LEAD, evaluation_recorded(reopen=False), NOW)
    _, issued_event = issued()
    for event in (due, recorded, requested, marked_events[0], issued_event, evaluation_recorded(reopen=False)):
        assert over_the_wire(event) == event


def due_review(review):
    return reviews.fall_due(review, date(2027, 3, 1))[0]


def test_an_evaluation_recorded_before_the_limit_existed_still_reopens():
    wire = evaluation_recorded().envelope("330481001", "c")
    del wire.payload["reopen"]
    assert EvaluationRecorded.from_envelope(wire).reopen is True
