"""The citizen's one-time evaluation code in intake, on the real store: issued for a replied item
with a phone and kept hashed, good once; brute force is refused per code and per client address,
even with the right code."""

import pytest
from nameko.testing.services import worker_factory

from contracts.envelope import Envelope
from contracts.errors import ErrorCode, ServiceError
from contracts.routing import CaseReplied
from infra.pii import PiiCipher
from infra.settings import DEV_PII_KEY, get_settings
from services.intake.service import IntakeService
from services.intake.store import IntakeStore
from tests.factories import Publications, case_assigned, case_event, evaluation_recorded, submit_opinion

CASE = "7K3P-9XTA-2MQD"
OTHER = "7K3P-9XTA-2MQE"
ADDRESS = "203.0.113.7"


def wire(message) -> dict:
    return message.envelope("330481001", "corr-code").wire()


@pytest.fixture
def published():
    return Publications()


@pytest.fixture
def setting(monkeypatch):
    """`setting(NAME, value)`: a setting for this test only."""

    def choose(name: str, value: str) -> None:
        monkeypatch.setenv(name, value)
        get_settings.cache_clear()

    yield choose
    get_settings.cache_clear()


@pytest.fixture
def intake(mongo_db, published):
    store = IntakeStore(mongo_db, published)
    store.ensure_indexes()
    service = worker_factory(IntakeService, store=store, cipher=PiiCipher(DEV_PII_KEY))
    for code in (CASE, OTHER):
        contact = PiiCipher(DEV_PII_KEY).seal("陈小明", "13812345678")
        service.submit_opinion(wire(submit_opinion(tracking_code=code, contact=contact)))
    return service


def reply_to(intake, code: str = CASE) -> None:
    intake.on_case_assigned(wire(case_assigned(case_id=code)))
    intake.on_case_replied(wire(case_event(CaseReplied, case_id=code)))


def issued_code(published, code: str = CASE) -> str:
    sent = [Envelope.model_validate(w) for w in published.wires if w["type"] == "evaluation.code_issued"]
    return next(e.payload["code"] for e in reversed(sent) if e.payload["tracking_code"] == code)


def test_a_code_is_sent_for_a_replied_item_and_kept_only_hashed(intake, published, mongo_db):
    reply_to(intake)
    answer = intake.issue_evaluation_code(CASE)
    assert answer["sent_to"] == "138****5678" and "code" not in answer
    code = issued_code(published)
    assert len(code) == 6 and code.isdigit()
    stored = mongo_db["evaluation_codes"].find_one({"_id": CASE})
    assert code not in str(stored) and "13812345678" not in str(published.wires)
    assert intake.prove_evaluator(CASE, {"one_time_code": code}, ADDRESS) == {"case_id": CASE}
    with pytest.raises(ServiceError) as once:
        intake.prove_evaluator(CASE, {"one_time_code": code}, ADDRESS)
    assert (once.value.code, once.value.field) == (ErrorCode.FORBIDDEN, "one_time_code")


def test_no_code_for_an_item_not_replied_without_a_phone_or_asked_again_at_once(intake, published):
    with pytest.raises(ServiceError) as early:
        intake.issue_evaluation_code(CASE)
    assert (early.value.code, early.value.field) == (ErrorCode.INVALID_TRANSITION, "status")
    intake.submit_opinion(wire(submit_opinion(tracking_code="7K3P-9XTA-2MQF")))
    reply_to(intake, "7K3P-9XTA-2MQF")
    with pytest.raises(ServiceError) as no_phone:
        intake.issue_evaluation_code("7K3P-9XTA-2MQF")
    assert no_phone.value.code is ErrorCode.INVALID
    reply_to(intake)
    intake.issue_evaluation_code(CASE)
    with pytest.raises(ServiceError) as soon:
        intake.issue_evaluation_code(CASE)
    assert soon.value.code is ErrorCode.CONFLICT
    assert [w["type"] for w in published.wires].count("evaluation.code_issued") == 1


def test_brute_forcing_a_code_is_refused_even_with_the_right_code(intake, published):
    reply_to(intake)
    intake.issue_evaluation_code(CASE)
    code = issued_code(published)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        with pytest.raises(ServiceError):
            intake.prove_evaluator(CASE, {"one_time_code": wrong}, ADDRESS)
    with pytest.raises(ServiceError) as locked:
        intake.prove_evaluator(CASE, {"one_time_code": code}, "198.51.100.1")  # another address, right code
    assert (locked.value.code, locked.value.field) == (ErrorCode.FORBIDDEN, "one_time_code")
    assert "次数过多" in locked.value.detail


def test_one_address_trying_many_items_is_refused_even_with_the_right_code(intake, published, setting):
    setting("EVALUATION_ADDRESS_ATTEMPTS", "3")
    reply_to(intake)
    reply_to(intake, OTHER)
    intake.issue_evaluation_code(OTHER)
    code = issued_code(published, OTHER)
    for proof in ({"phone_last_four": "0000"}, {"phone_last_four": "1111"}, {"one_time_code": "000000"}):
        with pytest.raises(ServiceError):
            intake.prove_evaluator(CASE, proof, ADDRESS)
    with pytest.raises(ServiceError) as refused:
        intake.prove_evaluator(OTHER, {"one_time_code": code}, ADDRESS)
    assert "次数过多" in refused.value.detail
    assert intake.prove_evaluator(OTHER, {"one_time_code": code}, "198.51.100.1") == {"case_id": OTHER}


def test_the_last_four_digits_still_prove_and_exactly_one_proof_is_given(intake):
    reply_to(intake)
    assert intake.prove_evaluator(CASE, {"phone_last_four": "5678"}, ADDRESS) == {"case_id": CASE}
    for proof in ({}, {"one_time_code": "123456", "phone_last_four": "5678"}):
        with pytest.raises(ServiceError) as refused:
            intake.prove_evaluator(CASE, proof, ADDRESS)
        assert (refused.value.code, refused.value.field) == (ErrorCode.INVALID, "one_time_code")
    with pytest.raises(ServiceError) as malformed:
        intake.prove_evaluator(CASE, {"one_time_code": "12ab56"}, ADDRESS)
    assert malformed.value.field == "one_time_code"


def test_an_expired_code_is_refused(intake, published, setting):
    setting("EVALUATION_CODE_MINUTES", "0")
    reply_to(intake)
    intake.issue_evaluation_code(CASE)
    with pytest.raises(ServiceError) as expired:
        intake.prove_evaluator(CASE, {"one_time_code": issued_code(published)}, ADDRESS)
    assert (expired.value.code, expired.value.field) == (ErrorCode.FORBIDDEN, "one_time_code")
    assert "过期" in expired.value.detail


def test_past_the_rehandling_limit_the_citizen_sees_the_item_evaluated_and_gets_no_more_codes(intake):
    reply_to(intake)
    intake.on_evaluation_recorded(wire(evaluation_recorded(round=3, reopen=False)))
    view = intake.public_view(CASE)
    assert (view["status"], view["evaluation"]) == ("evaluated", "unsatisfied")
    with pytest.raises(ServiceError) as refused:
        intake.issue_evaluation_code(CASE)
    assert refused.value.field == "status"
