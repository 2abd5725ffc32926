"""A case from triage to its handling unit's signature: the rules, as pure functions.

Citizen items are due in 15 working days (惠城 限时办理制); assignment happens on acceptance.
Each rule returns a `Decision`: the case as it now is and the events the change causes.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from pydantic import BaseModel

from contracts.actor import Actor
from contracts.errors import ErrorCode, ServiceError
from contracts.message import Message
from contracts.routing import (
    AssignIn,
    CaseAccepted,
    CaseAssigned,
    CaseClosed,
    CaseConsultationAnswered,
    CaseConsultationRequested,
    CaseCoOpinionSent,
    CaseEscalated,
    CaseExtensionDecided,
    CaseExtensionRequested,
    CaseMeetingRecorded,
    CaseMeetingRequested,
    CaseMerged,
    CasePaused,
    CaseProgressRecorded,
    CaseReopened,
    CaseReplied,
    CaseResumed,
    CaseReturned,
    CaseTriage,
    CloseIn,
    ConsultationAnswer,
    ConsultationAnswerIn,
    ConsultationRound,
    ConsultIn,
    CoOpinionIn,
    CoOpinionRecord,
    DivisionDeadlinesIn,
    EscalateIn,
    ExtensionDecisionIn,
    ExtensionRecord,
    ExtensionRequestIn,
    ExtensionStatus,
    JointMeeting,
    JointMeetingIn,
    MeetingIn,
    MeetingRecord,
    MeetingRequestIn,
    MeetingRequestRecord,
    MergeIn,
    PauseIn,
    PauseReason,
    PauseRecord,
    ProgressIn,
    ProgressRecord,
    ReplyIn,
    ReplyRecord,
    ResultClass,
    ResumeIn,
    ReturnIn,
    SpotAnswerIn,
    Transition,
    UnitIn,
    UnitRef,
)
from contracts.vocabulary import CaseStatus, Channel, Instant, Role, within
from infra.clock import local_date
from services.routing import policies
from services.routing.calendar import Deadline, WorkingCalendar
from services.routing.clock import SUGGESTION_MONTHS_LIMIT, add_months, co_unit_due, shift, working_days_in
from services.routing.lifecycle import move, record
from services.routing.schemes import result_class, scheme_for

CITIZEN_ITEM_WORKING_DAYS = 15
ACTOR = "routing"


class Case(BaseModel):
    case_id: str
    case_number: str | None = None
    division: str
    channel: Channel
    category: str | None = None
    content: str
    status: CaseStatus
    received_at: Instant
    lead_unit: UnitRef | None = None
    co_units: list[UnitRef] = []
    assigned_at: Instant | None = None
    due_date: date | None = None
    calendar_fallback: bool = False
    deadline_policy: str = "working_days"  # "statutory" for a deputy suggestion (services/routing/suggestion_case.py)
    history: list[Transition]
    version: int = 0
    # the lifecycle's records (services/routing/case.py, lifecycle helper)
    co_due_date: date | None = None
    reply: ReplyRecord | None = None
    co_opinions: list[CoOpinionRecord] = []
    progress: list[ProgressRecord] = []
    meetings: list[MeetingRecord] = []
    meeting_requests: list[MeetingRequestRecord] = []  # 约见请求 to the deputy (request_meeting)
    extensions: list[ExtensionRecord] = []
    paused: PauseRecord | None = None
    pauses: list[PauseRecord] = []
    triage: CaseTriage | None = None  # how triage sent it (services/routing/triage.py, rules helper)
    assignment_working_days: int | None = None  # receipt to assignment in working days (rules helper)
    consultations: list[ConsultationRound] = []  # 征求拟办单位意见 before assignment (consult)
    merged_into: str | None = None  # 合并处置: the primary case (merge, by hand or from opinion.merged)
    deputy: str | None = None  # a suggestion's lead deputy (领衔代表), told to supervision at assignment


@dataclass(frozen=True)
class Decision:
    case: Case
    events: list[Message] = field(default_factory=list)


def assign(case: Case, lead: UnitRef, co_units: list[UnitRef], calendar: WorkingCalendar, now: datetime) -> Decision:
    """交办: the lead unit and co-handling units get the case, due in 15 working days from today."""
    deadline = calendar.add_working_days(local_date(now), CITIZEN_ITEM_WORKING_DAYS)
    return hand_over(case, lead, co_units, deadline, f"交办 {lead.name}，{deadline.working_days} 个工作日内答复", now)


def hand_over(
    case: Case,
    lead: UnitRef,
    co_units: list[UnitRef],
    deadline: Deadline,
    reason: str,
    now: datetime,
    actor: str = ACTOR,
    calendar: WorkingCalendar | None = None,
) -> Decision:
    """The case assigned to its units under `deadline`, whatever policy set it, and `case.assigned`.
    Co-handling units get their own earlier deadline (`clock.co_unit_due`); the clock starts afresh."""
    assigned = move(case.status, CaseStatus.ASSIGNED, actor, reason, now)
    co_due = co_unit_due(calendar or WorkingCalendar(), local_date(now), deadline.due_date) if co_units else None
    case = case.model_copy(
        update={
            "status": CaseStatus.ASSIGNED,
            "lead_unit": lead,
            "co_units": co_units,
            "assigned_at": now,
            "due_date": deadline.due_date,
            "co_due_date": co_due,
            "calendar_fallback": deadline.calendar_fallback,
            "paused": None,
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
        case_number=case.case_number,
        category=case.category,
        channel=case.channel,
        received_at=case.received_at,
        deputy=case.deputy,
    )
    return Decision(case, [event])


def accept(case: Case, actor: Actor, now: datetime) -> Decision:
    """签收: the lead unit signs for its assignment; from then on it is handling the case."""
    if case.lead_unit is None or actor.unit != case.lead_unit.id:
        raise ServiceError(
            ErrorCode.FORBIDDEN, "只有主办单位可以签收此案件 (only the case's lead unit may sign for it)", "unit"
        )
    accepted = move(case.status, CaseStatus.ACCEPTED, actor.ref, f"{case.lead_unit.name} 签收", now)
    case = case.model_copy(update={"status": CaseStatus.ACCEPTED, "history": [*case.history, accepted]})
    event = CaseAccepted(
        case_id=case.case_id, division=case.division, unit=case.lead_unit, accepted_at=now, transitions=[accepted]
    )
    return Decision(case, [event])


def merge(case: Case, primary: str, actor: str, at: datetime, primary_number: str | None = None) -> Decision:
    """合并处置: a near-duplicate's case is `merged` into the primary's and handled as that one;
    `case.merged` tells intake (the submitter follows the primary) and supervision (no own deadline).

    A case the lifecycle does not let become `merged` (already merged, or too far along) stays as
    it is, announcing nothing; so does the primary's own.
    """
    if case.case_id == primary or case.status is CaseStatus.MERGED:
        return Decision(case)
    try:
        step = move(case.status, CaseStatus.MERGED, actor, f"合并至 {primary} 一并办理 (merged into {primary})", at)
    except ServiceError:
        return Decision(case)
    return merged(case, step, primary, primary_number, actor, at)


def merged(
    case: Case, step: Transition, primary: str, primary_number: str | None, actor: str, at: datetime
) -> Decision:
    case = case.model_copy(
        update={"status": CaseStatus.MERGED, "merged_into": primary, "paused": None, "history": [*case.history, step]}
    )
    event = CaseMerged(
        case_id=case.case_id,
        division=case.division,
        at=at,
        transitions=[step],
        primary=primary,
        primary_case_number=primary_number,
        merged_by=actor,
    )
    return Decision(case, [event])


# ---- The lifecycle's actions: POST /v1/cases/{id}/{action} ----

STATUTORY_MONTHS = 3
STAFF_ROLES = frozenset({Role.STATION, Role.ADMIN})
SUPERVISORS = frozenset({Role.SUPERVISOR, Role.ADMIN})
PAUSE_LABELS = {
    PauseReason.WAITING_FOR_CITIZEN: "暂停计时：等待群众补充材料或答复",
    PauseReason.STATUTORY_SUSPENSION: "暂停计时：依法中止",
    PauseReason.AWAITING_OTHER_AUTHORITY: "暂停计时：等待其他机关处理结果",
}


@dataclass(frozen=True)
class Context:
    """What an action needs besides the case: the division's calendar, the unit directory, the time."""

    calendar: WorkingCalendar
    unit: Callable[[str], UnitIn | None]
    now: datetime
    deadlines: DivisionDeadlinesIn | None = None  # the division's policies (services/routing/policies.py)
    scheme: tuple[ResultClass, ...] | None = None  # the division's result classes (services/routing/schemes.py)
    case: Callable[[str], "Case | None"] = lambda _: None  # another case by id (merge's primary)


