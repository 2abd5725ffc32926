"""One-time evaluation codes as pure rules: issued for a replied item with a phone, six digits, kept
only as a keyed hash, valid for a few minutes, for a few tries, and once."""

from datetime import datetime, timedelta

from pydantic import BaseModel

from contracts.errors import ErrorCode, ServiceError
from contracts.intake.evaluation_codes import EvaluationCodeIssued
from contracts.intake.opinions import SealedContact
from contracts.vocabulary import CaseStatus, Instant

REISSUE_AFTER = timedelta(seconds=60)


class EvaluationCode(BaseModel):
    tracking_code: str
    division: str
    code_hash: str
    issued_at: Instant
    expires_at: Instant
    attempts: int = 0
    used: bool = False
    version: int = 0


def check_issuable(status: CaseStatus, contact: SealedContact | None, erased: bool) -> None:
    if status is not CaseStatus.REPLIED:
        raise ServiceError(
            ErrorCode.INVALID_TRANSITION,
            "该事项尚未答复或已测评，无需验证码 (the item is not awaiting an evaluation)",
            "status",
        )
    if contact is None or erased or not contact.phone_hash:
        raise ServiceError(
            ErrorCode.INVALID, "该事项未留手机号，无法发送验证码 (no phone was given for this item)", "tracking_code"
        )


def issue(
    tracking_code: str,
    division: str,
    current: EvaluationCode | None,
    code: str,
    code_hash: str,
    now: datetime,
    minutes: int,
) -> tuple[EvaluationCode, EvaluationCodeIssued]:
    """A fresh code replaces the previous one; not more than one a minute per item."""
    if current is not None and not current.used and now - current.issued_at < REISSUE_AFTER:
        raise ServiceError(
            ErrorCode.CONFLICT,
            "验证码已发送，请 1 分钟后再试 (a code was sent less than a minute ago)",
            "tracking_code",
        )
    expires_at = now + timedelta(minutes=minutes)
    record = EvaluationCode(
        tracking_code=tracking_code,
        division=division,
        code_hash=code_hash,
        issued_at=now,
        expires_at=expires_at,
        version=current.version if current else 0,
    )
    event = EvaluationCodeIssued(tracking_code=tracking_code, division=division, code=code, expires_at=expires_at)
    return record, event


def wrong_code() -> ServiceError:
    return ServiceError(ErrorCode.FORBIDDEN, "验证码错误或已过期 (the code is wrong or expired)", "one_time_code")


def too_many_tries(field: str) -> ServiceError:
    return ServiceError(ErrorCode.FORBIDDEN, "验证失败次数过多，请稍后重新获取验证码 (too many failed attempts)", field)


def check(record: EvaluationCode | None, given_hash: str, now: datetime, max_attempts: int) -> EvaluationCode:
    """The record used up by a right code; a wrong code raises after the caller counted it
    (`failed`). Past `max_attempts` even the right code is refused."""
    if record is None or record.used or now >= record.expires_at:
        raise wrong_code()
    if record.attempts >= max_attempts:
        raise too_many_tries("one_time_code")
    if record.code_hash != given_hash:
        raise wrong_code()
    return record.model_copy(update={"used": True})


def failed(record: EvaluationCode) -> EvaluationCode:
    return record.model_copy(update={"attempts": record.attempts + 1})
