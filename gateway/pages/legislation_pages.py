"""The legislative office's and the contact point's console (立法联系).

The office publishes drafts by pasting their text (the parser's refusal shown beside the text with
the line it stopped at), asks contact points for comments (tasks), reads each article's aggregate
with charts, the feed of comments, the files and the summary report, and marks adoption. A contact
point sees its tasks, forwards them to its partners, records comments heard offline (the original
words and, beside a minority language, the translation), consolidates them (整理: accepts, rejects,
edits beside the untouched original, merges duplicates) and submits them.

Each page applies the rule of the API route it stands for (`allowed_by` with the router's alias)
and calls the same legislation client with the signed-in user's `Actor`.
"""

import base64
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, ValidationError

from contracts.errors import ServiceError
from contracts.legislation.comments import (
    AdoptionDecision,
    AdoptionIn,
    CommentChannel,
    CommentStatus,
    EditIn,
    MergeIn,
    OfflineCommentIn,
    RejectIn,
    SubmitIn,
)
from contracts.legislation.drafts import DraftIn, DraftLevel
from contracts.legislation.tasks import AssignTaskIn, ForwardTaskIn
from gateway.deps import running_platform
from gateway.pages.charts import Bar, bars
from gateway.pages.core import FormErrors, Session, allowed_by, check_csrf, form_errors, render
from gateway.pages.ledger_pages import STANCES, article_name
from gateway.problems import Problem
from gateway.routers import legislation_comments as comments_api
from gateway.routers import legislation_drafts as drafts_api
from gateway.routers import legislation_tasks as tasks_api
from infra.clock import SHANGHAI

router = APIRouter(prefix="/console/legislation", include_in_schema=False)

DraftId = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
TaskId = Annotated[str, Path(max_length=100, pattern=r"^[A-Za-z0-9_-]+$")]
CommentId = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
DRAFT_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
BROKEN_LINE = re.compile(r"第 (\d{1,6}) 行")

LEVELS = {
    DraftLevel.NATIONAL: "全国人大",
    DraftLevel.PROVINCIAL: "省（自治区、直辖市）",
    DraftLevel.MUNICIPAL: "设区的市、自治州",
}
CHANNELS = {
    CommentChannel.ONLINE: "网上",
    CommentChannel.FACE_TO_FACE: "面对面",
    CommentChannel.SYMPOSIUM: "座谈会",
    CommentChannel.DRUM_TOWER: "鼓楼议事",
    CommentChannel.LIAISON_OFFICER: "立法联络员走访",
}
OFFLINE_CHANNELS = {key: value for key, value in CHANNELS.items() if key is not CommentChannel.ONLINE}
COMMENT_STATES = {
    CommentStatus.RECEIVED: "待整理",
    CommentStatus.ACCEPTED: "已采用，待上报",
    CommentStatus.MERGED: "已合并",
    CommentStatus.REJECTED: "不予上报",
    CommentStatus.SUBMITTED: "已上报",
}
DECISIONS = {
    AdoptionDecision.ADOPTED: "采纳",
    AdoptionDecision.PARTLY_ADOPTED: "部分采纳",
    AdoptionDecision.NOT_ADOPTED: "未采纳",
}
LANGUAGES = {"zh": "普通话", "kmc": "侗语", "za": "壮语", "ug": "维吾尔语", "bo": "藏语", "mn": "蒙古语", "ii": "彝语"}
LABELS = {
    "levels": LEVELS,
    "channels": CHANNELS,
    "offline_channels": OFFLINE_CHANNELS,
    "comment_states": COMMENT_STATES,
    "decisions": DECISIONS,
    "languages": LANGUAGES,
    "stances": STANCES,
    "article_name": article_name,
}
DRAFT_FIELDS = ("office_id", "title", "level", "version", "explanation", "text", "opens_at", "closes_at")


@dataclass
class Outcome:
    """A form tried: errors by the item it was about (none when done) and what was typed."""

    errors: dict[str, FormErrors] = field(default_factory=dict)
    typed: dict[str, dict] = field(default_factory=dict)
    done: object = None


