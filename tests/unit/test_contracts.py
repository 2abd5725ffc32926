"""Contract tests: what a producer emits validates as every consumer's model."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import BaseModel, ValidationError

from contracts.envelope import Envelope
from contracts.errors import ErrorCode, ServiceError, parse
from contracts.intake.opinions import OpinionReceived, SubmitOpinion
from contracts.routing import CaseAssigned, UnitIn, UnitRef
from contracts.vocabulary import Instant
from infra.pii import PiiCipher
from infra.settings import DEV_PII_KEY
from services.intake.opinion import receive
from services.routing.calendar import WorkingCalendar
from services.routing.rules import Rule
from services.routing.triage import open_case
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
    _, assigned = open_case(received, [Rule("330481", (), "u", (), 1)], units, WorkingCalendar(), NOW).events
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


def test_a_service_error_survives_nameko_serialisation_of_its_arguments():
    from nameko.exceptions import serialize

    state = {"case_id": "7K3P-9XTA-2MQD", "version": 2, "lead_unit": None, "done": False}
    sent = ServiceError(ErrorCode.CONFLICT, "案件已被他人更新", "expected_version", state=state)
    received = ServiceError.from_args(*serialize(sent)["exc_args"])
    assert (received.code, received.detail, received.field, received.state) == (
        ErrorCode.CONFLICT,
        "案件已被他人更新",
        "expected_version",
        state,
    )
    bare = ServiceError.from_args(*serialize(ServiceError(ErrorCode.NOT_FOUND, "没有"))["exc_args"])
    assert bare.field is None and bare.state is None


def test_rpc_input_is_parsed_or_refused_naming_the_field():
    unit = parse(UnitIn, {"id": "hn-transport", "name": "海宁市交通运输局", "division": "330481"})
    assert unit.division == "330481"
    with pytest.raises(ServiceError) as refused:
        parse(UnitIn, {"id": "hn-transport", "name": "海宁市交通运输局", "division": "3304"})
    assert refused.value.code is ErrorCode.INVALID and refused.value.field == "division"
    assert "行政区划代码" in refused.value.detail


def test_instants_are_written_in_one_width_so_stored_strings_sort_as_time_does():
    class Stamped(BaseModel):
        at: Instant

    on_the_second = Stamped(at=datetime(2026, 1, 1, 8, 0, 0, tzinfo=UTC))
    just_after = Stamped(at=datetime(2026, 1, 1, 16, 0, 0, 1, tzinfo=timezone(timedelta(hours=8))))
    first, second = (m.model_dump(mode="json")["at"] for m in (on_the_second, just_after))
    assert first == "2026-01-01T08:00:00.000000Z" and second == "2026-01-01T08:00:00.000001Z" and first < second
    assert Stamped.model_validate_json(just_after.model_dump_json()) == just_after
