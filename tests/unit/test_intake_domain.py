import pytest
from pydantic import ValidationError

from contracts.intake.opinions import Receiver, ReceiverKind
from contracts.vocabulary import CaseStatus, Role
from infra.pii import PiiCipher
from infra.settings import DEV_PII_KEY
from services.intake.opinion import assigned, case_number, erase_contact, proves_submitter, receive, reveals_contact
from services.intake.views import public_view, staff_view
from tests.factories import NOW, case_assigned, submit_opinion


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


def test_content_is_normalised_the_same_way_on_every_channel():
    command = submit_opinion(content="  文苑路　公交站台ＡＢ１２\r\n\r\n\r\n\r\n  顶棚坏了，（急）  ")
    assert command.content == "文苑路 公交站台AB12\n\n顶棚坏了，（急）"  # Chinese punctuation kept
    with pytest.raises(ValidationError) as too_long:
        submit_opinion(content="坑" * 5001)
    assert too_long.value.errors()[0]["loc"] == ("content",)
    with pytest.raises(ValidationError):
        submit_opinion(content=" \u3000 ")


def test_the_case_number_is_the_county_the_year_and_a_six_digit_sequence():
    opinion, event = receive(submit_opinion(division="330481001001"), number=case_number("330481001001", 2026, 123))
    assert opinion.case_number == event.case_number == "330481-2026-000123"
    assert opinion.origin.division == "330481001001"


def test_erasing_the_contact_keeps_the_item_anonymised_and_tells_the_others():
    contact = PiiCipher(DEV_PII_KEY).seal("陈小明", "13812345678")
    opinion, _ = receive(submit_opinion(contact=contact))
    assert proves_submitter(opinion, {"phone": "13812345678"}, "5678")
    assert not proves_submitter(opinion, {"phone": "13812345678"}, "1234")
    assert not proves_submitter(opinion, None, "5678")
    erased, event = erase_contact(opinion, NOW)
    assert erased.contact is None and erased.contact_erased and erased.content == opinion.content
    assert event.tracking_code == opinion.tracking_code and event.TYPE == "opinion.contact_erased"


def test_the_public_view_names_a_deputy_but_not_a_grid_officer():
    deputy = Receiver(kind=ReceiverKind.DEPUTY, id="zhang-wei", name="张伟")
    assert public_view(receive(submit_opinion(), deputy)[0]).receiver == deputy
    officer = Receiver(kind=ReceiverKind.INFO_OFFICER, name="周丽")
    shown = public_view(receive(submit_opinion(), officer)[0])
    assert shown.receiver.name == "网格民情信息员" and "周丽" not in shown.model_dump_json()
    staff = staff_view(receive(submit_opinion(), officer)[0], None, reveal=False)
    assert staff.receiver == officer and staff.origin.division == "330481001"


@pytest.mark.parametrize("role", list(Role))
def test_only_the_roles_that_call_citizens_back_see_the_contact_in_full(role):
    opinion, _ = receive(submit_opinion(contact=PiiCipher(DEV_PII_KEY).seal("陈小明", "13812345678")))
    shown = staff_view(opinion, {"name": "陈小明", "phone": "13812345678"}, reveals_contact(role)).contact
    if role in (Role.STATION, Role.INFO_OFFICER):
        assert (shown.name, shown.phone, shown.masked) == ("陈小明", "13812345678", False)
    else:
        assert (shown.name, shown.phone, shown.masked) == ("陈**", "138****5678", True)
