"""The public ledger (挂单销号, 张榜公示) on the real stores: an item submitted with the citizen's name
and phone, assigned by routing's rule, evaluated; the ledger's answers carry neither, and the
citizen's words only once the division allows them. Replayed events change nothing."""

import json

import pytest
from nameko.testing.services import worker_factory

from contracts.errors import ErrorCode, ServiceError
from contracts.routing import CaseReplied
from infra.pii import PiiCipher
from infra.settings import DEV_PII_KEY
from services.intake.service import IntakeService
from services.intake.store import IntakeStore
from services.routing.service import RoutingService
from services.routing.store import RoutingStore
from services.supervision.service import SupervisionService
from services.supervision.store import SupervisionStore
from tests.factories import Publications, actor, case_event, evaluation_recorded, submit_opinion

CIPHER = PiiCipher(DEV_PII_KEY)
STATION = actor(role="station", scope="330481", label="硖石街道联络站").model_dump()
NAME, PHONE = "陈小明", "13812345678"
WORDS = "文苑路公交站台的顶棚坏了，下雨天无处避雨"


class Platform:
    """intake, routing and supervision on one database each, events handed on by hand."""

    def __init__(self, tmp_path):
        from infra.embedded import EmbeddedClient

        self.client = EmbeddedClient(tmp_path / "data")
        self.intake_out, self.routing_out, self.supervision_out = Publications(), Publications(), Publications()
        intake_store = IntakeStore(self.client["intake"], self.intake_out)
        routing_store = RoutingStore(self.client["routing"], self.routing_out)
        supervision_store = SupervisionStore(self.client["supervision"], self.supervision_out)
        for store in (intake_store, routing_store, supervision_store):
            store.ensure_indexes()
        self.intake = worker_factory(IntakeService, store=intake_store, cipher=CIPHER)
        self.routing = worker_factory(RoutingService, store=routing_store)
        self.supervision = worker_factory(SupervisionService, store=supervision_store)
        self.routing.register_unit({"id": "hn-transport", "name": "海宁市交通运输局", "division": "330481"})
        self.routing.add_rule({"division": "330481", "lead_unit": "hn-transport", "triage": "assign"})

    def submit(self, code: str) -> None:
        details = {"channel": "hotline", "operator": "话务员 07 号"}
        command = submit_opinion(
            tracking_code=code,
            channel="hotline",
            details=details,
            contact=CIPHER.seal(NAME, PHONE),
            content=WORDS,
            category="市政设施",
        )
        self.intake.submit_staff_opinion(command.model_dump(mode="json"), STATION)
        (received,) = [w for w in self.intake_out.wires if w["payload"].get("tracking_code") == code]
        self.supervision.ledger_on_opinion_received(received)
        self.routing.on_opinion_received(received)
        (assigned,) = [
            w for w in self.routing_out.wires if w["type"] == "case.assigned" and w["payload"]["case_id"] == code
        ]
        self.supervision.on_case_assigned(assigned)

    def ledger(self, division: str = "330481") -> list[dict]:
        return self.supervision.public_ledger(division)["items"]


@pytest.fixture
def platform(tmp_path):
    platform = Platform(tmp_path)
    yield platform
    platform.client.close()


def test_the_ledger_shows_the_item_without_the_citizen_or_their_words(platform):
    platform.submit("LDGR-0001-AAAA")
    (entry,) = platform.ledger()
    assert entry["tracking_code"] == "LDGR-0001-AAAA" and entry["case_number"] == "330481-2026-000001"
    assert (entry["category"], entry["unit"], entry["status"]) == ("市政设施", "海宁市交通运输局", "assigned")
    assert entry["township"] == "330481001" and entry["text"] is None and entry["rating"] is None
    answer = json.dumps(platform.supervision.public_ledger("330481"), ensure_ascii=False)
    for private in (NAME, PHONE, PHONE[-4:], "话务员", WORDS):
        assert private not in answer
    assert platform.ledger("330482") == []


def test_the_words_show_once_the_division_allows_and_the_nearest_choice_wins(platform):
    platform.submit("LDGR-0002-AAAA")
    platform.supervision.set_ledger_settings("330481", {"show_text": True})
    assert platform.ledger()[0]["text"] == WORDS
    platform.supervision.set_ledger_settings("330481001", {"show_text": False})  # the township says no
    assert platform.ledger()[0]["text"] is None
    assert platform.supervision.ledger_settings("330481001")["show_text"] is False
    answer = json.dumps(platform.supervision.public_ledger("330481"), ensure_ascii=False)
    assert NAME not in answer and PHONE not in answer


def test_the_latest_rating_and_the_reply_date_appear_once_each(platform):
    platform.submit("LDGR-0003-AAAA")
    replied = case_event(CaseReplied, case_id="LDGR-0003-AAAA").envelope("330481001", "c").wire()
    platform.supervision.on_case_replied(replied)
    evaluated = evaluation_recorded(case_id="LDGR-0003-AAAA", rating="basically_satisfied")
    wire = evaluated.envelope("330481001", "c").wire()
    platform.supervision.ledger_on_evaluation_recorded(wire)
    platform.supervision.ledger_on_evaluation_recorded(wire)  # replayed: nothing changes
    version = platform.supervision.store.cases.get("LDGR-0003-AAAA").version
    platform.supervision.ledger_on_evaluation_recorded(wire)
    assert platform.supervision.store.cases.get("LDGR-0003-AAAA").version == version
    (entry,) = platform.ledger()
    assert (entry["rating"], entry["status"], entry["replied_on"]) == ("basically_satisfied", "replied", "2026-11-23")


def test_a_replayed_opinion_received_keeps_the_first_words(platform):
    platform.submit("LDGR-0004-AAAA")
    (received,) = [w for w in platform.intake_out.wires if w["type"] == "opinion.received"]
    platform.supervision.ledger_on_opinion_received({**received, "payload": {**received["payload"], "content": "改"}})
    platform.supervision.set_ledger_settings("330481", {"show_text": True})
    assert platform.ledger()[0]["text"] == WORDS


def test_a_choice_for_something_not_a_division_is_refused(platform):
    with pytest.raises(ServiceError) as refused:
        platform.supervision.set_ledger_settings("3304", {"show_text": True})
    assert (refused.value.code, refused.value.field) == (ErrorCode.INVALID, "division")
    assert platform.supervision.store.ledger.settings.count_documents({}) == 0
