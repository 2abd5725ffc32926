"""Handling units (承办单位) and the rules that name them, checked as pure functions.

A unit's parent (上级单位) must exist, be active, lie at or above the unit's division, and never be
the unit itself or one of its own descendants. A rule may name only active units on its division's
line: a unit of the rule's division, of a division above it (a county bureau for a township rule) or
below it (a township government for a county rule); a unit of another county is refused.
"""

from collections.abc import Callable, Mapping

from contracts.errors import ErrorCode, ServiceError
from contracts.routing import RoutingRuleIn, UnitView
from contracts.vocabulary import within


def invalid(detail: str, field: str) -> ServiceError:
    return ServiceError(ErrorCode.INVALID, detail, field)


def check_parent(unit: UnitView, lookup: Callable[[str], UnitView | None]) -> None:
    if unit.parent is None:
        return
    if unit.parent == unit.id:
        raise invalid("上级单位不能是本单位 (a unit cannot be its own parent)", "parent")
    parent = lookup(unit.parent)
    if parent is None or not parent.active:
        raise invalid(f"上级单位 {unit.parent} 不存在或已停用 (unknown or deactivated parent unit)", "parent")
    if not within(unit.division, parent.division):
        raise invalid(f"上级单位 {parent.name} 不在本单位的上级区划 (the parent lies in another division)", "parent")
    seen, current = {unit.id}, parent
    while current is not None and current.parent is not None:
        if current.parent in seen:
            raise invalid("上级单位形成循环 (the parent chain would loop)", "parent")
        seen.add(current.id)
        current = lookup(current.parent)


def on_the_line(rule_division: str, unit_division: str) -> bool:
    return within(rule_division, unit_division) or within(unit_division, rule_division)


def check_rule_units(rule: RoutingRuleIn, known: Mapping[str, UnitView]) -> None:
    """Refuses a rule naming a missing or deactivated unit, or one of another division (422 naming the field)."""
    named = [("lead_unit", rule.lead_unit)] if rule.lead_unit else []
    named += [("co_units", unit) for unit in rule.co_units]
    for field, unit_id in named:
        unit = known.get(unit_id)
        if unit is None:
            raise invalid(f"承办单位 {unit_id} 不存在 (unknown unit)", field)
        if not unit.active:
            raise invalid(f"承办单位 {unit.name} 已停用 (deactivated unit)", field)
        if not on_the_line(rule.division, unit.division):
            raise invalid(f"承办单位 {unit.name} 不属于本辖区 (a unit of another division)", field)
    if rule.lead_unit is not None and rule.lead_unit in rule.co_units:
        raise invalid("主办单位不能同时是协办单位 (the lead unit cannot also co-handle)", "co_units")
