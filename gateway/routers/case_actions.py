"""What stations, units and supervisors do to a case: `POST /v1/cases/{id}/{action}`.

Each action is checked twice: the role here (403 before any call), then in routing who the key
acts for (the lead unit replies, co-units send opinions: 403 field `unit`), whether the case's
status allows it (409 `invalid_transition`) and, with `expected_version`, whether the case is still
that version (409 with its current state). The rules are in `services/routing/case.py`.
"""

from typing import Annotated

from fastapi import APIRouter, Path

from contracts.actor import Actor
from contracts.routing import (
    ActionIn,
    AssignIn,
    CaseView,
    CloseIn,
    ConsultationAnswerIn,
    ConsultIn,
    CoOpinionIn,
    EscalateIn,
    ExtensionDecisionIn,
    ExtensionRequestIn,
    JointMeetingIn,
    MeetingIn,
    MeetingRequestIn,
    MergeIn,
    PauseIn,
    ProgressIn,
    ReplyIn,
    ResultSchemeIn,
    ResultSchemeView,
    ResumeIn,
    ReturnIn,
    SpotAnswerIn,
)
from contracts.supervision import EvaluationIn, EvaluationView
from contracts.vocabulary import DIVISION_CODE, Role
from gateway.clients import RoutingClient
from gateway.deps import (
    Admin,
    CaseReader,
    Divisions,
    Handler,
    Routing,
    Supervision,
    Supervisor,
    administered,
    allowed,
)
from gateway.problems import problem_responses

router = APIRouter(prefix="/v1", tags=["cases"])

CaseId = Annotated[str, Path(max_length=20, examples=["7K3P-9XTA-2MQD"])]
DivisionPath = Annotated[str, Path(pattern=DIVISION_CODE.pattern, examples=["330481"])]
Station = allowed(Role.STATION)
HandlerOrStation = allowed(Role.HANDLER, Role.STATION)
StationOrSupervisor = allowed(Role.STATION, Role.SUPERVISOR)
DeputyOrAdmin = allowed(Role.DEPUTY, Role.ADMIN)
ACTION = {"response_model": CaseView, "responses": problem_responses(401, 403, 404, 409, 422)}


async def act(routing: RoutingClient, case_id: str, action: str, body: ActionIn, principal: Actor) -> CaseView:
    return await routing.act_on_case(case_id.upper(), action, body, principal)


