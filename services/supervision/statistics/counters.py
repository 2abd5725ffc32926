"""Counters: what one case adds to each statistics counter, so events move counts, never rescans.

A counter is one document per (division, dimension, key), `_id` `330481|unit|hn-transport`, holding
per month the sums of the measures below. A case adds to one counter per dimension for its own
division and each division above it (6, 9 and 12 digits), always in its assignment month. When an
event changes the case, the difference between what it adds now and what it added before is applied;
so a case reopened, escalated, re-classified or told its channel late moves between counters exactly.
"""

from contracts.vocabulary import Channel
from services.supervision.statistics.facts import StatCase

MEASURES = (
    "assigned",
    "replied",
    "met",
    "completed",
    "resolved",
    "on_time",
    "evaluated",
    "satisfied",
    "basically_satisfied",
    "unsatisfied",
    "overdue",
    "returned",
    "reopened",
)
CLASS_PREFIX = "class_"
UNKNOWN = "unknown"
TOTAL = "*"
LEVELS = (6, 9, 12)
DIMENSIONS = ("all", "division", "unit", "deputy", "category", "channel")

CHANNEL_LABELS = {
    Channel.QR: "一码听民情 (qr)",
    Channel.WEB: "网上 (web)",
    Channel.HOTLINE: "民生热线 (hotline)",
    Channel.MAILBOX: "民情法治箱 (mailbox)",
    Channel.STATION_VISIT: "进站接待 (station_visit)",
    Channel.GRID_OFFICER: "网格民情信息员 (grid_officer)",
    Channel.VILLAGE_MEETING: "禾坪说事 (village_meeting)",
    Channel.DEPUTY: "代表收集 (deputy)",
    Channel.COUNTY_SYSTEM: "县级系统 (county_system)",
    Channel.SESSION_SUGGESTION: "代表建议 (session_suggestion)",
}

Contribution = dict[str, dict[str, int]]
"""counter `_id` → `month.measure` → amount."""


def ancestors(division: str) -> list[str]:
    return [division[:n] for n in LEVELS if len(division) >= n]


def child_of(ancestor: str, division: str) -> str:
    """The division one level below `ancestor` that `division` lies in, or `ancestor` itself (本级)."""
    for n in LEVELS:
        if n > len(ancestor) and len(division) >= n:
            return division[:n]
    return ancestor


def counter_id(division: str, dimension: str, key: str) -> str:
    return f"{division}|{dimension}|{key}"


def measures(case: StatCase) -> dict[str, int]:
    """The case's measures, each 0 or 1 but the returns and reopenings it counts."""
    replied = case.replied
    values = {
        "assigned": 1,
        "replied": replied,
        "met": replied and case.deputy_meetings > 0,
        "completed": replied and case.completed,
        "resolved": replied and case.resolved,
        "on_time": replied and case.on_time,
        "evaluated": case.rating is not None,
        "satisfied": case.rating == "satisfied",
        "basically_satisfied": case.rating == "basically_satisfied",
        "unsatisfied": case.rating == "unsatisfied",
        "overdue": case.overdue,
        "returned": sum(case.returns.values()),
        "reopened": case.reopened,
    }
    if replied and case.result_class:
        values[CLASS_PREFIX + case.result_class] = 1
    return {name: int(value) for name, value in values.items() if value}


def keys(case: StatCase) -> dict[str, str]:
    """The case's key in each dimension but `division`, which depends on the division asked."""
    return {
        "all": TOTAL,
        "unit": case.lead_unit.id if case.lead_unit else UNKNOWN,
        "deputy": case.deputy.id if case.deputy else UNKNOWN,
        "category": case.category or UNKNOWN,
        "channel": case.channel or UNKNOWN,
    }


def contributions(case: StatCase) -> Contribution:
    if not case.counted:
        return {}
    amounts = measures(case)
    returns = amounts.pop("returned", 0)
    out: Contribution = {}
    for ancestor in ancestors(case.division):
        dimensions = {**keys(case), "division": child_of(ancestor, case.division)}
        for dimension, key in dimensions.items():
            add(out, counter_id(ancestor, dimension, key), case.month, amounts)
            if dimension != "unit" and returns:
                add(out, counter_id(ancestor, dimension, key), case.month, {"returned": returns})
        for unit, times in case.returns.items():  # a return counts against the unit that returned it
            add(out, counter_id(ancestor, "unit", unit), case.month, {"returned": times})
    return out


def add(out: Contribution, counter: str, month: str, amounts: dict[str, int]) -> None:
    fields = out.setdefault(counter, {})
    for name, amount in amounts.items():
        path = f"{month}.{name}"
        fields[path] = fields.get(path, 0) + amount


def difference(before: Contribution, after: Contribution) -> Contribution:
    """What to add to each counter to go from `before` to `after` (counters with no change left out)."""
    out: Contribution = {}
    for counter in before.keys() | after.keys():
        old, new = before.get(counter, {}), after.get(counter, {})
        change = {path: new.get(path, 0) - old.get(path, 0) for path in old.keys() | new.keys()}
        change = {path: amount for path, amount in change.items() if amount}
        if change:
            out[counter] = change
    return out


def labels(case: StatCase) -> dict[str, str]:
    """`dimension|key` → what a person reads for it, for the keys this case brings."""
    found = {f"unit|{unit}": name for unit, name in case.unit_names.items()}
    if case.deputy:
        found[f"deputy|{case.deputy.id}"] = case.deputy.name
    if case.channel:
        found[f"channel|{case.channel}"] = CHANNEL_LABELS.get(Channel(case.channel), case.channel)
    return found
