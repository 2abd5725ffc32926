"""督办 statistics on the real store: events move counters once, in whatever order and however often
they arrive; a crash between the case and its counters is finished by the redelivery; the overdue
sweep and closing events move "overdue"; a read sums counters and never touches a case."""

from datetime import UTC, date, datetime, timedelta

import pytest
from nameko.testing.services import worker_factory

from contracts.intake.opinions import Receiver, ReceiverKind
from contracts.intake.suggestions import CongressSession, DeputyRef, SuggestionAccepted
from contracts.routing import (
    CaseEscalated,
    CaseMeetingRecorded,
    CaseMerged,
    CaseReopened,
    CaseReplied,
    CaseReturned,
    ReplyRecord,
    UnitRef,
)
from contracts.supervision.statistics import StatisticsQuery
from services.supervision.service import SupervisionService
from services.supervision.statistics import handlers
from services.supervision.statistics.store import StatisticsStore
from tests.factories import case_assigned, case_event, evaluation_recorded, opinion_received

TRANSPORT = UnitRef(id="hn-transport", name="海宁市交通运输局")
HOUSING = UnitRef(id="hn-housing", name="海宁市住房和城乡建设局")
ASSIGNED = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


@pytest.fixture
def stats(mongo_db):
    store = StatisticsStore(mongo_db)
    store.ensure_indexes()
    return store


@pytest.fixture
def service(stats):
    return worker_factory(SupervisionService, stats=stats)


HANDLERS = {
    "opinion.received": "stats_on_opinion_received",
    "suggestion.accepted": "stats_on_suggestion_accepted",
    "case.assigned": "stats_on_case_assigned",
    "case.returned": "stats_on_case_returned",
    "case.replied": "stats_on_case_replied",
    "case.reopened": "stats_on_case_reopened",
    "case.escalated": "stats_on_case_escalated",
    "case.meeting_recorded": "stats_on_case_meeting_recorded",
    "case.merged": "stats_on_case_merged",
    "evaluation.recorded": "stats_on_evaluation_recorded",
}


def deliver(service, message, times: int = 1) -> dict:
    """One event's envelope, handed to its statistics handler `times` times (a redelivery is the same)."""
    wire = message.envelope(message.division, "corr-stats").wire()
    for _ in range(times):
        getattr(service, HANDLERS[message.TYPE])(wire)
    return wire


def figures(stats, by: str = "unit", division: str = "330481", first: str = "2026-01", last: str = "2026-12"):
    query = StatisticsQuery.model_validate({"division": division, "from": first, "to": last, "by": by})
    return handlers.statistics(stats, query, date(2026, 11, 24))


def reply(result_class="A", completed=True, resolved=True, at=ASSIGNED + timedelta(days=5), unit=TRANSPORT):
    return ReplyRecord(
        unit=unit, text="已答复", result_class=result_class, label=result_class, completed=completed,
        resolved=resolved, replied_at=at,
    )  # fmt: skip


def suggestion(case_id="JY-0000-0000-0001", deputy="deputy-zhang-wei", name="张伟", division="330481"):
    return SuggestionAccepted(
        suggestion_id=case_id, number=1, division=division, session=CongressSession(term=17, meeting=3),
        session_name="第十七届人民代表大会第三次会议", title="关于加装电梯的建议", text="建议简化审批流程。",
        deputies=[DeputyRef(id=deputy, name=name, division="330481001")], accepted_at=ASSIGNED,
    )  # fmt: skip


def test_a_suggestion_replied_after_a_meeting_and_rated_counts_in_every_dimension(service, stats):
    case = "JY-0000-0000-0001"
    deliver(service, suggestion(case))
    deliver(service, case_assigned(case_id=case, division="330481", assigned_at=ASSIGNED, due_date=date(2026, 6, 2)))
    deliver(service, case_event(CaseMeetingRecorded, case_id=case, division="330481"))
    deliver(service, case_event(CaseReplied, case_id=case, division="330481", reply=reply()))
    deliver(service, evaluation_recorded(case_id=case, division="330481", rating="satisfied", evaluator_kind="deputy"))

    for by, key, label in [
        ("unit", "hn-transport", "海宁市交通运输局"),
        ("deputy", "deputy-zhang-wei", "张伟"),
        ("channel", "session_suggestion", "代表建议 (session_suggestion)"),
        ("division", "330481", "330481"),
        ("period", "2026-03", "2026-03"),
    ]:
        view = figures(stats, by)
        (row,) = [r for r in view.rows if r.assigned]
        assert (row.key, row.label) == (key, label)
        assert (row.assigned, row.replied, row.met, row.completed, row.on_time, row.satisfied) == (1, 1, 1, 1, 1, 1)
        assert row.reply_rate.percent == row.face_to_face_rate.percent == row.satisfaction_rate.percent == 100.0
        assert row.classes == {"A": 1} and row.class_shares["A"].percent == 100.0
    assert figures(stats, "unit", first="2026-04").total.assigned == 0  # assigned in March


