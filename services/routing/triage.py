"""Triage of a received item: the division's rules choose the unit; no match waits for a person."""

from datetime import datetime

from contracts.intake.opinions import OpinionReceived
from contracts.routing import Transition, UnitRef
from contracts.vocabulary import CaseStatus
from services.routing.calendar import WorkingCalendar
from services.routing.case import ACTOR, Case, Decision, assign
from services.routing.lifecycle import move
from services.routing.rules import Rule, choose_rule


def open_case(
    opinion: OpinionReceived,
    rules: list[Rule],
    units: dict[str, UnitRef],
    calendar: WorkingCalendar,
    now: datetime,
) -> Decision:
    received = Transition(
        status=CaseStatus.RECEIVED, at=opinion.submitted_at, actor=f"channel:{opinion.channel}", reason="已受理"
    )
    rule = choose_rule(rules, opinion.division, opinion.content, opinion.category)
    matched = rule is not None and rule.lead_unit in units
    reason = "按分办规则分级：交办" if matched else "无匹配的分办规则，待人工交办 (no routing rule matched)"
    triaged = move(CaseStatus.RECEIVED, CaseStatus.TRIAGED, ACTOR, reason, now)
    case = Case(
        case_id=opinion.tracking_code,
        case_number=opinion.case_number,
        division=opinion.division,
        channel=opinion.channel,
        category=opinion.category,
        content=opinion.content,
        status=CaseStatus.TRIAGED,
        received_at=opinion.submitted_at,
        history=[received, triaged],
    )
    if not matched:
        return Decision(case)
    return assign(case, units[rule.lead_unit], [units[u] for u in rule.co_units if u in units], calendar, now)
