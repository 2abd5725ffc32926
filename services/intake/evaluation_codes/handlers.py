"""The citizen asks for a code, then proves the item is theirs with it (or with the last four digits
of the phone): each wrong try counts against the code and against the client's address."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from contracts.errors import ErrorCode, ServiceError
from contracts.intake.evaluation_codes import EvaluationCodeSent, EvaluatorProofIn
from contracts.supervision import SubmitterProof
from infra.aggregates import VersionConflict
from infra.pii import PiiCipher, mask_phone
from services.intake import handlers as intake
from services.intake.evaluation_codes import code as rules


@dataclass(frozen=True)
class Limits:
    code_minutes: int = 10
    code_attempts: int = 5
    address_attempts: int = 20


def code_hash(cipher: PiiCipher, tracking_code: str, code: str) -> str:
    return cipher.phone_hash(f"evaluation-code|{tracking_code}|{code}")


def address_key(cipher: PiiCipher, address: str, now: datetime) -> str:
    """The address hashed (it is personal data too) with the hour it counts in."""
    return f"{cipher.phone_hash('address|' + address)}|{now:%Y%m%d%H}"


def issue_code(store, cipher: PiiCipher, tracking_code: str, now: datetime, limits: Limits, correlation_id: str):
    opinion = intake.find_opinion(store, tracking_code)
    rules.check_issuable(opinion.status, opinion.contact, opinion.contact_erased)
    current = store.evaluation_codes.codes.get(tracking_code)
    code = f"{secrets.randbelow(10**6):06d}"
    record, event = rules.issue(
        tracking_code,
        opinion.division,
        current,
        code,
        code_hash(cipher, tracking_code, code),
        now,
        limits.code_minutes,
    )
    try:
        if current is None:
            if not store.evaluation_codes.codes.add(record, [event], correlation_id):
                raise VersionConflict(tracking_code, None)
        else:
            store.evaluation_codes.codes.save(record, [event], correlation_id)
    except VersionConflict:
        raise ServiceError(
            ErrorCode.CONFLICT, "验证码已发送，请 1 分钟后再试 (a code was just sent)", "tracking_code"
        ) from None
    phone = cipher.open(opinion.contact).get("phone") or ""
    return EvaluationCodeSent(tracking_code=tracking_code, expires_at=record.expires_at, sent_to=mask_phone(phone))


def prove(
    store,
    cipher: PiiCipher,
    tracking_code: str,
    proof: EvaluatorProofIn,
    address: str,
    now: datetime,
    limits: Limits,
    correlation_id: str,
) -> SubmitterProof:
    """Exactly one of the two proofs; an address with too many failures this hour is refused first."""
    field = "one_time_code" if proof.one_time_code else "phone_last_four"
    if bool(proof.one_time_code) == bool(proof.phone_last_four):
        raise ServiceError(
            ErrorCode.INVALID,
            "请提供验证码或手机号后四位之一 (give either one_time_code or phone_last_four)",
            "one_time_code",
        )
    counted = address_key(cipher, address, now)
    if store.evaluation_codes.failures_of(counted) >= limits.address_attempts:
        raise rules.too_many_tries(field)
    try:
        if proof.phone_last_four:
            return intake.prove_submitter(store, cipher, tracking_code, proof.phone_last_four, correlation_id)
        return prove_by_code(store, cipher, tracking_code, proof.one_time_code, now, limits, correlation_id)
    except ServiceError as refused:
        if refused.code is ErrorCode.FORBIDDEN:
            store.evaluation_codes.count_failure(counted, now + timedelta(hours=1))
        raise


def prove_by_code(
    store, cipher: PiiCipher, tracking_code: str, code: str, now: datetime, limits: Limits, correlation_id: str
) -> SubmitterProof:
    codes = store.evaluation_codes.codes
    record = codes.get(tracking_code)
    try:
        used = rules.check(record, code_hash(cipher, tracking_code, code), now, limits.code_attempts)
    except ServiceError:
        if record is not None and not record.used and now < record.expires_at:
            save_quietly(codes, rules.failed(record), correlation_id)
        raise
    try:
        codes.save(used, [], correlation_id)
    except VersionConflict:
        raise rules.wrong_code() from None  # used or retried concurrently: one proof per code
    return SubmitterProof(case_id=tracking_code)


def save_quietly(codes, record, correlation_id: str) -> None:
    try:
        codes.save(record, [], correlation_id)
    except VersionConflict:
        pass  # a concurrent try counted first; the code's count still rose
