"""Result-class schemes (答复结果分类): which classes a division's replies may carry, and which of
them count as completed (办结) and as resolved (解决).

National default A/B/C/D; 马龙区 (530304) replies with two classes, A 已解决或正在解决 and B 计划解决.
"""

from contracts.errors import ErrorCode, ServiceError
from contracts.routing import ResultClass

NATIONAL = (
    ResultClass(code="A", label="已经解决或基本解决", completed=True, resolved=True),
    ResultClass(code="B", label="正在解决或列入计划解决", completed=True, resolved=False, planned=True),
    ResultClass(code="C", label="因条件限制以后解决", completed=True, resolved=False),
    ResultClass(code="D", label="留作参考", completed=True, resolved=False),
)
MALONG = (
    ResultClass(code="A", label="已解决或正在解决", completed=True, resolved=True),
    ResultClass(code="B", label="计划解决", completed=False, resolved=False, planned=True),
)
BY_DIVISION: dict[str, tuple[ResultClass, ...]] = {"530304": MALONG}


def scheme_for(division: str) -> tuple[ResultClass, ...]:
    """The scheme of the division's county (its first six digits), else the national one."""
    return BY_DIVISION.get(division[:6], NATIONAL)


def result_class(scheme: tuple[ResultClass, ...], code: str) -> ResultClass:
    for candidate in scheme:
        if candidate.code == code.upper():
            return candidate
    codes = "/".join(c.code for c in scheme)
    raise ServiceError(
        ErrorCode.INVALID, f"答复结果分类须为 {codes} 之一 (result class not in the division's scheme)", "result_class"
    )


def configured_scheme(
    division: str, configured: dict[str, tuple[ResultClass, ...]]
) -> tuple[str, tuple[ResultClass, ...]]:
    """The scheme of the most local division at or above `division` that set one, else the built-in
    one (马龙区's two classes, or the national A/B/C/D), with the division it comes from."""
    for length in (12, 9, 6):
        if len(division) >= length and division[:length] in configured:
            return division[:length], configured[division[:length]]
    return (division[:6], BY_DIVISION[division[:6]]) if division[:6] in BY_DIVISION else ("", NATIONAL)
