from datetime import date

from contracts.vocabulary import CaseStatus
from services.notify.notification import for_case_assigned
from services.supervision.views import deadline_view
from services.supervision.watch import is_overdue, watch
from tests.factories import NOW, case_assigned


def test_a_case_is_due_on_its_due_date_and_overdue_the_day_after():
    case = watch(case_assigned(due_date=date(2026, 12, 14)))
    assert not is_overdue(case, date(2026, 12, 14))
    assert is_overdue(case, date(2026, 12, 15))
    assert deadline_view(case, date(2026, 12, 15)).overdue is True


def test_a_replied_case_is_never_overdue():
    case = watch(case_assigned(due_date=date(2026, 12, 14))).model_copy(update={"status": CaseStatus.REPLIED})
    assert not is_overdue(case, date(2027, 1, 1))


def test_lead_and_co_units_are_notified_once_each_with_the_deadline():
    notes = for_case_assigned("01EVENT", case_assigned(), NOW)
    assert [n.recipient for n in notes] == ["unit:hn-transport", "unit:hn-enforcement"]
    assert [n.id for n in notes] == ["01EVENT:unit:hn-transport", "01EVENT:unit:hn-enforcement"]
    assert all("2026-12-14" in n.body and "7K3P-9XTA-2MQD" in n.body for n in notes)
    assert "主办" in notes[0].title and "协办" in notes[1].title
