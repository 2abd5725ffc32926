"""routing's contracts: its events about cases, the answers of its RPCs and the inputs they take."""

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from contracts.message import Message
from contracts.vocabulary import CaseStatus, Channel, DivisionCode, EntityId, within


class UnitRef(BaseModel):
    id: str
    name: str


class Transition(BaseModel):
    status: CaseStatus
    at: datetime
    actor: str
    reason: str = ""
    action: str | None = Field(default=None, description="the action that did not change the status, if any")


class CaseAssigned(Message):
    TYPE: ClassVar[str] = "case.assigned"
    SOURCE: ClassVar[str] = "routing"

    case_id: str
    division: DivisionCode
    lead_unit: UnitRef
    co_units: list[UnitRef] = Field(default_factory=list)
    assigned_at: datetime
    due_date: date
    working_days: int
    calendar_fallback: bool
    transitions: list[Transition]
    # what the case is, for supervision's read models (public ledger, statistics); absent from older events
    case_number: str | None = None
    category: str | None = None
    channel: Channel | None = None
    received_at: datetime | None = None
    # a formal suggestion's lead deputy (领衔代表): the one deputy who evaluates its reply
    deputy: str | None = None


class CaseAccepted(Message):
    """签收: the lead unit signed for the case; handling has begun."""

    TYPE: ClassVar[str] = "case.accepted"
    SOURCE: ClassVar[str] = "routing"

    case_id: str
    division: DivisionCode
    unit: UnitRef
    accepted_at: datetime
    transitions: list[Transition]


class CaseView(BaseModel):
    """A case as staff see it; `version` is what an action's `expected_version` refers to."""

    case_id: str
    case_number: str | None = None
    division: str
    channel: Channel
    category: str | None = None
    status: CaseStatus
    lead_unit: UnitRef | None = None
    co_units: list[UnitRef] = Field(default_factory=list)
    due_date: date | None = None
    deadline_policy: str = Field(
        default="working_days", description="working_days（群众意见，工作日）或 statutory（代表建议，法定三个月）"
    )
    received_at: datetime
    history: list[Transition]
    version: int
    triage: "CaseTriage | None" = None  # how triage sent it (rules helper)
    # the lifecycle's records (staff only; the citizen's view shows the reply alone)
    co_due_date: date | None = None
    reply: "ReplyRecord | None" = None
    co_opinions: "list[CoOpinionRecord]" = Field(default_factory=list)
    progress: "list[ProgressRecord]" = Field(default_factory=list)
    meetings: "list[MeetingRecord]" = Field(default_factory=list)
    meeting_requests: "list[MeetingRequestRecord]" = Field(
        default_factory=list, description="约见请求 / meetings the lead unit asked the deputy for"
    )
    extensions: "list[ExtensionRecord]" = Field(default_factory=list)
    paused: "PauseRecord | None" = None
    merged_into: str | None = Field(
        default=None, description="合并处置：并入的主案件 / the primary case it was merged into"
    )
    consultations: "list[ConsultationRound]" = Field(
        default_factory=list, description="征求拟办单位意见的各轮及答复 / pre-assignment consultation rounds"
    )


class AcceptCaseIn(BaseModel):
    """签收. `expected_version`, when given, must be the case's current version, or nothing changes (409)."""

    expected_version: int | None = Field(default=None, ge=1, examples=[2])


class ContactPerson(BaseModel):
    """A unit's contact person (联系人): staff data, shown to staff only, never in public answers."""

    name: str = Field(min_length=1, max_length=30, examples=["王建国"])
    post: str = Field(min_length=1, max_length=50, examples=["办公室主任"])
    office_phone: str = Field(pattern=r"^[0-9][0-9-]{4,19}$", examples=["0573-87012345"])


class UnitChangeIn(BaseModel):
    """What an administrator may change of a unit: its name, parent unit and contacts (全部替换)."""

    name: str = Field(min_length=1, max_length=100, examples=["海宁市交通运输局"])
    parent: str | None = Field(default=None, max_length=64, description="上级单位 id", examples=[None])
    contacts: list[ContactPerson] = Field(default_factory=list, max_length=10)