async def attempt(request: Request, session, rule, item: str, model: type[BaseModel] | None, typed: dict, body, call):
    """Checks the form's CSRF token and the role, validates the body with the API's input model (none
    for an action without a body) and calls; a refusal comes back as errors beside the fields."""
    form = await request.form(max_files=0, max_fields=30)
    check_csrf(request, form)
    actor = await allowed_by(rule, session)
    try:
        answer = await call(model.model_validate(body) if model else None, actor)
    except (ValidationError, Problem, ServiceError) as refusal:
        return Outcome({item: form_errors(refusal, {name: name for name in typed} | FIELD_ALIASES)}, {item: typed})
    return Outcome(done=answer)


# the API's nested fields → the form's
FIELD_ALIASES = {
    "meeting.held_on": "held_on",
    "meeting.place": "place",
    "meeting.participants": "participants",
    "meeting": "held_on",
    "articles": "article",
    "focus_questions": "focus_questions",
}


async def form_values(request: Request, names: tuple) -> dict:
    form = await request.form(max_files=0, max_fields=30)
    return {name: str(form.get(name, "")).strip() for name in names}


def lines_of(text: str) -> list[str]:
    return [line.strip() for line in text.replace("；", ";").splitlines() if line.strip()]


def task_body(typed: dict) -> dict:
    """A task's or a forwarding's request body: the fields filled in, the focus questions one a line."""
    return {**{k: v for k, v in typed.items() if v}, "focus_questions": lines_of(typed["focus_questions"])}


# ---- the office: drafts


async def drafts_page(request: Request, session, outcome: Outcome | None = None, status=200):
    actor = await allowed_by(drafts_api.LegislationStaff, session)
    legislation = running_platform(request).legislation
    drafts = (await legislation.drafts(actor.scope, None, 50, None)).items
    directory = await legislation.legislative_directory(actor.scope)
    outcome = outcome or Outcome()
    errors = outcome.errors.get("draft", FormErrors())
    typed = outcome.typed.get("draft", {})
    return render(
        request,
        "console/legislation/drafts.html",
        status_code=status,
        drafts=drafts,
        offices=directory.offices,
        may_publish=actor.role.value in ("legislative_office", "admin"),
        errors=errors,
        typed=typed,
        broken_line=outcome.typed.get("broken_line"),
        **LABELS,
    )


@router.get("")
async def drafts(request: Request, session: Session):
    return await drafts_page(request, session)


def beijing_input(value: str) -> str:
    """A `datetime-local` field's value is Beijing time without an offset, as the API reads it."""
    return value if not value else value + (":00" if len(value) == 16 else "")


@router.post("/drafts")
async def create_draft(request: Request, session: Session):
    """发布草案: the text pasted is read into articles by the service's parser."""
    typed = await form_values(request, DRAFT_FIELDS)
    body = {name: value for name, value in typed.items() if value}
    for name in ("opens_at", "closes_at"):
        if name in body:
            body[name] = beijing_input(body[name])
    legislation = running_platform(request).legislation
    outcome = await attempt(
        request, session, drafts_api.Office, "draft", DraftIn, typed, body, legislation.create_draft
    )
    if outcome.errors:
        return await drafts_page(request, session, with_broken_line(outcome, typed["text"]), 422)
    return RedirectResponse(f"/console/legislation/drafts/{outcome.done.draft_id}?done=published", status_code=303)


def with_broken_line(outcome: Outcome, text: str) -> Outcome:
    """The parser names the line where the numbering broke (`第 24 行：…`); the page shows that line."""
    found = BROKEN_LINE.search(outcome.errors["draft"].fields.get("text", ""))
    lines = text.splitlines()
    if found and 1 <= int(found.group(1)) <= len(lines):
        outcome.typed["broken_line"] = {"number": int(found.group(1)), "text": lines[int(found.group(1)) - 1]}
    return outcome