def test_every_event_delivered_twice_counts_once(service, stats):
    case = "7K3P-9XTA-2MQD"
    for message in [
        opinion_received(tracking_code=case, channel="hotline", category="道路交通"),
        case_assigned(case_id=case, assigned_at=ASSIGNED, due_date=date(2026, 3, 23)),
        case_event(CaseReturned, case_id=case, unit=TRANSPORT),
        case_assigned(case_id=case, assigned_at=ASSIGNED, due_date=date(2026, 3, 23), lead_unit=HOUSING),
        case_event(CaseReplied, case_id=case, reply=reply(unit=HOUSING)),
        evaluation_recorded(case_id=case, rating="unsatisfied"),
        case_event(CaseReopened, case_id=case, due_date=date(2026, 4, 7)),
    ]:
        deliver(service, message, times=2)

    view = figures(stats, "unit")
    rows = {row.key: row for row in view.rows}
    assert view.total.assigned == 1 and view.total.returned == 1 and view.total.reopened == 1
    assert (rows["hn-housing"].assigned, rows["hn-housing"].replied, rows["hn-housing"].unsatisfied) == (1, 1, 1)
    assert (rows["hn-transport"].assigned, rows["hn-transport"].returned) == (0, 1)
    assert {r.key for r in figures(stats, "category").rows} == {"道路交通"}


def test_where_an_item_comes_from_may_arrive_after_its_assignment(service, stats):
    case = "7K3P-9XTA-2MQD"
    deliver(service, case_assigned(case_id=case, assigned_at=ASSIGNED, due_date=date(2026, 3, 23)))
    assert [r.key for r in figures(stats, "deputy").rows] == ["unknown"]

    receiver = Receiver(kind=ReceiverKind.DEPUTY, id="deputy-li-hong", name="李红")
    deliver(service, opinion_received(tracking_code=case, channel="qr", receiver=receiver))

    assert [(r.key, r.label, r.assigned) for r in figures(stats, "deputy").rows] == [("deputy-li-hong", "李红", 1)]
    assert [r.key for r in figures(stats, "channel").rows] == ["qr"]


def test_a_crash_between_the_case_and_its_counters_is_finished_once_by_the_redelivery(service, stats, monkeypatch):
    case = "7K3P-9XTA-2MQD"
    deliver(service, case_assigned(case_id=case, assigned_at=ASSIGNED, due_date=date(2026, 6, 2)))
    applied = stats.add_to_counter
    calls = []

    def crash_after_two(counter, op, amounts):
        calls.append(counter)
        if len(calls) == 3:
            raise ConnectionError("store gone")
        applied(counter, op, amounts)

    monkeypatch.setattr(stats, "add_to_counter", crash_after_two)
    replied = case_event(CaseReplied, case_id=case, reply=reply())
    with pytest.raises(ConnectionError):
        deliver(service, replied)
    assert stats.case(case)["pending"] is not None
    monkeypatch.setattr(stats, "add_to_counter", applied)

    deliver(service, replied)  # the broker redelivers what was not acknowledged

    assert stats.case(case)["pending"] is None
    for by in ("unit", "division", "channel", "deputy", "category"):
        assert (figures(stats, by).total.replied, sum(r.replied for r in figures(stats, by).rows)) == (1, 1)


def test_overdue_is_moved_by_the_sweep_once_and_back_by_the_reply(service, stats):
    case = "7K3P-9XTA-2MQD"
    today = date.today()
    deliver(service, case_assigned(case_id=case, assigned_at=ASSIGNED, due_date=today + timedelta(days=3)))
    assert figures(stats).total.overdue == 0

    later = today + timedelta(days=4)
    assert handlers.mark_overdue(stats, later) == 1
    assert handlers.mark_overdue(stats, later) == 0  # nothing left due: the index range is empty
    assert figures(stats).total.overdue == 1 and figures(stats).total.overdue_rate.percent == 100.0

    late = datetime.combine(later, datetime.min.time(), UTC) + timedelta(hours=2)
    deliver(service, case_event(CaseReplied, case_id=case, reply=reply(at=late)))
    total = figures(stats).total
    assert (total.overdue, total.replied, total.on_time, total.on_time_rate.percent) == (0, 1, 0, 0.0)