class UnitKey(BaseModel):
    id: EntityId
    division: DivisionCode


class UnitIn(UnitChangeIn, UnitKey):
    """A handling unit (承办单位) of a division, its parent unit (上级单位) and its contact people."""


class UnitView(UnitIn):
    """A unit as administrators see it; a deactivated unit keeps its history but gets no new cases."""

    active: bool = True


class TriageLevel(StrEnum):
    """分级处理: 当场答复, 联络站自办, 交办, 阶梯跟进 (to the parent division), 约请共商会."""

    ON_THE_SPOT = "on_the_spot"
    STATION = "station"
    ASSIGN = "assign"
    ESCALATE = "escalate"
    JOINT = "joint"


class DeadlinePolicy(BaseModel):
    """How long units have to reply: `working_days` (工作日, 调休 counted) or `calendar_months` (自然月,
    e.g. 法定: 自交办之日起三个月内答复; at most six)."""

    kind: Literal["working_days", "calendar_months"] = Field(examples=["working_days"])
    amount: int = Field(ge=1, le=120, examples=[15])

    @field_validator("amount")
    @classmethod
    def at_most_six_months(cls, amount: int, info: ValidationInfo) -> int:
        if info.data.get("kind") == "calendar_months" and amount > 6:
            raise ValueError("期限最长六个月 (at most six calendar months)")
        return amount


class RoutingRuleIn(BaseModel):
    """Items of `division` (and below) that match every condition given go to the rule's triage:
    a category among `categories`, a keyword in the text, a division within one of `areas` (each
    narrower than the rule's division), a channel among `channels`. A rule with no condition is the
    division's default. `lead_unit` is needed for `assign` and `joint`; `deadline` overrides the
    division's policy.
    """

    division: DivisionCode
    keywords: list[Annotated[str, Field(min_length=1, max_length=30)]] = Field(
        default_factory=list, max_length=100, examples=[["公交", "站台"]]
    )
    categories: list[Annotated[str, Field(min_length=1, max_length=20)]] = Field(
        default_factory=list, max_length=50, examples=[["道路交通"]]
    )
    areas: list[DivisionCode] = Field(default_factory=list, max_length=50, examples=[["330481102"]])
    channels: list[Channel] = Field(default_factory=list, max_length=10, examples=[["hotline"]])
    triage: TriageLevel = TriageLevel.ASSIGN
    lead_unit: str | None = Field(default=None, min_length=1, max_length=64, validate_default=True)
    co_units: list[str] = Field(default_factory=list, max_length=10)
    deadline: DeadlinePolicy | None = None
    priority: int = Field(default=100, ge=0, le=10_000)

    @field_validator("areas")
    @classmethod
    def areas_lie_inside(cls, areas: list[str], info: ValidationInfo) -> list[str]:
        division = info.data.get("division")
        for area in areas:
            if division and (area == division or not within(area, division)):
                raise ValueError(f"片区 {area} 应在规则的行政区划 {division} 之内 (an area narrower than the division)")
        return areas

    @field_validator("lead_unit")
    @classmethod
    def lead_for_units(cls, lead_unit: str | None, info: ValidationInfo) -> str | None:
        if lead_unit is None and info.data.get("triage") in (TriageLevel.ASSIGN, TriageLevel.JOINT):
            raise ValueError("交办和约请共商会须指定主办单位 (assign and joint need a lead unit)")
        return lead_unit


class RuleView(RoutingRuleIn):
    id: str = Field(examples=["01JD5Q3V9K6W8X2Y4Z0A1B2C3D"])


class CalendarDayIn(BaseModel):
    """A county's own working-day decision for one date, overriding the national schedule."""

    division: DivisionCode
    day: date
    workday: bool
    reason: str = Field(min_length=1, max_length=100, description="e.g. 防汛调休, 地方节日")


class CalendarDaySet(Message):
    """A county's working-day decision for one date was set (or changed): supervision counts its
    reminders on the county's calendar too. `set_at` orders two decisions on the same day."""

    TYPE: ClassVar[str] = "calendar.day_set"
    SOURCE: ClassVar[str] = "routing"

    division: DivisionCode
    day: date
    workday: bool
    reason: str
    set_at: datetime


