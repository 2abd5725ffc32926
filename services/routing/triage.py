"""Triage of a received item (分级处理): the division's rules choose its level and units.

- `assign`: 交办 to the rule's lead and co-handling units, due under the rule's or the division's policy;
- `on_the_spot` and `station`: the case stays with the station (triaged, no unit), which answers it;
- `escalate`: 阶梯跟进, the case moves to the parent division's queue (village → township → county);
  its history shows both levels;
- `joint`: 约请共商会, the case waits for the meeting before its proposed units are assigned.

An item no rule matches (or whose rule's units are gone) waits in its division's manual triage queue.
"""

from datetime import datetime

from contracts.intake.opinions import OpinionReceived
from contracts.message import Message
from contracts.routing import (
    CaseEscalated,
    CaseTriage,
    CaseTriaged,
    DeadlinePolicy,
    DivisionDeadlinesIn,
    Transition,
    TriageLevel,
    UnitRef,
)
from contracts.vocabulary import CaseStatus
from infra.clock import local_date
from services.routing import policies
from services.routing.calendar import WorkingCalendar
from services.routing.case import ACTOR, Case, Decision, hand_over
from services.routing.lifecycle import move
from services.routing.rules import Rule, choose_rule

UNMATCHED = "无匹配的分办规则，待人工分办 (no routing rule matched)"
LABELS = {
    TriageLevel.ON_THE_SPOT: "当场答复，由联络站答复办结 (answered on the spot by the station)",
    TriageLevel.STATION: "由联络站自行办理 (handled by the station itself)",
    TriageLevel.ASSIGN: "交办",
    TriageLevel.ESCALATE: "阶梯跟进 (to the parent division)",
    TriageLevel.JOINT: "约请共商会，会商后交办 (a joint meeting before assignment)",
}


def parent_division(division: str) -> str | None:
    """village (12 digits) → township (9) → county (6); a county has no parent here."""
    return division[:-3] if len(division) > 6 else None


def open_case(
    opinion: OpinionReceived,
    rules: list[Rule],
    units: dict[str, UnitRef],
    calendar: WorkingCalendar,
    now: datetime,
    deadlines: DivisionDeadlinesIn | None = None,
) -> Decision:
    received = Transition(
        status=CaseStatus.RECEIVED, at=opinion.submitted_at, actor=f"channel:{opinion.channel}", reason="已受理"
    )
    case = Case(
        case_id=opinion.tracking_code,
        case_number=opinion.case_number,
        division=opinion.division,
        channel=opinion.channel,
        category=opinion.category,
        content=opinion.content,
        status=CaseStatus.RECEIVED,
        received_at=opinion.submitted_at,
        history=[received],
    )
    rule = choose_rule(rules, opinion.division, opinion.content, opinion.category, opinion.channel)
    return triage(case, rule, units, calendar, now, deadlines or policies.division_policies(opinion.division, {}))


def triage(
    case: Case,
    rule: Rule | None,
    units: dict[str, UnitRef],
    calendar: WorkingCalendar,
    now: datetime,
    deadlines: DivisionDeadlinesIn,
    statutory: bool = False,
) -> Decision:
    """The received case triaged by `rule` (None: no rule matched); `statutory` for a deputy suggestion."""
    # a rule's lead unit must still be active; a co-handling unit gone since is left out
    usable = rule is not None and (rule.lead_unit is None or rule.lead_unit in units)
    if not usable:
        case = triaged(case, UNMATCHED, CaseTriage(), now)
        return Decision(case, [triaged_event(case, now)])
    info = CaseTriage(
        level=rule.triage,
        rule_id=rule.id,
        proposed_lead=units[rule.lead_unit] if rule.lead_unit else None,
        proposed_co_units=[units[unit] for unit in rule.co_units if unit in units],
        needs_meeting=rule.triage is TriageLevel.JOINT,
        deadline=rule.deadline,
    )
    case = triaged(case, f"按分办规则分级：{LABELS[rule.triage]}", info, now)
    announced = triaged_event(case, now)
    if rule.triage is TriageLevel.ASSIGN:
        decision = assign(case, info, calendar, now, policies.policy_for(rule.deadline, deadlines, statutory))
    elif rule.triage is TriageLevel.ESCALATE:
        decision = escalate(case, info, now)
    else:
        decision = Decision(case)
    return Decision(decision.case, [announced, *decision.events])


def triaged_event(case: Case, now: datetime) -> CaseTriaged:
    """`case.triaged` for the case just triaged: its level, whether a rule matched, the rule's units."""
    info = case.triage or CaseTriage()
    proposed = [info.proposed_lead] if info.proposed_lead else []
    return CaseTriaged(
        case_id=case.case_id,
        division=case.division,
        at=now,
        transitions=case.history[-1:],
        level=info.level,
        matched=info.level is not None,
        rule_id=info.rule_id,
        suggested_units=[*proposed, *info.proposed_co_units],
    )


def triaged(case: Case, reason: str, info: CaseTriage, now: datetime) -> Case:
    step = move(case.status, CaseStatus.TRIAGED, ACTOR, reason, now)
    return case.model_copy(update={"status": CaseStatus.TRIAGED, "triage": info, "history": [*case.history, step]})


def assign(case: Case, info: CaseTriage, calendar: WorkingCalendar, now: datetime, policy: DeadlinePolicy) -> Decision:
    """交办 by the rule: due under `policy`; the working days since receipt are kept on the case."""
    deadline = policies.due(policy, calendar, local_date(now))
    reason = f"交办 {info.proposed_lead.name}，{policies.describe(policy, deadline)}"
    decision = hand_over(case, info.proposed_lead, info.proposed_co_units, deadline, reason, now, calendar=calendar)
    delay = policies.working_days_to_assignment(calendar, case.received_at, now)
    return Decision(decision.case.model_copy(update={"assignment_working_days": delay}), decision.events)


def escalate(case: Case, info: CaseTriage, now: datetime) -> Decision:
    """阶梯跟进 at triage: the case moves to the parent division (its queue); a county's case has no
    parent here and waits in its own queue, saying so."""
    parent = parent_division(case.division)
    if parent is None:
        note = "县级事项无上一级可阶梯跟进，待人工分办 (a county's item has no parent division here)"
        step = Transition(status=CaseStatus.TRIAGED, at=now, actor=ACTOR, reason=note)
        return Decision(case.model_copy(update={"history": [*case.history, step]}))
    origin = case.division
    step = move(case.status, CaseStatus.ESCALATED, ACTOR, f"由 {origin} 阶梯跟进至 {parent}", now)
    case = case.model_copy(
        update={
            "status": CaseStatus.ESCALATED,
            "division": parent,
            "triage": info.model_copy(update={"escalated_to": parent}),
            "history": [*case.history, step],
        }
    )
    event: Message = CaseEscalated(
        case_id=case.case_id, division=parent, at=now, transitions=case.history[-2:], from_division=origin
    )
    return Decision(case, [event])