@router.post(
    "/cases/{case_id}/evaluation",
    response_model=EvaluationView,
    status_code=201,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def evaluate(
    case_id: CaseId, body: EvaluationIn, principal: DeputyOrAdmin, supervision: Supervision
) -> EvaluationView:
    """满意度测评: the deputy evaluates the reply to their suggestion (a `JY-` case in their scope):
    satisfied / basically_satisfied / unsatisfied, once per reply. Unsatisfied reopens the case
    (不满意件再办理). A case not yet replied, or a second evaluation, is refused (409). Only the
    suggestion's lead deputy, named by the key's `deputy_id`, evaluates (another deputy: 403); an
    admin whose scope covers the case may record it on the deputy's behalf."""
    return await supervision.evaluate_case(case_id, body, principal)


@router.post("/cases/{case_id}/reply", **ACTION)
async def reply(case_id: CaseId, body: ReplyIn, principal: Handler, routing: Routing) -> CaseView:
    """答复: the lead unit's reply to a signed case: text, a result class of the division's scheme
    (national A/B/C/D by default) and, for planned work, promised dates. The citizen sees it."""
    return await act(routing, case_id, "reply", body, principal)


@router.post("/cases/{case_id}/return", **ACTION)
async def return_case(case_id: CaseId, body: ReturnIn, principal: Handler, routing: Routing) -> CaseView:
    """退回: the lead unit gives the assignment back with a reason; the case waits for triage again
    and the next unit's clock starts afresh."""
    return await act(routing, case_id, "return", body, principal)


@router.post("/cases/{case_id}/co-opinion", **ACTION)
async def co_opinion(case_id: CaseId, body: CoOpinionIn, principal: Handler, routing: Routing) -> CaseView:
    """协办意见: a co-handling unit's opinion to the lead unit (due before the lead's own deadline). Staff only."""
    return await act(routing, case_id, "co-opinion", body, principal)


@router.post("/cases/{case_id}/record-progress", **ACTION)
async def record_progress(case_id: CaseId, body: ProgressIn, principal: Handler, routing: Routing) -> CaseView:
    """办理进展: a note by the lead or a co-handling unit. Staff only."""
    return await act(routing, case_id, "record-progress", body, principal)


@router.post("/cases/{case_id}/record-meeting", **ACTION)
async def record_meeting(case_id: CaseId, body: MeetingIn, principal: Handler, routing: Routing) -> CaseView:
    """三见面: a meeting before, during or after handling with the deputy or the citizen: date, form,
    participants. Staff only."""
    return await act(routing, case_id, "record-meeting", body, principal)


@router.post("/cases/{case_id}/request-meeting", **ACTION)
async def request_meeting(case_id: CaseId, body: MeetingRequestIn, principal: Handler, routing: Routing) -> CaseView:
    """约见请求: the lead unit of an accepted or reopened case asks the deputy (the suggestion's lead deputy,
    or the deputy who received the item) to meet before, during or after handling, on a date not yet
    past, at a place; the deputy gets an inbox notice. Other units: 403 field `unit`."""
    return await act(routing, case_id, "request-meeting", body, principal)


@router.post("/cases/{case_id}/joint-meeting", **ACTION)
async def joint_meeting(case_id: CaseId, body: JointMeetingIn, principal: Station, routing: Routing) -> CaseView:
    """约请共商会: the units concerned met before a joint case is assigned (date, place, units, what they
    decided); a station records it, and may assign the case only then."""
    return await act(routing, case_id, "joint-meeting", body, principal)


@router.post("/cases/{case_id}/request-extension", **ACTION)
async def request_extension(
    case_id: CaseId, body: ExtensionRequestIn, principal: Handler, routing: Routing
) -> CaseView:
    """延期申请 by the lead unit: `working_days` for a citizen item, `months` for a deputy suggestion
    (six months in all at most). A supervisor decides."""
    return await act(routing, case_id, "request-extension", body, principal)


@router.post("/cases/{case_id}/decide-extension", **ACTION)
async def decide_extension(
    case_id: CaseId, body: ExtensionDecisionIn, principal: Supervisor, routing: Routing
) -> CaseView:
    """A supervisor approves (the due date moves) or refuses the pending extension request."""
    return await act(routing, case_id, "decide-extension", body, principal)


@router.post("/cases/{case_id}/pause", **ACTION)
async def pause(case_id: CaseId, body: PauseIn, principal: HandlerOrStation, routing: Routing) -> CaseView:
    """暂停计时 for a typed reason (waiting for the citizen, a statutory suspension, another authority)."""
    return await act(routing, case_id, "pause", body, principal)


@router.post("/cases/{case_id}/resume", **ACTION)
async def resume(case_id: CaseId, body: ResumeIn, principal: HandlerOrStation, routing: Routing) -> CaseView:
    """恢复计时: the due date moves on by the working days the clock stood still."""
    return await act(routing, case_id, "resume", body, principal)


@router.post("/cases/{case_id}/assign", **ACTION)
async def assign(case_id: CaseId, body: AssignIn, principal: Station, routing: Routing) -> CaseView:
    """交办 by hand: a station assigns a triaged, returned or escalated case to units of its division,
    on a new clock. A unit of another division is refused (422 naming the field)."""
    return await act(routing, case_id, "assign", body, principal)


@router.post("/cases/{case_id}/answer-on-the-spot", **ACTION)
async def answer_on_the_spot(case_id: CaseId, body: SpotAnswerIn, principal: Station, routing: Routing) -> CaseView:
    """当场答复: the station answers a triaged item itself and closes it; the citizen sees the answer."""
    return await act(routing, case_id, "answer-on-the-spot", body, principal)


@router.post("/cases/{case_id}/escalate", **ACTION)
async def escalate(case_id: CaseId, body: EscalateIn, principal: HandlerOrStation, routing: Routing) -> CaseView:
    """阶梯跟进: to the parent division's queue (a township's case to its county); the history keeps both."""
    return await act(routing, case_id, "escalate", body, principal)


@router.post("/cases/{case_id}/close", **ACTION)
async def close(case_id: CaseId, body: CloseIn, principal: StationOrSupervisor, routing: Routing) -> CaseView:
    """办结: a station or supervisor closes a replied, evaluated, escalated or triaged case."""
    return await act(routing, case_id, "close", body, principal)


@router.post("/cases/{case_id}/merge", **ACTION)
async def merge(case_id: CaseId, body: MergeIn, principal: Station, routing: Routing) -> CaseView:
    """合并处置 by hand: the case becomes `merged` into `primary` (an open case the station may see) and
    is handled as that one; its submitter sees the primary's progress and reply. The history names
    the primary. A primary that is unknown, itself, merged or closed is refused (422 field `primary`)."""
    return await act(routing, case_id, "merge", body, principal)


@router.post("/cases/{case_id}/consult", **ACTION)
async def consult(case_id: CaseId, body: ConsultIn, principal: Station, routing: Routing) -> CaseView:
    """征求拟办单位意见: before assigning a triaged (returned, escalated) case, the station asks the
    intended units of its division whether they agree, by `reply_by`. Each call is a new round
    (涉及多个单位的事项至少征求两次); the rounds and answers are in `consultations` of the case."""
    return await act(routing, case_id, "consult", body, principal)


@router.post("/cases/{case_id}/consultation-answer", **ACTION)
async def consultation_answer(
    case_id: CaseId, body: ConsultationAnswerIn, principal: Handler, routing: Routing
) -> CaseView:
    """An asked unit answers the latest round that asked it: agree or not, with the reason. A unit
    not asked is refused (403 field `unit`); once the case has been assigned, 409."""
    return await act(routing, case_id, "consultation-answer", body, principal)


@router.get("/result-schemes/{division}", response_model=ResultSchemeView, responses=problem_responses(401, 403, 422))
async def result_scheme(division: DivisionPath, principal: CaseReader, routing: Routing) -> ResultSchemeView:
    """答复结果分类: the classes a reply in this division may carry, and which count as completed (办结)
    and resolved (解决): the division's own, the nearest above it, else the national A/B/C/D."""
    return await routing.result_scheme(division)


@router.put(
    "/admin/result-schemes/{division}", response_model=ResultSchemeView, responses=problem_responses(401, 403, 422)
)
async def set_result_scheme(
    division: DivisionPath, body: ResultSchemeIn, principal: Admin, divisions: Divisions, routing: Routing
) -> ResultSchemeView:
    """Sets the division's scheme (e.g. 马龙区's A 已解决或正在解决 / B 计划解决); its townships inherit it.
    Replies already given keep their class."""
    await administered(principal, divisions, division)
    return await routing.set_result_scheme(division, body)
