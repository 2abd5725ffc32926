"""Rows of figures from summed counters: every rate of DOMAIN.md beside its counts (pure)."""

from decimal import ROUND_HALF_UP, Decimal

from contracts.supervision.statistics import Rate, StatisticsRow
from services.supervision.statistics.counters import CLASS_PREFIX, MEASURES

Sums = dict[str, int]


def rate(numerator: int, denominator: int) -> Rate:
    """Percent to two decimals, halves rounded up (58 of 95 is 61.05)."""
    if denominator == 0:
        return Rate(numerator=numerator, denominator=0, percent=None)
    percent = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return Rate(numerator=numerator, denominator=denominator, percent=float(percent))


def summed(months: dict[str, Sums], wanted: list[str], into: Sums | None = None) -> Sums:
    """The measures of the `wanted` months added up (into `into`, when given)."""
    total = into if into is not None else {}
    for month in wanted:
        for name, amount in months.get(month, {}).items():
            total[name] = total.get(name, 0) + amount
    return total


def row(key: str, label: str, sums: Sums) -> StatisticsRow:
    count = {name: sums.get(name, 0) for name in MEASURES}
    classes = {
        name.removeprefix(CLASS_PREFIX): amount
        for name, amount in sorted(sums.items())
        if name.startswith(CLASS_PREFIX) and amount
    }
    replied = count["replied"]
    return StatisticsRow(
        key=key,
        label=label,
        **count,
        classes=classes,
        reply_rate=rate(replied, count["assigned"]),
        face_to_face_rate=rate(count["met"], replied),
        satisfaction_rate=rate(count["satisfied"] + count["basically_satisfied"], count["evaluated"]),
        completion_rate=rate(count["completed"], replied),
        resolution_rate=rate(count["resolved"], replied),
        on_time_rate=rate(count["on_time"], replied),
        overdue_rate=rate(count["overdue"], count["assigned"]),
        class_shares={code: rate(amount, replied) for code, amount in classes.items()},
    )


def is_empty(sums: Sums) -> bool:
    return not any(sums.values())