def forbidden(detail: str, field_name: str = "unit") -> ServiceError:
    return ServiceError(ErrorCode.FORBIDDEN, detail, field_name)


def invalid(detail: str, field_name: str) -> ServiceError:
    return ServiceError(ErrorCode.INVALID, detail, field_name)


def lead_unit_of(case: Case, actor: Actor) -> UnitRef:
    if case.lead_unit is None or actor.unit != case.lead_unit.id:
        raise forbidden("只有主办单位可以办理此操作 (only the case's lead unit may do this)")
    return case.lead_unit


def co_unit_of(case: Case, actor: Actor) -> UnitRef:
    for unit in case.co_units:
        if actor.unit == unit.id:
            return unit
    raise forbidden("只有协办单位可以提出协办意见 (only a co-handling unit may send an opinion)")


def handling_unit_of(case: Case, actor: Actor) -> UnitRef:
    if case.lead_unit is not None and actor.unit == case.lead_unit.id:
        return case.lead_unit
    return co_unit_of(case, actor) if any(actor.unit == u.id for u in case.co_units) else lead_unit_of(case, actor)


def station_only(actor: Actor) -> None:
    if actor.role not in STAFF_ROLES:
        raise forbidden("只有联络站可以办理此操作 (only a station may do this)", "role")