async def draft_page(request: Request, session, draft_id: str, outcome: Outcome | None = None, status=200):
    actor = await allowed_by(comments_api.Puller, session)
    legislation = running_platform(request).legislation
    draft = await legislation.draft(draft_id, actor)
    aggregate = await legislation.comment_aggregates(draft_id, None, actor)
    feed = await legislation.comment_feed(draft_id, None, 500, actor)
    tasks = (await legislation.tasks(draft_id, None, actor, 100, None)).items
    figures = await legislation.adoption_figures("draft", draft_id)
    directory = await legislation.legislative_directory(actor.scope)
    article_chart = bars(
        "各条意见条数",
        [
            Bar(article_name(a.article), a.comments, f"{a.comments} 条 / {a.participants} 人")
            for a in aggregate.articles
        ],
    )
    stance_chart = bars(
        "意见态度",
        [Bar(STANCES.get(key, "未表态"), count, f"{count} 条") for key, count in aggregate.totals.by_stance.items()],
    )
    outcome = outcome or Outcome()
    return render(
        request,
        "console/legislation/draft.html",
        status_code=status,
        draft=draft,
        aggregate=aggregate,
        comments=sorted(feed.items, key=lambda c: c.received_at, reverse=True),
        tasks=tasks,
        figures=figures,
        points=directory.points,
        article_chart=article_chart,
        stance_chart=stance_chart,
        errors=outcome.errors,
        typed=outcome.typed,
        done=request.query_params.get("done"),
        **LABELS,
    )


@router.get("/drafts/{draft_id}")
async def draft(request: Request, session: Session, draft_id: DraftId):
    """意见汇总 of one draft for its office: per-article charts, tasks, the comments and adoption."""
    return await draft_page(request, session, draft_id)


@router.post("/drafts/{draft_id}/tasks")
async def assign_task(request: Request, session: Session, draft_id: DraftId):
    typed = await form_values(request, ("point_id", "due_date", "focus_questions", "note"))
    body = task_body(typed)
    legislation = running_platform(request).legislation
    outcome = await attempt(
        request,
        session,
        tasks_api.Office,
        "task",
        AssignTaskIn,
        typed,
        body,
        lambda command, actor: legislation.assign_task(draft_id, command, actor),
    )
    if outcome.errors:
        return await draft_page(request, session, draft_id, outcome, 422)
    return RedirectResponse(f"/console/legislation/drafts/{draft_id}?done=task#tasks", status_code=303)


@router.post("/comments/{comment_id}/adoption")
async def decide_adoption(request: Request, session: Session, comment_id: CommentId):
    typed = await form_values(request, ("decision", "reason", "draft_id"))
    body = {k: v for k, v in typed.items() if v and k != "draft_id"}
    legislation = running_platform(request).legislation
    outcome = await attempt(
        request,
        session,
        comments_api.Office,
        comment_id,
        AdoptionIn,
        typed,
        body,
        lambda command, actor: legislation.decide_adoption(comment_id, command, actor),
    )
    if outcome.errors:
        if not DRAFT_ID.match(typed["draft_id"]):
            raise Problem(422, "请求参数不合法", "缺少草案编号", "draft_id")
        return await draft_page(request, session, typed["draft_id"], outcome, 422)
    return RedirectResponse(
        f"/console/legislation/drafts/{outcome.done.draft_id}?done=adoption#comment-{comment_id}", 303
    )


@router.post("/drafts/{draft_id}/comments/{comment_id}/accept")
async def accept_online(request: Request, session: Session, draft_id: DraftId, comment_id: CommentId):
    """采用 a comment sent online with no contact point (网上直报), which the draft's office reviews."""
    legislation = running_platform(request).legislation

    async def call(command, actor):
        return await legislation.review_comment(comment_id, "accept", None, actor)

    outcome = await attempt(request, session, comments_api.Reviewer, comment_id, None, {}, {}, call)
    if outcome.errors:
        return await draft_page(request, session, draft_id, outcome, 422)
    return RedirectResponse(f"/console/legislation/drafts/{draft_id}?done=accepted#comment-{comment_id}", 303)


