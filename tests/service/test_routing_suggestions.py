"""routing takes an accepted deputy suggestion (`suggestion.accepted`) as a case under the statutory
deadline policy: triaged by the rules, due three calendar months from assignment, opened once."""

from datetime import date

import pytest
from nameko.testing.services import worker_factory

from contracts.envelope import Envelope
from contracts.intake.suggestions import CongressSession, DeputyRef, SuggestionAccepted
from contracts.routing import UnitRef
from infra.clock import local_today
from services.intake.suggestions import suggestion as intake_rules
from services.routing.calendar import WorkingCalendar
from services.routing.rules import Rule
from services.routing.service import RoutingService
from services.routing.store import RoutingStore
from services.routing.suggestion_case import add_months, open_case
from tests.factories import NOW, Publications, actor

EVERYWHERE = actor(role="admin", scope="").model_dump()  # sees every case

SID = "JY-7K3P-9XTA-2MQD"


def accepted(**overrides) -> SuggestionAccepted:
    fields = dict(
        suggestion_id=SID,
        number=12,
        division="330481",
        session=CongressSession(term=17, meeting=3),
        session_name="第十七届人民代表大会第三次会议",
        title="关于加快老旧小区加装电梯的建议",
        text="我市2000年以前建成的老旧小区多无电梯，建议简化审批流程，提高财政补助。",
        deputies=[
            DeputyRef(id="deputy-zhang-wei", name="张伟", division="330481001"),
            DeputyRef(id="deputy-li-hong", name="李红", division="330481001"),
        ],
        accepted_at=NOW,
    )
    return SuggestionAccepted(**{**fields, **overrides})


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (date(2026, 11, 30), date(2027, 2, 28)),  # no 30 February: the month's last day
        (date(2027, 11, 30), date(2028, 2, 29)),  # a leap year
        (date(2026, 11, 23), date(2027, 2, 23)),
        (date(2026, 10, 31), date(2027, 1, 31)),
        (date(2026, 3, 31), date(2026, 6, 30)),
        (date(2026, 12, 1), date(2027, 3, 1)),
    ],
)
def test_the_statutory_deadline_is_three_calendar_months_on(start, due):
    assert add_months(start, 3) == due


@pytest.fixture
def published():
    return Publications()


@pytest.fixture
def routing(mongo_db, published):
    store = RoutingStore(mongo_db, published)
    store.ensure_indexes()
    service = worker_factory(RoutingService, store=store)
    service.register_unit({"id": "hn-housing", "name": "海宁市住房和城乡建设局", "division": "330481"})
    service.add_rule({"division": "330481", "keywords": ["加装电梯"], "lead_unit": "hn-housing"})
    return service


def test_an_accepted_suggestion_becomes_a_statutory_case_once_however_often_replayed(routing, published):
    wire = accepted().envelope("330481", "corr-sug").wire()
    routing.on_suggestion_accepted(wire)
    stored = routing.store.cases.get(SID)
    routing.on_suggestion_accepted(wire)  # replayed
    routing.on_suggestion_accepted(accepted().envelope("330481", "corr-other").wire())  # published again

    assert routing.store.cases.get(SID) == stored and stored.version == 1
    assert stored.deadline_policy == "statutory" and stored.channel == "session_suggestion"
    assert stored.content.startswith("关于加快老旧小区加装电梯的建议\n\n")
    assert stored.history[0].reason == "第十七届人民代表大会第三次会议 建议第12号"

    _, *events = [Envelope.model_validate(wire) for wire in published.wires]  # case.triaged, then
    assert [e.type for e in events] == ["case.assigned"] and events[0].correlation_id == "corr-sug"
    payload = events[0].payload
    assert payload["case_id"] == SID and payload["lead_unit"]["id"] == "hn-housing"
    assert payload["due_date"] == add_months(local_today(), 3).isoformat() and payload["calendar_fallback"] is False

    (case,) = routing.find_cases({"division": "330481"}, EVERYWHERE)["items"]
    assert (case["case_id"], case["status"]) == (SID, "assigned")
    assert case["due_date"] == add_months(local_today(), 3).isoformat()


def test_the_case_is_signed_for_like_any_other(routing):
    routing.on_suggestion_accepted(accepted().envelope("330481", "c").wire())
    key = actor(role="handler", unit="hn-housing").model_dump()
    assert routing.accept_case(SID, {"expected_version": 1}, key)["status"] == "accepted"


def test_a_suggestion_no_rule_matches_waits_at_triage_under_the_statutory_policy(routing, published):
    routing.on_suggestion_accepted(
        accepted(title="关于加强文物保护的建议", text="建议加大文物保护投入。" * 3).envelope("330481", "c").wire()
    )
    stored = routing.store.cases.get(SID)
    assert stored.status == "triaged" and stored.due_date is None and stored.deadline_policy == "statutory"
    assert published.types() == ["case.triaged"] and published.wires[0]["payload"]["matched"] is False


def test_the_period_counts_its_working_days_for_display_only():
    units = {"hn-housing": UnitRef(id="hn-housing", name="海宁市住房和城乡建设局")}
    decision = open_case(accepted(), [Rule("330481", ("电梯",), "hn-housing", (), 100)], units, WorkingCalendar(), NOW)
    _, event = decision.events  # case.triaged, case.assigned
    assert event.due_date == date(2027, 2, 23) and 55 <= event.working_days <= 66
    assert decision.case.history[-1].reason.endswith("（2027-02-23 前）答复")


def test_what_intake_publishes_is_what_routing_consumes():
    """One producer's payload validates as the consumer's model, over the wire."""
    session = CongressSession(term=17, meeting=3)
    lead = DeputyRef(id="deputy-zhang-wei", name="张伟", division="330481001")
    reviewer = actor(role="supervisor")
    filed = intake_rules.file(
        SID, 3, "330481", session, "关于加快老旧小区加装电梯的建议", "正文" * 10, lead, [], actor(role="deputy"), NOW
    )
    decision = intake_rules.accept(intake_rules.submit(filed, actor(role="deputy"), NOW), reviewer, NOW)
    envelope = decision.events[0].envelope("330481", "c")
    over_the_wire = Envelope.model_validate_json(envelope.model_dump_json())
    assert SuggestionAccepted.from_envelope(over_the_wire) == decision.events[0]