def lead_or_station(case: Case, actor: Actor) -> None:
    if actor.role not in STAFF_ROLES:
        lead_unit_of(case, actor)


def with_step(case: Case, step: Transition, **update) -> Case:
    return case.model_copy(update={**update, "history": [*case.history, step]})


def reply(case: Case, command: ReplyIn, actor: Actor, ctx: Context) -> Decision:
    """答复: the lead unit's one reply, with a class of the division's scheme; planned work needs dates."""
    unit = lead_unit_of(case, actor)
    chosen = result_class(ctx.scheme or scheme_for(case.division), command.result_class)
    if chosen.planned and not command.promised:
        raise invalid("列入计划解决的答复须写明承诺办理时间 (planned work needs promised dates)", "promised")
    if case.paused is not None:
        raise ServiceError(ErrorCode.INVALID_TRANSITION, "案件暂停计时中，请先恢复 (resume the case first)", "paused")
    step = move(
        case.status, CaseStatus.REPLIED, actor.ref, f"{unit.name} 答复（{chosen.code} {chosen.label}）", ctx.now
    )
    answer = ReplyRecord(
        unit=unit,
        text=command.text,
        result_class=chosen.code,
        label=chosen.label,
        completed=chosen.completed,
        resolved=chosen.resolved,
        promised=command.promised,
        replied_at=ctx.now,
    )
    case = with_step(case, step, status=CaseStatus.REPLIED, reply=answer)
    return Decision(case, [CaseReplied(**event_base(case, ctx, [step]), reply=answer)])


def return_case(case: Case, command: ReturnIn, actor: Actor, ctx: Context) -> Decision:
    """退回: back to triage with the reason; the next unit's clock starts afresh when it is assigned."""
    unit = lead_unit_of(case, actor)
    step = move(case.status, CaseStatus.RETURNED, actor.ref, f"{unit.name} 退回：{command.reason}", ctx.now)
    case = with_step(
        case,
        step,
        status=CaseStatus.RETURNED,
        lead_unit=None,
        co_units=[],
        assigned_at=None,
        due_date=None,
        co_due_date=None,
        paused=None,
    )
    return Decision(case, [CaseReturned(**event_base(case, ctx, [step]), unit=unit, reason=command.reason)])


def co_opinion(case: Case, command: CoOpinionIn, actor: Actor, ctx: Context) -> Decision:
    """协办意见: a co-handling unit's opinion to the lead unit, late after its own earlier deadline."""
    unit = co_unit_of(case, actor)
    late = case.co_due_date is not None and local_date(ctx.now) > case.co_due_date
    step = record(case.status, "co-opinion", actor.ref, f"{unit.name} 提出协办意见", ctx.now)
    opinion = CoOpinionRecord(unit=unit, text=command.text, sent_at=ctx.now, late=late)
    case = with_step(case, step, co_opinions=[*case.co_opinions, opinion])
    return Decision(case, [CaseCoOpinionSent(**event_base(case, ctx, []), unit=unit, late=late)])