@router.post("/drafts/{draft_id}/submit")
async def submit_online(request: Request, session: Session, draft_id: DraftId):
    """上报 the accepted comments of no contact point as one batch (then open to adoption marks)."""
    typed = await form_values(request, ("note",))
    legislation = running_platform(request).legislation
    outcome = await attempt(
        request,
        session,
        comments_api.Reviewer,
        "submit",
        SubmitIn,
        typed,
        {"note": typed["note"]},
        lambda command, actor: legislation.submit_comments(draft_id, command, actor),
    )
    if outcome.errors:
        return await draft_page(request, session, draft_id, outcome, 422)
    return RedirectResponse(f"/console/legislation/drafts/{draft_id}?done=submitted#feed", status_code=303)


def attachment(content: str, media_type: str, name: str, inline: bool = False) -> Response:
    disposition = f'{"inline" if inline else "attachment"}; filename="{name}"'
    return Response(base64.b64decode(content), media_type=media_type, headers={"Content-Disposition": disposition})


@router.get("/drafts/{draft_id}/export")
async def export(
    request: Request, session: Session, draft_id: DraftId, format: Annotated[str, Query(pattern="^(csv|xlsx|json)$")]
):
    actor = await allowed_by(comments_api.Puller, session)
    exported = await running_platform(request).legislation.export_comments(draft_id, format, actor)
    return attachment(exported.content, exported.media_type, f"{draft_id}-comments.{format}")


@router.get("/drafts/{draft_id}/report.pdf")
async def report(request: Request, session: Session, draft_id: DraftId):
    actor = await allowed_by(comments_api.Puller, session)
    report = await running_platform(request).legislation.comment_report(draft_id, actor)
    return attachment(report.content, "application/pdf", f"{draft_id}-summary.pdf", inline=True)


# ---- the contact point: tasks, offline comments, review and submission


@router.get("/tasks")
async def tasks(request: Request, session: Session):
    actor = await allowed_by(tasks_api.LegislationStaff, session)
    found = (await running_platform(request).legislation.tasks(None, None, actor, 100, None)).items
    return render(request, "console/legislation/tasks.html", tasks=found, **LABELS)


OFFLINE_FIELDS = ("article", "stance", "text", "channel", "held_on", "place", "participants", "language", "translation")


async def task_page(request: Request, session, task_id: str, outcome: Outcome | None = None, status=200):
    actor = await allowed_by(tasks_api.LegislationStaff, session)
    legislation = running_platform(request).legislation
    task = await legislation.task(task_id, actor)
    draft = await legislation.draft(task.draft_id, actor)
    point = await legislation.contact_point(task.point_id)
    recorded = None
    recorded_id = request.query_params.get("comment", "")
    if DRAFT_ID.match(recorded_id):
        recorded = await legislation.comment(recorded_id, actor)
    comments = await legislation.point_comments(task.draft_id, task.point_id, actor)
    outcome = outcome or Outcome()
    return render(
        request,
        "console/legislation/task.html",
        status_code=status,
        task=task,
        draft=draft,
        point=point,
        recorded=recorded,
        comments=comments,
        may_act=actor.role.value == "contact_point",
        errors=outcome.errors,
        typed=outcome.typed,
        done=request.query_params.get("done"),
        today=datetime.now(SHANGHAI).date().isoformat(),
        **LABELS,
    )


@router.get("/tasks/{task_id}")
async def task(request: Request, session: Session, task_id: TaskId):
    return await task_page(request, session, task_id)


@router.post("/tasks/{task_id}/forward")
async def forward(request: Request, session: Session, task_id: TaskId):
    typed = await form_values(request, ("partner_point_id", "due_date", "focus_questions", "note"))
    body = task_body(typed)
    legislation = running_platform(request).legislation
    outcome = await attempt(
        request,
        session,
        tasks_api.ContactPoint,
        "forward",
        ForwardTaskIn,
        typed,
        body,
        lambda command, actor: legislation.forward_task(task_id, command, actor),
    )
    if outcome.errors:
        return await task_page(request, session, task_id, outcome, 422)
    return RedirectResponse(f"/console/legislation/tasks/{task_id}?done=forwarded", status_code=303)