# ---- The case lifecycle: what stations, units and supervisors do (POST /v1/cases/{id}/{action}) ----


class ResultClass(BaseModel):
    """One class of a division's result scheme (答复结果分类)."""

    code: str = Field(min_length=1, max_length=4, pattern=r"^[A-Za-z0-9]+$", examples=["A"])
    label: str = Field(min_length=1, max_length=50, examples=["已经解决或基本解决"])
    completed: bool = Field(description="计为办结 (counts as completed)")
    resolved: bool = Field(description="计为解决 (counts as resolved)")
    planned: bool = Field(default=False, description="列入计划：答复须写明承诺办理时间 (promised dates required)")


class ResultSchemeIn(BaseModel):
    """A division's result-class scheme (its townships inherit it unless they set their own)."""

    classes: list[ResultClass] = Field(
        min_length=1,
        max_length=10,
        examples=[
            [
                {"code": "A", "label": "已解决或正在解决", "completed": True, "resolved": True},
                {"code": "B", "label": "计划解决", "completed": False, "resolved": False, "planned": True},
            ]
        ],
    )

    @field_validator("classes")
    @classmethod
    def codes_are_unique(cls, classes: list["ResultClass"]) -> list["ResultClass"]:
        codes = [c.code.upper() for c in classes]
        if len(set(codes)) != len(codes):
            raise ValueError("结果分类代码不能重复 (class codes must be unique)")
        return [c.model_copy(update={"code": c.code.upper()}) for c in classes]


class ResultSchemeView(ResultSchemeIn):
    division: str = Field(description="the division whose scheme this is (itself, one above it, or national)")


class PromisedWork(BaseModel):
    item: str = Field(min_length=1, max_length=200, examples=["完成公交站台改造"])
    by: date = Field(examples=["2027-03-31"])


class ReplyRecord(BaseModel):
    """答复: the one reply the lead unit sends, with its class from the division's scheme."""

    unit: UnitRef
    text: str
    result_class: str
    label: str
    completed: bool
    resolved: bool
    promised: list[PromisedWork] = Field(default_factory=list)
    replied_at: datetime


class CoOpinionRecord(BaseModel):
    unit: UnitRef
    text: str
    sent_at: datetime
    late: bool = False


class ProgressRecord(BaseModel):
    actor: str
    note: str
    at: datetime


class MeetingStage(StrEnum):
    BEFORE = "before"
    DURING = "during"
    AFTER = "after"


class MeetingRecord(BaseModel):
    """三见面: a meeting with the deputy or citizen before, during or after handling."""

    actor: str
    stage: MeetingStage
    on: date
    form: str
    participants: list[str]
    met: Literal["deputy", "citizen"]
    met_name: str | None = None
    recorded_at: datetime


class ExtensionStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


class ExtensionRecord(BaseModel):
    requested_by: str
    requested_at: datetime
    reason: str
    working_days: int | None = None
    months: int | None = None
    status: ExtensionStatus = ExtensionStatus.PENDING
    decided_by: str | None = None
    decided_at: datetime | None = None
    note: str = ""
    due_before: date | None = None
    due_after: date | None = None


class PauseReason(StrEnum):
    WAITING_FOR_CITIZEN = "waiting_for_citizen"
    STATUTORY_SUSPENSION = "statutory_suspension"
    AWAITING_OTHER_AUTHORITY = "awaiting_other_authority"


class PauseRecord(BaseModel):
    reason: PauseReason
    note: str = ""
    by: str
    since: datetime
    until: datetime | None = None
    working_days: int | None = None


class ActionIn(BaseModel):
    """`expected_version`, when given, must be the case's current version, or nothing changes (409)."""

    expected_version: int | None = Field(default=None, ge=1, examples=[2])


class ReplyIn(ActionIn):
    """答复: text, a result class of the division's scheme, and promised dates for planned work."""

    text: str = Field(min_length=1, max_length=5000, examples=["已协调公交公司于下月起延长末班车至22:00。"])
    result_class: str = Field(min_length=1, max_length=4, examples=["A"])
    promised: list[PromisedWork] = Field(default_factory=list, max_length=20)