def record_progress(case: Case, command: ProgressIn, actor: Actor, ctx: Context) -> Decision:
    unit = handling_unit_of(case, actor)
    step = record(case.status, "record-progress", actor.ref, f"{unit.name} 记录办理进展", ctx.now)
    note = ProgressRecord(actor=actor.ref, note=command.note, at=ctx.now)
    case = with_step(case, step, progress=[*case.progress, note])
    return Decision(case, [CaseProgressRecorded(**event_base(case, ctx, []), actor=actor.ref)])


STAGES = {"before": "办前", "during": "办中", "after": "办后"}


def record_meeting(case: Case, command: MeetingIn, actor: Actor, ctx: Context) -> Decision:
    """三见面: before, during or after handling, with the deputy or the citizen."""
    unit = handling_unit_of(case, actor)
    step = record(case.status, "record-meeting", actor.ref, f"{unit.name} {STAGES[command.stage]}见面", ctx.now)
    meeting = MeetingRecord(
        actor=actor.ref,
        stage=command.stage,
        on=command.on,
        form=command.form,
        participants=command.participants,
        met=command.met,
        met_name=command.met_name,
        recorded_at=ctx.now,
    )
    case = with_step(case, step, meetings=[*case.meetings, meeting])
    event = CaseMeetingRecorded(**event_base(case, ctx, []), stage=command.stage, on=command.on, met=command.met)
    return Decision(case, [event])


REQUESTABLE = frozenset({CaseStatus.ACCEPTED, CaseStatus.REOPENED})


def request_meeting(case: Case, command: MeetingRequestIn, actor: Actor, ctx: Context) -> Decision:
    """约见请求: the lead unit of a signed (or reopened) case asks the deputy to meet, on a date not yet past;
    notify tells the deputy (`case.meeting_requested`). The meeting itself is then `record-meeting`."""
    unit = lead_unit_of(case, actor)
    if command.on < local_date(ctx.now):
        raise invalid("拟约见日期不能早于今天 (the proposed date is in the past)", "on")
    reason = f"{unit.name} 请求{STAGES[command.stage]}约见代表：{command.on.isoformat()} {command.place}"
    step = record(case.status, "request-meeting", actor.ref, reason, ctx.now, REQUESTABLE)
    asked = MeetingRequestRecord(
        unit=unit,
        actor=actor.ref,
        stage=command.stage,
        on=command.on,
        place=command.place,
        note=command.note,
        requested_at=ctx.now,
    )
    case = with_step(case, step, meeting_requests=[*case.meeting_requests, asked])
    event = CaseMeetingRequested(
        **event_base(case, ctx, []),
        unit=unit,
        stage=command.stage,
        stage_label=STAGES[command.stage],
        on=command.on,
        place=command.place,
        deputy=case.deputy,
    )
    return Decision(case, [event])


def request_extension(case: Case, command: ExtensionRequestIn, actor: Actor, ctx: Context) -> Decision:
    """延期申请: working days for a citizen item; calendar months for a suggestion, six months at most."""
    unit = lead_unit_of(case, actor)
    step = record(case.status, "request-extension", actor.ref, f"{unit.name} 申请延期：{command.reason}", ctx.now)
    if any(e.status is ExtensionStatus.PENDING for e in case.extensions):
        raise invalid("已有待审批的延期申请 (an extension request is already pending)", "extension")
    if case.deadline_policy == "statutory":
        if command.months is None or command.working_days is not None:
            raise invalid("代表建议按月延期，请填写 months (a suggestion is extended by months)", "months")
        granted = sum(e.months or 0 for e in case.extensions if e.status is ExtensionStatus.APPROVED)
        if STATUTORY_MONTHS + granted + command.months > SUGGESTION_MONTHS_LIMIT:
            raise invalid(f"延期后超过 {SUGGESTION_MONTHS_LIMIT} 个月上限 (past the six-month limit)", "months")
    elif command.working_days is None or command.months is not None:
        raise invalid("群众意见按工作日延期，请填写 working_days (extended by working days)", "working_days")
    request = ExtensionRecord(
        requested_by=actor.ref,
        requested_at=ctx.now,
        reason=command.reason,
        working_days=command.working_days,
        months=command.months,
    )
    case = with_step(case, step, extensions=[*case.extensions, request])
    event = CaseExtensionRequested(
        **event_base(case, ctx, []), working_days=command.working_days, months=command.months
    )
    return Decision(case, [event])


