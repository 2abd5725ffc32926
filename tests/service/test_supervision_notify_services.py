from datetime import date

import pytest
from nameko.testing.services import worker_factory

from services.notify.service import NotifyService
from services.notify.store import InboxStore
from services.supervision.service import SupervisionService
from services.supervision.store import SupervisionStore
from tests.factories import NOW, Publications, case_accepted, case_assigned, contact_erased, opinion_merged


@pytest.fixture
def assigned_wire():
    return case_assigned().envelope("330481001", "c").wire()


@pytest.fixture
def supervision(mongo_db):
    store = SupervisionStore(mongo_db, Publications())
    store.ensure_indexes()
    return worker_factory(SupervisionService, store=store)


def test_supervision_watches_each_assigned_case_once(supervision, assigned_wire):
    supervision.on_case_assigned(assigned_wire)
    supervision.on_case_assigned(assigned_wire)
    deadlines = supervision.deadlines("330481")["items"]
    assert [(d["case_id"], d["due_date"]) for d in deadlines] == [("7K3P-9XTA-2MQD", "2026-12-14")]
    assert supervision.deadlines("330482")["items"] == []


def test_overdue_filter_and_count(supervision):
    supervision.on_case_assigned(
        case_assigned(case_id="OLD1-OLD1-OLD1", due_date="2020-01-10").envelope("330481001", "c").wire()
    )
    supervision.on_case_assigned(
        case_assigned(case_id="NEW1-NEW1-NEW1", due_date="2099-01-10").envelope("330481001", "c").wire()
    )
    overdue = supervision.deadlines("330481", overdue_only=True)["items"]
    assert [(d["case_id"], d["overdue"]) for d in overdue] == [("OLD1-OLD1-OLD1", True)]
    assert supervision.store.count_overdue(date(2026, 11, 23)) == 1


def test_notify_stores_each_notification_once(mongo_db, assigned_wire):
    store = InboxStore(mongo_db, Publications())
    store.ensure_indexes()
    notify = worker_factory(NotifyService, store=store)
    notify.on_case_assigned(assigned_wire)
    notify.on_case_assigned(assigned_wire)
    inbox = notify.inbox("unit:hn-transport", "330481")["items"]
    assert len(inbox) == 1 and inbox[0]["title"] == "新交办事项（主办）"
    assert len(notify.inbox("unit:hn-enforcement", "330481")["items"]) == 1
    assert notify.inbox("unit:hn-transport", "330482")["items"] == []


def test_a_signed_case_stays_under_watch_once_per_event(supervision, assigned_wire):
    supervision.on_case_assigned(assigned_wire)
    accepted = case_accepted().envelope("330481001", "c").wire()
    supervision.on_case_accepted(accepted)
    supervision.on_case_accepted(accepted)
    (watched,) = supervision.deadlines("330481")["items"]
    assert watched["status"] == "accepted" and watched["due_date"] == "2026-12-14"
    assert supervision.store.cases.get("7K3P-9XTA-2MQD").version == 2


def test_notify_remembers_an_erased_contact_once(mongo_db):
    store = InboxStore(mongo_db, Publications())
    notify = worker_factory(NotifyService, store=store)
    erased = contact_erased().envelope("330481001", "c").wire()
    notify.on_contact_erased(erased)
    notify.on_contact_erased(erased)
    assert list(store.erased_contacts.find()) == [{"_id": "7K3P-9XTA-2MQD", "erased_at": NOW}]


def test_merged_members_stop_counting_as_overdue_once(supervision):
    for code in ("7K3P-9XTA-2MQD", "7K3P-9XTA-2MQE"):
        late = case_assigned(case_id=code, due_date=date(2020, 1, 2))
        supervision.on_case_assigned(late.envelope("330481001", "c").wire())
    assert len(supervision.deadlines("330481", overdue_only=True)["items"]) == 2
    merged = opinion_merged().envelope("330481001", "c").wire()  # 2MQF was never assigned
    supervision.on_opinions_merged(merged)
    supervision.on_opinions_merged(merged)
    overdue = supervision.deadlines("330481", overdue_only=True)["items"]
    assert [case["case_id"] for case in overdue] == ["7K3P-9XTA-2MQD"]  # the primary still is
    assert supervision.store.cases.get("7K3P-9XTA-2MQE").status == "merged"