class ReturnIn(ActionIn):
    """退回: the unit gives the assignment back, with a reason; the case goes back to triage."""

    reason: str = Field(min_length=1, max_length=500, examples=["不属于本单位职责，建议交住建局"])


class CoOpinionIn(ActionIn):
    text: str = Field(min_length=1, max_length=5000, examples=["同意主办单位方案，配合做好站点施工。"])


class ProgressIn(ActionIn):
    note: str = Field(min_length=1, max_length=2000, examples=["已现场查看，正在与公交公司协商"])


class MeetingIn(ActionIn):
    stage: MeetingStage = Field(examples=["before"])
    on: date = Field(examples=["2026-11-24"])
    form: str = Field(min_length=1, max_length=50, examples=["面对面座谈"])
    participants: list[Annotated[str, Field(min_length=1, max_length=50)]] = Field(
        min_length=1, max_length=30, examples=[["交通运输局 王科长"]]
    )
    met: Literal["deputy", "citizen"] = Field(examples=["deputy"])
    met_name: str | None = Field(default=None, max_length=50, description="仅内部可见 (staff only)")


class MeetingRequestIn(ActionIn):
    """约见: the lead unit asks the deputy for a meeting (三见面) at a stage, on a date not yet past."""

    stage: MeetingStage = Field(examples=["before"])
    on: date = Field(description="拟约见日期（不得早于今天）/ proposed date, not in the past", examples=["2026-11-27"])
    place: str = Field(min_length=1, max_length=100, examples=["海宁市交通运输局 302 会议室"])
    note: str = Field(default="", max_length=500, examples=["拟就文苑路公交站台顶棚维修方案当面听取代表意见"])


class MeetingRequestRecord(BaseModel):
    """A meeting the lead unit asked the deputy for; the meeting itself is recorded as a `MeetingRecord`."""

    unit: UnitRef
    actor: str
    stage: MeetingStage
    on: date
    place: str
    note: str = ""
    requested_at: datetime


class ExtensionRequestIn(ActionIn):
    """延期申请: working days for a citizen item, calendar months for a deputy suggestion (six at most)."""

    reason: str = Field(min_length=1, max_length=500, examples=["需等待规划调整批复"])
    working_days: int | None = Field(default=None, ge=1, le=60, examples=[10])
    months: int | None = Field(default=None, ge=1, le=3)


class ExtensionDecisionIn(ActionIn):
    approve: bool = Field(examples=[True])
    note: str = Field(default="", max_length=500)


class PauseIn(ActionIn):
    reason: PauseReason = Field(examples=["waiting_for_citizen"])
    note: str = Field(default="", max_length=500)


class ResumeIn(ActionIn):
    note: str = Field(default="", max_length=500)


class AssignIn(ActionIn):
    """交办 by hand: units of the case's division (or above it)."""

    lead_unit: str = Field(min_length=1, max_length=64, examples=["hn-transport"])
    co_units: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(default_factory=list, max_length=10)


class SpotAnswerIn(ActionIn):
    """当场答复: the station answers and closes the item."""

    text: str = Field(min_length=1, max_length=5000, examples=["已当场解释政策，群众表示理解。"])
    result_class: str = Field(default="A", min_length=1, max_length=4)


class EscalateIn(ActionIn):
    reason: str = Field(min_length=1, max_length=500, examples=["涉及多个镇街，需上级协调"])


class CloseIn(ActionIn):
    reason: str = Field(default="办结", min_length=1, max_length=500)


class CaseEvent(Message):
    SOURCE: ClassVar[str] = "routing"

    case_id: str
    division: DivisionCode
    at: datetime
    transitions: list[Transition] = Field(default_factory=list)


class CaseReturned(CaseEvent):
    TYPE: ClassVar[str] = "case.returned"
    unit: UnitRef
    reason: str


class CaseReplied(CaseEvent):
    TYPE: ClassVar[str] = "case.replied"
    reply: ReplyRecord