def decide_extension(case: Case, command: ExtensionDecisionIn, actor: Actor, ctx: Context) -> Decision:
    """A supervisor approves (the due date moves) or refuses the pending request."""
    if actor.role not in SUPERVISORS:
        raise forbidden("只有督办人员可以审批延期 (only a supervisor decides extensions)", "role")
    verdict = "同意" if command.approve else "不同意"
    step = record(case.status, "decide-extension", actor.ref, f"{verdict}延期 {command.note}".strip(), ctx.now)
    pending = [i for i, e in enumerate(case.extensions) if e.status is ExtensionStatus.PENDING]
    if not pending:
        raise invalid("没有待审批的延期申请 (no extension request is pending)", "extension")
    request = case.extensions[pending[-1]]
    due = case.due_date
    if command.approve and due is not None:
        due = add_months(due, request.months) if request.months else shift(ctx.calendar, due, request.working_days or 0)
    decided = request.model_copy(
        update={
            "status": ExtensionStatus.APPROVED if command.approve else ExtensionStatus.REFUSED,
            "decided_by": actor.ref,
            "decided_at": ctx.now,
            "note": command.note,
            "due_before": case.due_date,
            "due_after": due,
        }
    )
    extensions = [*case.extensions[: pending[-1]], decided, *case.extensions[pending[-1] + 1 :]]
    case = with_step(case, step, extensions=extensions, due_date=due)
    event = CaseExtensionDecided(**event_base(case, ctx, [step]), approved=command.approve, due_date=due)
    return Decision(case, [event])


def pause(case: Case, command: PauseIn, actor: Actor, ctx: Context) -> Decision:
    """The clock stops for a typed reason; `resume` moves the due date by the paused working days."""
    lead_or_station(case, actor)
    step = record(case.status, "pause", actor.ref, PAUSE_LABELS[command.reason], ctx.now)
    if case.paused is not None:
        raise ServiceError(ErrorCode.INVALID_TRANSITION, "案件已暂停计时 (the clock is already paused)", "paused")
    paused = PauseRecord(reason=command.reason, note=command.note, by=actor.ref, since=ctx.now)
    case = with_step(case, step, paused=paused)
    return Decision(case, [CasePaused(**event_base(case, ctx, [step]), reason=command.reason)])


def resume(case: Case, command: ResumeIn, actor: Actor, ctx: Context) -> Decision:
    lead_or_station(case, actor)
    if case.paused is None:
        raise ServiceError(ErrorCode.INVALID_TRANSITION, "案件未暂停计时 (the clock is not paused)", "paused")
    stopped = working_days_in(ctx.calendar, local_date(case.paused.since), local_date(ctx.now))
    reason = f"恢复计时，暂停 {stopped} 个工作日，期限顺延"
    step = record(case.status, "resume", actor.ref, reason, ctx.now)
    due = shift(ctx.calendar, case.due_date, stopped) if case.due_date else None
    co_due = shift(ctx.calendar, case.co_due_date, stopped) if case.co_due_date else None
    ended = case.paused.model_copy(update={"until": ctx.now, "working_days": stopped})
    case = with_step(case, step, paused=None, pauses=[*case.pauses, ended], due_date=due, co_due_date=co_due)
    event = CaseResumed(**event_base(case, ctx, [step]), due_date=due, paused_working_days=stopped)
    return Decision(case, [event])


