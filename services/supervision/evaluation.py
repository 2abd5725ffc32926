"""满意度测评: each reply is evaluated at most once per evaluator; an unsatisfied one is announced
so that routing reopens the case (不满意件再办理)."""

from datetime import datetime

from pydantic import BaseModel

from contracts.errors import ErrorCode, ServiceError
from contracts.supervision import EvaluationIn, EvaluationRecorded, EvaluationView, EvaluatorKind, Rating
from contracts.vocabulary import CaseStatus, Instant
from services.supervision.watch import WatchedCase

SUGGESTION_PREFIX = "JY-"


class Evaluation(BaseModel):
    evaluation_id: str
    case_id: str
    division: str
    round: int
    evaluator_kind: EvaluatorKind
    evaluator: str
    rating: Rating
    comment: str | None = None
    evaluated_at: Instant
    version: int = 0


def evaluation_id(case_id: str, round_: int, evaluator: str) -> str:
    """One evaluation per reply and evaluator: a second one collides on this key."""
    return f"{case_id}:{round_}:{evaluator}"


def is_suggestion(case_id: str) -> bool:
    return case_id.startswith(SUGGESTION_PREFIX)


def check_kind(case_id: str, kind: EvaluatorKind) -> None:
    """The deputy evaluates suggestions' replies; the citizen, opinions' replies."""
    if (kind is EvaluatorKind.DEPUTY) != is_suggestion(case_id):
        who = "代表只能测评建议的答复 (deputies evaluate suggestions)"
        if kind is EvaluatorKind.CITIZEN:
            who = "群众只能测评民情事项的答复 (citizens evaluate opinions)"
        raise ServiceError(ErrorCode.FORBIDDEN, who, "case_id")


def may_reopen(rehandled: int, rehandle_limit: int) -> bool:
    """不满意件再办理: supervision counts the re-handlings (the earlier replies of the case rated
    unsatisfied, each of which reopened it) and decides, in `evaluation.recorded`, whether routing
    reopens the case once more. Past the limit, routing leaves it evaluated and it goes on the key
    supervision list instead; routing never counts, so the two cannot disagree."""
    return rehandled < rehandle_limit


def evaluate(
    case: WatchedCase,
    kind: EvaluatorKind,
    evaluator: str,
    command: EvaluationIn,
    now: datetime,
    reopen: bool = True,
) -> tuple[Evaluation, EvaluationRecorded]:
    """Only a replied case can be evaluated (its latest reply)."""
    check_kind(case.case_id, kind)
    if case.status is not CaseStatus.REPLIED or case.replies < 1:
        raise ServiceError(
            ErrorCode.INVALID_TRANSITION, "案件尚未答复，不能测评 (the case has not been replied to)", "status"
        )
    evaluation = Evaluation(
        evaluation_id=evaluation_id(case.case_id, case.replies, evaluator),
        case_id=case.case_id,
        division=case.division,
        round=case.replies,
        evaluator_kind=kind,
        evaluator=evaluator,
        rating=command.rating,
        comment=command.comment,
        evaluated_at=now,
    )
    event = EvaluationRecorded(
        case_id=case.case_id,
        division=case.division,
        round=case.replies,
        evaluator_kind=kind,
        rating=command.rating,
        at=now,
        reopen=reopen,
    )
    return evaluation, event


def already_evaluated() -> ServiceError:
    return ServiceError(
        ErrorCode.CONFLICT, "该答复已测评过，不能重复测评 (this reply was already evaluated)", "evaluation"
    )


def evaluation_view(evaluation: Evaluation) -> EvaluationView:
    return EvaluationView.model_validate(evaluation.model_dump(include=set(EvaluationView.model_fields)))
