from contracts.vocabulary import CaseStatus
from infra.pii import PiiCipher
from infra.settings import DEV_PII_KEY
from services.intake.opinion import assigned, receive
from services.intake.views import public_view, staff_view
from tests.factories import case_assigned, submit_opinion


def test_receiving_an_opinion_records_the_first_state_and_the_event():
    contact = PiiCipher(DEV_PII_KEY).seal("陈小明", "13812345678")
    opinion, event = receive(submit_opinion(contact=contact))
    assert opinion.status is CaseStatus.RECEIVED and opinion.history[0].actor == "channel:web"
    assert event.tracking_code == opinion.tracking_code and event.has_contact is True
    assert "contact" not in event.model_dump() and "13812345678" not in event.model_dump_json()


def test_public_view_has_progress_but_no_contact():
    contact = PiiCipher(DEV_PII_KEY).seal("陈小明", "13812345678")
    opinion, _ = receive(submit_opinion(contact=contact))
    opinion = assigned(opinion, case_assigned())
    view = public_view(opinion)
    dumped = view.model_dump_json()
    assert view.status is CaseStatus.ASSIGNED and view.lead_unit.name == "海宁市交通运输局"
    assert "contact" not in dumped and contact.ciphertext not in dumped


def test_assignment_carries_unit_and_deadline():
    opinion = assigned(receive(submit_opinion())[0], case_assigned())
    changes = opinion.model_dump(mode="json")
    assert changes["status"] == "assigned"
    assert changes["lead_unit"] == {"id": "hn-transport", "name": "海宁市交通运输局"}
    assert changes["due_date"] == "2026-12-14" and changes["calendar_fallback"] is False


def test_staff_view_masks_the_contact_unless_revealed():
    opinion, _ = receive(submit_opinion(contact=PiiCipher(DEV_PII_KEY).seal("陈小明", "13812345678")))
    contact = {"name": "陈小明", "phone": "13812345678"}
    masked = staff_view(opinion, contact, reveal=False).contact
    revealed = staff_view(opinion, contact, reveal=True).contact
    assert (masked.name, masked.phone, masked.masked) == ("陈**", "138****5678", True)
    assert (revealed.name, revealed.phone, revealed.masked) == ("陈小明", "13812345678", False)


def test_staff_view_of_an_anonymous_opinion_has_no_contact():
    opinion, _ = receive(submit_opinion())
    assert staff_view(opinion, None, reveal=True).contact is None
