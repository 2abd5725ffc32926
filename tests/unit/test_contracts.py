"""Contract tests: what a producer emits validates as every consumer's model."""

import pytest
from pydantic import ValidationError

from contracts.envelope import Envelope
from contracts.intake import OpinionReceived, SubmitOpinion
from contracts.routing import CaseAssigned, UnitRef
from infra.pii import PiiCipher
from infra.settings import DEV_PII_KEY
from services.intake.opinion import receive
from services.routing.calendar import WorkingCalendar
from services.routing.case import open_case
from services.routing.rules import Rule
from tests.factories import NOW, submit_opinion


def over_the_wire(envelope: Envelope) -> Envelope:
    return Envelope.model_validate_json(envelope.model_dump_json())


def test_gateway_command_is_what_intake_consumes():
    command = submit_opinion(contact=PiiCipher(DEV_PII_KEY).seal(None, "13812345678"))
    wire = over_the_wire(command.envelope("330481001", "corr-1"))
    assert SubmitOpinion.from_envelope(wire) == command
    assert wire.correlation_id == "corr-1" and wire.type == "opinion.submit" and len(wire.event_id) == 26


def test_intake_event_is_what_routing_consumes():
    _, event = receive(submit_opinion())
    assert OpinionReceived.from_envelope(over_the_wire(event.envelope("330481001", "c"))) == event


def test_routing_event_is_what_intake_supervision_and_notify_consume():
    _, received = receive(submit_opinion())
    units = {"u": UnitRef(id="u", name="单位")}
    (assigned,) = open_case(received, [Rule("330481", (), "u", (), 1)], units, WorkingCalendar(), NOW).events
    wire = over_the_wire(assigned.envelope("330481001", "c"))
    assert CaseAssigned.from_envelope(wire) == assigned


def test_a_message_of_another_type_or_version_is_refused():
    _, event = receive(submit_opinion())
    wire = event.envelope("330481001", "c")
    with pytest.raises(ValueError):
        CaseAssigned.from_envelope(wire)
    with pytest.raises(ValueError):
        OpinionReceived.from_envelope(wire.model_copy(update={"version": 2}))


def test_a_payload_missing_a_field_is_refused():
    _, event = receive(submit_opinion())
    wire = event.envelope("330481001", "c")
    del wire.payload["channel"]
    with pytest.raises(ValidationError):
        OpinionReceived.from_envelope(wire)
