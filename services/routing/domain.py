"""Opening a case for a received opinion: triage by the division's rules, then assignment.

Citizen items are due in 15 working days (惠城 限时办理制); assignment happens on acceptance.
"""

from dataclasses import dataclass
from datetime import date, datetime

from pydantic import BaseModel

from contracts.events import CaseAssigned, OpinionReceived, Transition, UnitRef
from contracts.vocabulary import CaseStatus, Channel
from infra.clock import local_date
from services.routing.calendar import WorkingCalendar
from services.routing.lifecycle import move
from services.routing.rules import Rule, choose_rule

CITIZEN_ITEM_WORKING_DAYS = 15
ACTOR = "routing"


class Case(BaseModel):
    case_id: str
    division: str
    channel: Channel
    content: str
    status: CaseStatus
    received_at: datetime
    lead_unit: UnitRef | None = None
    co_units: list[UnitRef] = []
    assigned_at: datetime | None = None
    due_date: date | None = None
    calendar_fallback: bool = False
    history: list[Transition]


@dataclass(frozen=True)
class Opened:
    case: Case
    assigned: CaseAssigned | None


def open_case(
    opinion: OpinionReceived,
    rules: list[Rule],
    units: dict[str, UnitRef],
    calendar: WorkingCalendar,
    now: datetime,
) -> Opened:
    received = Transition(
        status=CaseStatus.RECEIVED, at=opinion.submitted_at, actor=f"channel:{opinion.channel}", reason="已受理"
    )
    rule = choose_rule(rules, opinion.division, opinion.content)
    matched = rule is not None and rule.lead_unit in units
    reason = "按分办规则分级：交办" if matched else "无匹配的分办规则，待人工交办 (no routing rule matched)"
    triaged = move(CaseStatus.RECEIVED, CaseStatus.TRIAGED, ACTOR, reason, now)
    case = Case(
        case_id=opinion.tracking_code,
        division=opinion.division,
        channel=opinion.channel,
        content=opinion.content,
        status=CaseStatus.TRIAGED,
        received_at=opinion.submitted_at,
        history=[received, triaged],
    )
    if not matched:
        return Opened(case=case, assigned=None)
    return assign(case, units[rule.lead_unit], [units[u] for u in rule.co_units if u in units], calendar, now)


def assign(case: Case, lead: UnitRef, co_units: list[UnitRef], calendar: WorkingCalendar, now: datetime) -> Opened:
    """交办: the lead unit and co-handling units get the case, due in 15 working days from today."""
    deadline = calendar.add_working_days(local_date(now), CITIZEN_ITEM_WORKING_DAYS)
    reason = f"交办 {lead.name}，{deadline.working_days} 个工作日内答复"
    assigned = move(case.status, CaseStatus.ASSIGNED, ACTOR, reason, now)
    case = case.model_copy(
        update={
            "status": CaseStatus.ASSIGNED,
            "lead_unit": lead,
            "co_units": co_units,
            "assigned_at": now,
            "due_date": deadline.due_date,
            "calendar_fallback": deadline.calendar_fallback,
            "history": [*case.history, assigned],
        }
    )
    event = CaseAssigned(
        case_id=case.case_id,
        division=case.division,
        lead_unit=lead,
        co_units=co_units,
        assigned_at=now,
        due_date=deadline.due_date,
        working_days=deadline.working_days,
        calendar_fallback=deadline.calendar_fallback,
        transitions=case.history[-2:],
    )
    return Opened(case=case, assigned=event)