def test_a_reopened_case_is_judged_by_its_latest_reply(service, stats):
    case = "JY-0000-0000-0002"
    deliver(service, case_assigned(case_id=case, assigned_at=ASSIGNED, due_date=date(2026, 3, 23)))
    deliver(service, case_event(CaseReplied, case_id=case, reply=reply("A")))
    deliver(service, evaluation_recorded(case_id=case, rating="unsatisfied", evaluator_kind="deputy"))
    deliver(service, case_event(CaseReopened, case_id=case, due_date=date(2026, 4, 7)))
    late = datetime(2026, 4, 20, 2, tzinfo=UTC)
    deliver(service, case_event(CaseReplied, case_id=case, reply=reply("B", completed=False, resolved=False, at=late)))
    deliver(service, evaluation_recorded(case_id=case, round=2, rating="basically_satisfied", evaluator_kind="deputy"))
    deliver(service, evaluation_recorded(case_id=case, round=1, rating="unsatisfied", evaluator_kind="deputy"))

    total = figures(stats).total
    assert (total.replied, total.on_time, total.completed, total.classes) == (1, 0, 0, {"B": 1})
    assert (total.evaluated, total.basically_satisfied, total.unsatisfied, total.reopened) == (1, 1, 0, 1)


def test_escalation_moves_the_case_up_and_a_merge_takes_it_out(service, stats):
    deliver(service, case_assigned(case_id="A-1", division="330481001", assigned_at=ASSIGNED))
    deliver(service, case_assigned(case_id="A-2", division="330481002", assigned_at=ASSIGNED))
    assert {r.key: r.assigned for r in figures(stats, "division").rows} == {"330481001": 1, "330481002": 1}
    assert figures(stats, "unit", division="330481001").total.assigned == 1

    deliver(service, case_event(CaseEscalated, case_id="A-1", division="330481", from_division="330481001"))
    deliver(service, case_event(CaseMerged, case_id="A-2", division="330481002"))

    assert {r.key: r.assigned for r in figures(stats, "division").rows} == {"330481": 1}
    assert figures(stats, "unit", division="330481001").total.assigned == 0


def test_a_read_sums_counters_and_never_reads_a_case(service, stats):
    deliver(service, case_assigned(case_id="A-1", assigned_at=ASSIGNED))

    class Untouchable:
        def __getattr__(self, name):
            raise AssertionError(f"a read touched the cases ({name})")

    stats.cases = Untouchable()
    for by in ("division", "unit", "deputy", "category", "channel", "period"):
        assert figures(stats, by).total.assigned == 1


def test_the_red_and_black_lists_follow_the_divisions_own_rules(service, stats):
    for n in range(6):
        case, unit = f"R-{n}", TRANSPORT if n < 4 else HOUSING
        deliver(service, case_assigned(case_id=case, lead_unit=unit, assigned_at=ASSIGNED, due_date=date(2026, 3, 23)))
        late = n == 3
        at = datetime(2026, 3, 30 if late else 10, 2, tzinfo=UTC)
        deliver(service, case_event(CaseReplied, case_id=case, reply=reply(at=at, unit=unit)))
        deliver(service, evaluation_recorded(case_id=case, rating="satisfied"))

    default = service.rankings("330481001", "2026-Q1")
    assert default["rules"]["division"] == "default" and default["rules"]["min_cases"] == 5
    assert [u["unit"] for u in default["too_few_cases"]] == ["hn-housing", "hn-transport"] and not default["ranked"]

    rules = {"min_cases": 3, "red_on_time": 100, "black_on_time": 80}
    assert service.set_ranking_rules("330481", rules)["division"] == "330481"
    listed = service.rankings("330481001", "2026-Q1")  # a township follows its county's rules

    assert listed["rules"]["division"] == "330481" and "不少于 3 件" in listed["rules"]["text"]
    assert [(u["unit"], u["rank"], u["board"]) for u in listed["ranked"]] == [("hn-transport", 1, "black")]
    assert listed["ranked"][0]["on_time_rate"] == {"numerator": 3, "denominator": 4, "percent": 75.0}
    assert [u["unit"] for u in listed["too_few_cases"]] == ["hn-housing"]
    assert (listed["from"], listed["to"]) == ("2026-01", "2026-03")
    assert service.rankings("330481001", "2026-Q2")["too_few_cases"] == []