class CaseCoOpinionSent(CaseEvent):
    TYPE: ClassVar[str] = "case.co_opinion_sent"
    unit: UnitRef
    late: bool = False


class CaseProgressRecorded(CaseEvent):
    TYPE: ClassVar[str] = "case.progress_recorded"
    actor: str


class CaseMeetingRecorded(CaseEvent):
    TYPE: ClassVar[str] = "case.meeting_recorded"
    stage: MeetingStage
    on: date
    met: Literal["deputy", "citizen"]


class CaseMeetingRequested(CaseEvent):
    """约见请求: the lead unit asks the deputy for a meeting. `deputy` is a suggestion's lead deputy;
    for a citizen item notify tells the deputy who received it. The unit's note stays in the case."""

    TYPE: ClassVar[str] = "case.meeting_requested"
    unit: UnitRef
    stage: MeetingStage
    stage_label: str = Field(description="办前 / 办中 / 办后")
    on: date
    place: str
    deputy: str | None = None


class CaseExtensionRequested(CaseEvent):
    TYPE: ClassVar[str] = "case.extension_requested"
    working_days: int | None = None
    months: int | None = None


class CaseExtensionDecided(CaseEvent):
    TYPE: ClassVar[str] = "case.extension_decided"
    approved: bool
    due_date: date | None = None


class CasePaused(CaseEvent):
    TYPE: ClassVar[str] = "case.paused"
    reason: PauseReason


class CaseResumed(CaseEvent):
    TYPE: ClassVar[str] = "case.resumed"
    due_date: date | None = None
    paused_working_days: int = 0


class CaseEscalated(CaseEvent):
    TYPE: ClassVar[str] = "case.escalated"
    from_division: DivisionCode


class CaseClosed(CaseEvent):
    TYPE: ClassVar[str] = "case.closed"
    reply: ReplyRecord | None = None


class CaseReopened(CaseEvent):
    """不满意件再办理: back to the same units on a new deadline."""

    TYPE: ClassVar[str] = "case.reopened"
    due_date: date


class ConsultIn(ActionIn):
    """征求拟办单位意见: before assigning, a station asks the intended units whether they agree to take
    the case; each answers by `reply_by`. A second round (高明: 涉及多个单位的至少征求两次) is a new call."""

    units: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(
        min_length=1, max_length=10, examples=[["hn-transport", "hn-housing"]]
    )
    question: str = Field(
        min_length=1, max_length=2000, examples=["拟交由贵单位主办文苑路公交站台顶棚维修，是否同意？"]
    )
    reply_by: date = Field(description="答复截止日期 / answers are due by this date", examples=["2026-11-27"])


class ConsultationAnswerIn(ActionIn):
    """An asked unit's answer: agree or not, with the reason (不同意的，说明理由并可建议承办单位)."""

    agree: bool = Field(examples=[False])
    reason: str = Field(min_length=1, max_length=2000, examples=["站台属公交公司资产，建议由交通运输局主办"])


class ConsultationAnswer(BaseModel):
    unit: UnitRef
    agree: bool
    reason: str
    answered_at: datetime
    late: bool = Field(default=False, description="答复晚于截止日期 / answered after `reply_by`")


class ConsultationRound(BaseModel):
    """One round of 征求意见: who was asked what, by when, and their answers (kept on the case)."""

    round: int = Field(ge=1, examples=[1])
    asked_by: str
    asked_at: datetime
    question: str
    reply_by: date
    units: list[UnitRef]
    answers: list[ConsultationAnswer] = Field(default_factory=list)


class CaseConsultationRequested(CaseEvent):
    """A station asked units for their opinion before assigning the case (notify tells each unit)."""

    TYPE: ClassVar[str] = "case.consultation_requested"
    round: int
    units: list[UnitRef]
    reply_by: date


class CaseConsultationAnswered(CaseEvent):
    """An asked unit answered (notify tells the division's station)."""

    TYPE: ClassVar[str] = "case.consultation_answered"
    round: int
    unit: UnitRef
    agree: bool
    late: bool = False