def assign_by_hand(case: Case, command: AssignIn, actor: Actor, ctx: Context) -> Decision:
    """交办 by a station: a triaged, returned or escalated case to units of its division, on a new clock."""
    station_only(actor)
    if case.status not in (CaseStatus.TRIAGED, CaseStatus.RETURNED, CaseStatus.ESCALATED):
        move(case.status, CaseStatus.ASSIGNED, actor.ref, "", ctx.now)  # refused: not waiting for triage
    if case.triage is not None and case.triage.needs_meeting:
        raise ServiceError(
            ErrorCode.INVALID_TRANSITION, "请先召开约请共商会并记录 (hold and record the joint meeting first)", "triage"
        )
    lead = unit_in_division(case, command.lead_unit, ctx, "lead_unit")
    if command.lead_unit in command.co_units:
        raise invalid("主办单位不能同时是协办单位 (the lead unit cannot also co-handle)", "co_units")
    co_units = [unit_in_division(case, unit_id, ctx, "co_units") for unit_id in dict.fromkeys(command.co_units)]
    if case.status in (CaseStatus.RETURNED, CaseStatus.ESCALATED):
        retriage = move(case.status, CaseStatus.TRIAGED, actor.ref, "重新分办 (re-triage)", ctx.now)
        case = with_step(case, retriage, status=CaseStatus.TRIAGED)
    division = ctx.deadlines or policies.division_policies(case.division, {})
    policy = policies.policy_for(None, division, statutory=case.deadline_policy == "statutory")
    deadline = policies.due(policy, ctx.calendar, local_date(ctx.now))
    reason = f"交办 {lead.name}，{policies.describe(policy, deadline)}"
    return hand_over(case, lead, co_units, deadline, reason, ctx.now, actor=actor.ref, calendar=ctx.calendar)


def joint_meeting(case: Case, command: JointMeetingIn, actor: Actor, ctx: Context) -> Decision:
    """约请共商会: a joint case's units meet before it is assigned; the station records the meeting, and
    only then may it assign the case (`assign`)."""
    station_only(actor)
    if case.triage is None or not case.triage.needs_meeting:
        raise invalid("该事项不需要约请共商会 (this case does not wait for a joint meeting)", "triage")
    units = [unit_in_division(case, unit_id, ctx, "units") for unit_id in dict.fromkeys(command.units)]
    if len(units) < 2:
        raise invalid("共商会至少需要两个单位 (a joint meeting has at least two units)", "units")
    names = "、".join(unit.name for unit in units)
    step = record(case.status, "joint-meeting", actor.ref, f"约请共商会：{names}", ctx.now, WAITING_FOR_ASSIGNMENT)
    meeting = JointMeeting(
        on=command.on, place=command.place, units=units, decisions=command.decisions, recorded_by=actor.ref
    )
    triage = case.triage.model_copy(update={"needs_meeting": False, "meeting": meeting})
    return Decision(with_step(case, step, triage=triage))


def unit_in_division(case: Case, unit_id: str, ctx: Context, field_name: str) -> UnitRef:
    unit = ctx.unit(unit_id)
    if unit is None or not getattr(unit, "active", True):
        raise invalid(f"承办单位 {unit_id} 不存在或已停用 (unknown or deactivated unit)", field_name)
    if not within(case.division, unit.division):
        raise invalid(f"承办单位 {unit.name} 不属于本辖区 (a unit from another division)", field_name)
    return UnitRef(id=unit.id, name=unit.name)


def answer_on_the_spot(case: Case, command: SpotAnswerIn, actor: Actor, ctx: Context) -> Decision:
    """当场答复: the station answers a triaged item itself and closes it."""
    station_only(actor)
    chosen = result_class(ctx.scheme or scheme_for(case.division), command.result_class)
    step = move(case.status, CaseStatus.CLOSED, actor.ref, f"当场答复（{chosen.code} {chosen.label}）", ctx.now)
    station = UnitRef(id=actor.ref, name=actor.label or "联络站")
    answer = ReplyRecord(
        unit=station,
        text=command.text,
        result_class=chosen.code,
        label=chosen.label,
        completed=chosen.completed,
        resolved=chosen.resolved,
        replied_at=ctx.now,
    )
    case = with_step(case, step, status=CaseStatus.CLOSED, reply=answer)
    return Decision(case, [CaseClosed(**event_base(case, ctx, [step]), reply=answer)])


def escalate(case: Case, command: EscalateIn, actor: Actor, ctx: Context) -> Decision:
    """阶梯跟进: to the parent division's queue; the history keeps both levels."""
    lead_or_station(case, actor)
    if len(case.division) <= 6:
        raise invalid("县级案件无上一级可阶梯跟进 (a county's case has no parent division here)", "division")
    parent = case.division[:-3]
    reason = f"由 {case.division} 阶梯跟进至 {parent}：{command.reason}"
    step = move(case.status, CaseStatus.ESCALATED, actor.ref, reason, ctx.now)
    origin = case.division
    case = with_step(
        case,
        step,
        status=CaseStatus.ESCALATED,
        division=parent,
        lead_unit=None,
        co_units=[],
        due_date=None,
        co_due_date=None,
        paused=None,
    )
    return Decision(case, [CaseEscalated(**event_base(case, ctx, [step]), from_division=origin)])


