"""notify's close-the-loop notices on the real inbox: the one-time code to the citizen alone (and to
nobody once they erased their contact), the evaluation reminder, key items and reviews due to
supervisors and the lead unit; each stored once whatever the redeliveries."""

from datetime import date, timedelta

import pytest
from nameko.testing.services import worker_factory

from contracts.intake.evaluation_codes import EvaluationCodeIssued
from contracts.routing import UnitRef
from contracts.supervision.evaluation_window import EvaluationRequested
from contracts.supervision.key_items import CaseKeyMarked
from contracts.supervision.reviews import ReviewDue
from services.notify.service import NotifyService
from services.notify.store import InboxStore
from tests.factories import NOW, Publications, contact_erased, opinion_received

CASE = "7K3P-9XTA-2MQD"
LEAD = UnitRef(id="hn-transport", name="海宁市交通运输局")


def wire(message) -> dict:
    return message.envelope("330481001", "corr-notices").wire()


@pytest.fixture
def notify(mongo_db):
    store = InboxStore(mongo_db, Publications())
    store.ensure_indexes()
    return worker_factory(NotifyService, store=store)


def inbox(notify, recipient: str) -> list[dict]:
    return notify.inbox(recipient, "330481")["items"]


def code_issued() -> EvaluationCodeIssued:
    return EvaluationCodeIssued(
        tracking_code=CASE, division="330481001", code="402913", expires_at=NOW + timedelta(minutes=10)
    )


def test_the_one_time_code_goes_to_the_citizen_once(notify):
    message = wire(code_issued())
    notify.on_evaluation_code_issued(message)
    notify.on_evaluation_code_issued(message)
    (note,) = inbox(notify, f"citizen:{CASE}")
    assert note["kind"] == "evaluation.code_issued" and "402913" in note["body"] and "10:10" in note["body"]
    assert inbox(notify, "supervisor:330481") == []


def test_no_code_reaches_a_citizen_who_erased_their_contact(notify):
    notify.on_contact_erased(wire(contact_erased()))
    notify.on_evaluation_code_issued(wire(code_issued()))
    assert inbox(notify, f"citizen:{CASE}") == []


def test_the_evaluation_reminder_reaches_the_citizen_who_left_a_contact(notify):
    notify.on_opinion_received(wire(opinion_received(has_contact=True)))
    first = EvaluationRequested(
        case_id=CASE, division="330481001", round=1, evaluator_kind="citizen", closes_on=date(2026, 12, 8)
    )
    notify.on_evaluation_requested(wire(first))
    before = len(inbox(notify, f"citizen:{CASE}"))  # the first request is case.replied's notice
    reminder = wire(first.model_copy(update={"reminder": True}))
    notify.on_evaluation_requested(reminder)
    notify.on_evaluation_requested(reminder)
    notes = inbox(notify, f"citizen:{CASE}")
    assert len(notes) == before + 1 and "2026-12-08" in notes[0]["body"] and "未评价" in notes[0]["body"]


def test_a_key_item_and_a_review_due_reach_the_supervisors_and_the_lead_unit_once(notify):
    marked = CaseKeyMarked(
        case_id=CASE,
        division="330481001",
        marked=True,
        level="leader_led",
        source="supervisor",
        lead_supervisor="常委会副主任 王建国",
        lead_unit=LEAD,
        reason="群众反映强烈",
        at=NOW,
    )
    due = ReviewDue(
        review_id=f"{CASE}.x.p1",
        case_id=CASE,
        division="330481001",
        kind="promised",
        unit=LEAD,
        item="完成站台改造",
        due_on=date(2027, 3, 31),
    )
    marked_wire, due_wire = wire(marked), wire(due)
    for _ in range(2):  # each delivered twice
        notify.on_case_key_marked(marked_wire)
        notify.on_review_due(due_wire)
    supervisors = inbox(notify, "supervisor:330481")
    assert sorted(n["kind"] for n in supervisors) == ["case.key_marked", "review.due"]
    assert any("领导领衔督办" in n["body"] and "王建国" in n["body"] for n in supervisors)
    unit = inbox(notify, "unit:hn-transport")
    assert sorted(n["kind"] for n in unit) == ["case.key_marked", "review.due"]
    assert any("完成站台改造" in n["body"] for n in unit)