class CaseTriaged(CaseEvent):
    """分级处理: how triage sent a received item. `matched` is False when no rule matched and the item
    waits in the division's manual triage queue (人工分办), with the units routing suggests (learned
    from past assignments), if any; otherwise `suggested_units` are the rule's lead and co-units."""

    TYPE: ClassVar[str] = "case.triaged"
    level: TriageLevel | None = None
    matched: bool
    rule_id: str | None = None
    suggested_units: list[UnitRef] = Field(default_factory=list)


class MergeIn(ActionIn):
    """合并处置 by hand: the case is handled as `primary` (a case of the station's scope) from now on."""

    primary: str = Field(min_length=1, max_length=20, examples=["7K3P-9XTA-2MQX"])


class CaseMerged(CaseEvent):
    """合并处置: the case is handled as its primary; its submitter follows the primary's outcome.
    Published for a merge by hand and for each member of intake's `opinion.merged` alike."""

    TYPE: ClassVar[str] = "case.merged"
    primary: str
    primary_case_number: str | None = None
    merged_by: str


class JointMeeting(BaseModel):
    """约请共商会 as held: when, where, the units that met and what they decided."""

    on: date
    place: str
    units: list[UnitRef]
    decisions: str
    recorded_by: str


class JointMeetingIn(ActionIn):
    """约请共商会: the units concerned meet before a joint case is assigned; a station records it."""

    on: date = Field(examples=["2026-11-25"])
    place: str = Field(min_length=1, max_length=100, examples=["硖石街道人大代表联络站 议事厅"])
    units: list[EntityId] = Field(min_length=2, max_length=10, examples=[["hn-housing", "hn-enforcement"]])
    decisions: str = Field(min_length=2, max_length=2000, examples=["住建局牵头，综合执法局配合，两周内拿出整改方案"])


class CaseTriage(BaseModel):
    """How triage sent the case (分级处理). `level` is None when no rule matched and the case waits in
    its division's manual triage queue; `escalated_to` is the parent division whose queue holds an
    escalated case; a `joint` case `needs_meeting` (约请共商会) before its proposed units are assigned."""

    level: TriageLevel | None = None
    rule_id: str | None = None
    proposed_lead: UnitRef | None = None
    proposed_co_units: list[UnitRef] = Field(default_factory=list)
    needs_meeting: bool = False
    meeting: JointMeeting | None = None
    escalated_to: str | None = None
    deadline: DeadlinePolicy | None = None


class UnitSuggestion(BaseModel):
    """A likely unit for an unmatched item, learned from the division's past assignments of similar text."""

    unit: UnitRef
    score: float = Field(description="相似度得分 / how strongly the shared terms point to this unit")
    shared_terms: list[str] = Field(
        description="理由：与该单位以往承办事项共有的词 / the terms shared", examples=[["公交", "站台"]]
    )


class TriageQueueEntry(BaseModel):
    """A case waiting for a person to triage it (人工分办), with the units routing suggests."""

    case_id: str
    case_number: str | None = None
    division: str
    channel: Channel
    category: str | None = None
    content: str
    status: CaseStatus
    received_at: datetime
    triage: CaseTriage | None = None
    waiting_working_days: int = Field(description="自受理以来的工作日数 / working days since receipt")
    suggestions: list[UnitSuggestion] = Field(default_factory=list)
    version: int


class DivisionDeadlinesIn(BaseModel):
    """A division's deadline policies (and those below it, unless they set their own): citizen items
    15 working days and deputy suggestions three calendar months by default."""

    division: DivisionCode
    citizen: DeadlinePolicy = Field(default=DeadlinePolicy(kind="working_days", amount=15))
    suggestion: DeadlinePolicy = Field(default=DeadlinePolicy(kind="calendar_months", amount=3))


class LateAssignment(BaseModel):
    """A case assigned (or still waiting) more than one working day after receipt (桂林: 1 个工作日内交办)."""

    case_id: str
    case_number: str | None = None
    division: str
    status: CaseStatus
    received_at: datetime
    assigned_at: datetime | None = None
    working_days_to_assignment: int = Field(description="受理至交办的工作日数（未交办的，计至现在）")
    lead_unit: UnitRef | None = None


CaseView.model_rebuild()  # its lifecycle records are defined after it