def offline_body(typed: dict, point_id: str, task_id: str) -> dict:
    article = typed["article"]
    meeting = {"held_on": typed["held_on"], "place": typed["place"], "participants": typed["participants"]}
    body = {
        "point_id": point_id,
        "task_id": task_id,
        "articles": [] if article in ("", "0") else [int(article) if article.isdigit() else article],
        "stance": typed["stance"] or None,
        "text": typed["text"],
        "channel": typed["channel"],
        "language": typed["language"] or "zh",
        "translation": typed["translation"] or None,
        "meeting": {key: value for key, value in meeting.items() if value},
    }
    return {key: value for key, value in body.items() if value is not None and value != ""}


@router.post("/tasks/{task_id}/comments")
async def record_offline(request: Request, session: Session, task_id: TaskId):
    """A comment heard at a meeting, recorded against the task's draft and point (记录线下意见)."""
    typed = await form_values(request, OFFLINE_FIELDS)
    legislation = running_platform(request).legislation
    actor = await allowed_by(comments_api.Recorder, session)
    task = await legislation.task(task_id, actor)
    outcome = await attempt(
        request,
        session,
        comments_api.Recorder,
        "offline",
        OfflineCommentIn,
        typed,
        offline_body(typed, task.point_id, task.task_id),
        lambda command, actor: legislation.record_offline_comment(task.draft_id, command, actor),
    )
    if outcome.errors:
        return await task_page(request, session, task_id, outcome, 422)
    url = f"/console/legislation/tasks/{task_id}?done=recorded&comment={outcome.done.comment_id}#recorded"
    return RedirectResponse(url, status_code=303)


# 整理: each action of the API's review routes, with its input model and the form's fields
REVIEW_ACTIONS: dict[str, tuple[type[BaseModel] | None, tuple[str, ...]]] = {
    "accept": (None, ()),  # 采用
    "reject": (RejectIn, ("reason",)),  # 不予上报
    "edit": (EditIn, ("text",)),  # 编辑整理: the edited wording, read in Mandarin; the original stays
    "merge": (MergeIn, ("into",)),  # 合并重复意见
}


@router.post("/tasks/{task_id}/comments/{comment_id}/{action}")
async def review(request: Request, session: Session, task_id: TaskId, comment_id: CommentId, action: str):
    """采用, 不予上报, 编辑整理 or 合并 a comment of the point (整理); a field left empty is left out, so
    the API's own refusal (此项必填) comes back beside it."""
    if action not in REVIEW_ACTIONS:
        raise Problem(404, "页面不存在", "未知的整理操作")
    model, names = REVIEW_ACTIONS[action]
    typed = await form_values(request, names)
    legislation = running_platform(request).legislation

    async def call(command, actor):
        return await legislation.review_comment(comment_id, action, command, actor)

    body = {name: value for name, value in typed.items() if value}
    outcome = await attempt(request, session, comments_api.Reviewer, comment_id, model, typed, body, call)
    if outcome.errors:
        return await task_page(request, session, task_id, outcome, 422)
    return RedirectResponse(f"/console/legislation/tasks/{task_id}?done={action}#comment-{comment_id}", 303)


@router.post("/tasks/{task_id}/submit")
async def submit(request: Request, session: Session, task_id: TaskId):
    """上报: every accepted comment of the point on the draft goes to the office as one batch."""
    typed = await form_values(request, ("note",))
    legislation = running_platform(request).legislation
    actor = await allowed_by(comments_api.Reviewer, session)
    task = await legislation.task(task_id, actor)
    outcome = await attempt(
        request,
        session,
        comments_api.Reviewer,
        "submit",
        SubmitIn,
        typed,
        {"point_id": task.point_id, "note": typed["note"]},
        lambda command, actor: legislation.submit_comments(task.draft_id, command, actor),
    )
    if outcome.errors:
        return await task_page(request, session, task_id, outcome, 422)
    count = len(outcome.done.comment_ids)
    return RedirectResponse(f"/console/legislation/tasks/{task_id}?done=submitted-{count}", status_code=303)