def close(case: Case, command: CloseIn, actor: Actor, ctx: Context) -> Decision:
    """办结: a station or supervisor closes a replied, evaluated, escalated or triaged case."""
    if actor.role not in STAFF_ROLES | SUPERVISORS:
        raise forbidden("只有联络站或督办人员可以办结 (only a station or supervisor may close)", "role")
    step = move(case.status, CaseStatus.CLOSED, actor.ref, command.reason, ctx.now)
    case = with_step(case, step, status=CaseStatus.CLOSED)
    return Decision(case, [CaseClosed(**event_base(case, ctx, [step]), reply=case.reply)])


def merge_by_hand(case: Case, command: MergeIn, actor: Actor, ctx: Context) -> Decision:
    """合并处置 by a station: the case follows `primary`, an open case the station may see."""
    station_only(actor)
    primary_id = command.primary.upper()
    if primary_id == case.case_id:
        raise invalid("不能将案件合并到其自身 (a case cannot be merged into itself)", "primary")
    primary = ctx.case(primary_id)
    if primary is None or not actor.can_see(primary.division):
        raise invalid(f"没有编号为 {primary_id} 的主案件 (no such primary case)", "primary")
    if primary.status in (CaseStatus.MERGED, CaseStatus.CLOSED):
        raise invalid(
            f"主案件 {primary_id} 已{'合并' if primary.status is CaseStatus.MERGED else '办结'}，请选择其他主案件 "
            "(the primary is merged or closed)",
            "primary",
        )
    number = primary.case_number or primary_id
    step = move(
        case.status, CaseStatus.MERGED, actor.ref, f"合并至 {number} 一并办理 (merged into {primary_id})", ctx.now
    )
    return merged(case, step, primary_id, primary.case_number, actor.ref, ctx.now)


# ---- 征求拟办单位意见: before assignment, the intended units are asked (one round or more) ----

WAITING_FOR_ASSIGNMENT = frozenset({CaseStatus.TRIAGED, CaseStatus.RETURNED, CaseStatus.ESCALATED})


def consult(case: Case, command: ConsultIn, actor: Actor, ctx: Context) -> Decision:
    """A station asks the intended units of its division, by a date; each call is a new round."""
    station_only(actor)
    number = len(case.consultations) + 1
    reason = f"第 {number} 轮征求拟办单位意见，{command.reply_by.isoformat()} 前答复"
    step = record(case.status, "consult", actor.ref, reason, ctx.now, allowed=WAITING_FOR_ASSIGNMENT)
    if command.reply_by < local_date(ctx.now):
        raise invalid("答复截止日期不能早于今天 (reply_by lies in the past)", "reply_by")
    units = [unit_in_division(case, unit_id, ctx, "units") for unit_id in dict.fromkeys(command.units)]
    asked = ConsultationRound(
        round=number,
        asked_by=actor.ref,
        asked_at=ctx.now,
        question=command.question,
        reply_by=command.reply_by,
        units=units,
    )
    step = step.model_copy(update={"reason": f"{reason}：{'、'.join(u.name for u in units)}"})
    case = with_step(case, step, consultations=[*case.consultations, asked])
    event = CaseConsultationRequested(**event_base(case, ctx, []), round=number, units=units, reply_by=command.reply_by)
    return Decision(case, [event])


