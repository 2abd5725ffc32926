"""intake's entrypoints with nameko's worker_factory: real store on the test database, events captured."""

import pytest
from nameko.testing.services import worker_factory

from contracts.envelope import Envelope
from contracts.errors import ErrorCode, ServiceError
from infra.outbox import PublishFailed
from infra.pii import PiiCipher
from infra.settings import DEV_PII_KEY
from services.intake.service import IntakeService
from services.intake.store import IntakeStore
from tests.factories import Publications, actor, case_accepted, case_assigned, submit_opinion


@pytest.fixture
def published():
    return Publications()


@pytest.fixture
def intake(mongo_db, published):
    store = IntakeStore(mongo_db, published)
    store.ensure_indexes()
    return worker_factory(IntakeService, store=store, cipher=PiiCipher(DEV_PII_KEY))


def dispatched(published) -> list[Envelope]:
    return [Envelope.model_validate(wire) for wire in published.wires]


def test_submission_is_stored_once_and_published_once_even_if_redelivered(intake, published):
    contact = PiiCipher(DEV_PII_KEY).seal("陈小明", "13812345678")
    wire = submit_opinion(contact=contact).envelope("330481001", "corr-7").wire()
    intake.submit_opinion(wire)
    intake.submit_opinion(wire)

    events = dispatched(published)
    assert [e.type for e in events] == ["opinion.received"]
    assert events[0].correlation_id == "corr-7" and events[0].payload["has_contact"] is True
    stored = intake.store.opinions.collection.find_one({"_id": "7K3P-9XTA-2MQD"})
    assert stored["outbox"] == []
    assert "13812345678" not in str(stored) and stored["contact"]["phone_hash"] == contact.phone_hash


def test_assignment_is_applied_once_and_shown_to_the_citizen(intake):
    intake.submit_opinion(submit_opinion().envelope("330481001", "c").wire())
    assigned = case_assigned().envelope("330481001", "c").wire()
    intake.on_case_assigned(assigned)
    intake.on_case_assigned(assigned)

    view = intake.public_view("7K3P-9XTA-2MQD")
    assert view["status"] == "assigned" and view["lead_unit"]["name"] == "海宁市交通运输局"
    assert [step["status"] for step in view["history"]] == ["received", "triaged", "assigned"]
    assert "contact" not in view


def test_unknown_tracking_code_is_a_not_found_error(intake):
    with pytest.raises(ServiceError) as raised:
        intake.public_view("AAAA-BBBB-CCCC")
    assert raised.value.code is ErrorCode.NOT_FOUND and raised.value.field == "tracking_code"


def test_a_malformed_command_raises_so_the_broker_can_retry_and_dead_letter_it(intake):
    with pytest.raises(ValueError):
        intake.submit_opinion({"not": "an envelope"})
    assert intake.store.opinions.collection.count_documents({}) == 0


def test_a_failed_publication_stays_in_the_outbox_for_the_sweeper(intake, published, monkeypatch):
    published.failure = PublishFailed("broker gone")
    intake.submit_opinion(submit_opinion().envelope("330481001", "c").wire())  # stored, so acknowledged
    stored = intake.store.opinions.collection.find_one({"_id": "7K3P-9XTA-2MQD"})
    assert published.wires == [] and len(stored["outbox"]) == 1

    published.failure = None
    monkeypatch.setattr("infra.nameko_service.get_settings", lambda: type("S", (), {"outbox_sweep_seconds": -1})())
    intake.sweep_outbox()
    assert [e.type for e in dispatched(published)][-1] == "opinion.received"
    assert intake.store.opinions.collection.find_one({"_id": "7K3P-9XTA-2MQD"})["outbox"] == []


def test_staff_view_decrypts_the_contact_for_callers_back_only(intake):
    contact = PiiCipher(DEV_PII_KEY).seal("陈小明", "13812345678")
    intake.submit_opinion(submit_opinion(contact=contact).envelope("330481001", "c").wire())
    station = actor(role="station").model_dump()
    supervisor = actor(role="supervisor").model_dump()
    assert intake.staff_view("7K3P-9XTA-2MQD", station)["contact"]["phone"] == "13812345678"
    assert intake.staff_view("7K3P-9XTA-2MQD", supervisor)["contact"] == {
        "name": "陈**",
        "phone": "138****5678",
        "masked": True,
    }


def test_a_signature_is_applied_once_and_shown_to_the_citizen(intake):
    intake.submit_opinion(submit_opinion().envelope("330481001", "c").wire())
    intake.on_case_assigned(case_assigned().envelope("330481001", "c").wire())
    accepted = case_accepted().envelope("330481001", "c").wire()
    intake.on_case_accepted(accepted)
    intake.on_case_accepted(accepted)

    view = intake.public_view("7K3P-9XTA-2MQD")
    assert view["status"] == "accepted" and view["lead_unit"]["id"] == "hn-transport"
    assert [step["status"] for step in view["history"]] == ["received", "triaged", "assigned", "accepted"]
