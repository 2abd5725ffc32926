"""The portal's evaluation of a reply (满意度测评), reached from the tracking page.

The citizen proves the item is theirs as `POST /v1/public/opinions/{code}/evaluation` asks: a one-time
code sent by SMS to the phone they gave (the button here calls `issue_evaluation_code`, as
`POST .../evaluation-code` does) or that phone's last four digits. The same rate limit, proof and
evaluation calls run; a refusal is shown beside the field it names, with what was typed kept.
"""

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from contracts.errors import ErrorCode, ServiceError
from contracts.intake.evaluation_codes import EvaluatorProofIn
from contracts.supervision import EvaluationIn, PublicEvaluationIn, Rating
from gateway.deps import running_platform
from gateway.pages.core import FormErrors, PageProblem, check_csrf, form_errors, render
from gateway.problems import Problem
from gateway.rate_limit import enforce_public_rate_limit
from gateway.routers.opinions import checked_code

router = APIRouter(include_in_schema=False)

TrackingCode = Annotated[str, Path(max_length=20)]
RATINGS = {
    Rating.SATISFIED: "满意",
    Rating.BASICALLY_SATISFIED: "基本满意",
    Rating.UNSATISFIED: "不满意",
}
FORM_FIELDS = {name: name for name in ("rating", "comment", "phone_last_four", "one_time_code", "proof")}
TYPED = ("rating", "comment", "phone_last_four", "one_time_code", "proof")


def code_of(tracking_code: str) -> str:
    try:
        return checked_code(tracking_code)
    except Problem as problem:
        raise PageProblem(404, "查询编号格式不正确", problem.detail) from problem


async def evaluation_page(request: Request, code: str, status_code: int = 200, **context):
    try:
        view = await running_platform(request).intake.public_view(code)
    except ServiceError as error:
        if error.code is not ErrorCode.NOT_FOUND:
            raise
        raise PageProblem(404, "没有找到这个查询编号的事项", "请核对查询编号。") from error
    defaults = {"form": {"proof": "phone_last_four"}, "errors": FormErrors(), "sent": None}
    return render(
        request,
        "portal_more/evaluate.html",
        status_code=status_code,
        view=view,
        ratings=RATINGS,
        **{**defaults, **context},
    )


@router.get("/track/{tracking_code}/evaluate")
async def evaluate_form(request: Request, tracking_code: TrackingCode):
    return await evaluation_page(request, code_of(tracking_code))


@router.post("/track/{tracking_code}/evaluation-code")
async def send_code(request: Request, tracking_code: TrackingCode):
    """获取验证码: a code by SMS to the phone given with the item; the page shows it masked, never the code."""
    form = await request.form(max_files=0, max_fields=10)
    check_csrf(request, form)
    code = code_of(tracking_code)
    platform = running_platform(request)
    typed = {"proof": "one_time_code"}
    try:
        enforce_public_rate_limit(request, platform.public_limiter)
        sent = await platform.intake.issue_evaluation_code(code)
    except (Problem, ServiceError) as refusal:
        errors = form_errors(refusal, FORM_FIELDS)
        if errors.general and not errors.fields:
            errors.fields["one_time_code"] = errors.general.pop()
        return await evaluation_page(request, code, 422, form=typed, errors=errors)
    return await evaluation_page(request, code, 202, form=typed, sent=sent)


def proof_of(typed: dict) -> dict:
    """Only the proof the citizen chose is sent: the API refuses both at once."""
    chosen = typed["proof"] if typed["proof"] in ("one_time_code", "phone_last_four") else "phone_last_four"
    return {chosen: typed[chosen].strip() or None}


@router.post("/track/{tracking_code}/evaluate")
async def evaluate(request: Request, tracking_code: TrackingCode):
    form = await request.form(max_files=0, max_fields=10)
    check_csrf(request, form)
    code = code_of(tracking_code)
    platform = running_platform(request)
    typed = {name: str(form.get(name, "")) for name in TYPED}
    body = {"comment": typed["comment"].strip() or None, **proof_of(typed)}
    if typed["rating"]:
        body["rating"] = typed["rating"]
    errors = FormErrors()
    try:
        checked = PublicEvaluationIn.model_validate(body)
    except ValidationError as error:
        errors = form_errors(error, FORM_FIELDS)
    chosen, given = next(iter(proof_of(typed).items()))
    if given is None:
        errors.fields[chosen] = "此项必填"
    if not errors:
        try:
            enforce_public_rate_limit(request, platform.public_limiter)
            address = request.client.host if request.client else "unknown"
            proof = await platform.intake.prove_evaluator(code, EvaluatorProofIn(**proof_of(typed)), address)
            evaluation = EvaluationIn.model_validate(checked.model_dump(exclude={"phone_last_four", "one_time_code"}))
            await platform.supervision.evaluate_as_citizen(proof.case_id, evaluation)
            return RedirectResponse(f"/track?code={code}&evaluated=1", status_code=303)
        except (Problem, ServiceError) as refusal:
            errors = form_errors(refusal, FORM_FIELDS)
    return await evaluation_page(request, code, 422, form=typed, errors=errors)