def answer_consultation(case: Case, command: ConsultationAnswerIn, actor: Actor, ctx: Context) -> Decision:
    """An asked unit agrees or not, with its reason, in the latest round that asked it; once the
    station has assigned the case after that round, the answer comes too late (409)."""
    asked = [r for r in case.consultations if any(actor.unit == u.id for u in r.units)]
    if not asked:
        raise forbidden("本单位未被征求意见，不能答复 (this unit was not asked)")
    current = asked[-1]
    unit = next(u for u in current.units if u.id == actor.unit)
    assigned_since = any(t.status is CaseStatus.ASSIGNED and t.at >= current.asked_at for t in case.history)
    if assigned_since or case.status not in WAITING_FOR_ASSIGNMENT:
        raise ServiceError(
            ErrorCode.INVALID_TRANSITION,
            f"案件状态为 {case.status.value}，已交办，征求意见已结束 (the case was assigned; the consultation is over)",
            "status",
        )
    if any(a.unit.id == unit.id for a in current.answers):
        raise ServiceError(
            ErrorCode.INVALID_TRANSITION,
            f"本单位已答复第 {current.round} 轮征求意见 (this unit already answered the round)",
            "unit",
        )
    late = local_date(ctx.now) > current.reply_by
    verdict = "同意" if command.agree else "不同意"
    reason = f"{unit.name} 答复第 {current.round} 轮征求意见：{verdict}"
    step = record(case.status, "consultation-answer", actor.ref, reason, ctx.now, allowed=WAITING_FOR_ASSIGNMENT)
    answer = ConsultationAnswer(unit=unit, agree=command.agree, reason=command.reason, answered_at=ctx.now, late=late)
    answered = current.model_copy(update={"answers": [*current.answers, answer]})
    rounds = [answered if r.round == current.round else r for r in case.consultations]
    case = with_step(case, step, consultations=rounds)
    event = CaseConsultationAnswered(
        **event_base(case, ctx, []), round=current.round, unit=unit, agree=command.agree, late=late
    )
    return Decision(case, [event])


def event_base(case: Case, ctx: Context, steps: list[Transition]) -> dict:
    return {"case_id": case.case_id, "division": case.division, "at": ctx.now, "transitions": steps}


# action name in the URL → (its input, its rule)
ACTIONS: dict[str, tuple[type, Callable[..., Decision]]] = {
    "reply": (ReplyIn, reply),
    "return": (ReturnIn, return_case),
    "co-opinion": (CoOpinionIn, co_opinion),
    "record-progress": (ProgressIn, record_progress),
    "record-meeting": (MeetingIn, record_meeting),
    "request-meeting": (MeetingRequestIn, request_meeting),
    "request-extension": (ExtensionRequestIn, request_extension),
    "decide-extension": (ExtensionDecisionIn, decide_extension),
    "pause": (PauseIn, pause),
    "resume": (ResumeIn, resume),
    "assign": (AssignIn, assign_by_hand),
    "answer-on-the-spot": (SpotAnswerIn, answer_on_the_spot),
    "escalate": (EscalateIn, escalate),
    "close": (CloseIn, close),
    "consult": (ConsultIn, consult),
    "consultation-answer": (ConsultationAnswerIn, answer_consultation),
    "merge": (MergeIn, merge_by_hand),
    "joint-meeting": (JointMeetingIn, joint_meeting),
}


def reopen(case: Case, reason: str, calendar: WorkingCalendar, now: datetime, actor: str = ACTOR) -> Decision:
    """不满意件再办理: an unsatisfied evaluation reopens the case under the same units, on a new deadline
    (15 working days, or three months for a suggestion). For supervision's `evaluation.recorded`."""
    step = move(case.status, CaseStatus.REOPENED, actor, reason, now)
    today = local_date(now)
    if case.deadline_policy == "statutory":
        due = add_months(today, STATUTORY_MONTHS)
    else:
        due = calendar.add_working_days(today, CITIZEN_ITEM_WORKING_DAYS).due_date
    case = with_step(case, step, status=CaseStatus.REOPENED, due_date=due, paused=None)
    ctx = Context(calendar=calendar, unit=lambda _: None, now=now)
    return Decision(case, [CaseReopened(**event_base(case, ctx, [step]), due_date=due)])


def evaluated(case: Case, unsatisfied: bool, calendar: WorkingCalendar, now: datetime) -> Decision:
    """满意度测评 (supervision's `evaluation.recorded`): a replied case becomes evaluated; an
    unsatisfied evaluation then reopens it under the same units on a new deadline (不满意件再办理).
    A case no longer replied or evaluated (reopened meanwhile, closed) is let be."""
    if case.status is CaseStatus.REPLIED:
        step = move(case.status, CaseStatus.EVALUATED, ACTOR, "满意度测评 (evaluated)", now)
        case = with_step(case, step, status=CaseStatus.EVALUATED)
    elif case.status is not CaseStatus.EVALUATED:
        return Decision(case)
    if not unsatisfied:
        return Decision(case)
    return reopen(case, "不满意件再办理 (unsatisfied evaluation)", calendar, now)
