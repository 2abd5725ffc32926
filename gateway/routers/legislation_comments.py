"""Comments on drafts (意见征集): citizens' without a key, offline meetings' by contact points, review and
submission (整理上报), the office's aggregated pull, feed and files, and adoption (采纳反馈)."""

import base64
import hashlib
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Path, Query, Request, Response
from pydantic import Field

from contracts.legislation.aggregates import AdoptionFigures, DraftAggregate
from contracts.legislation.comments import (
    AdoptionIn,
    CommentBody,
    CommentReceipt,
    CommentView,
    EditIn,
    FeedPage,
    MergeIn,
    OfflineCommentIn,
    PublicCommentIn,
    RejectIn,
    SubmissionView,
    SubmitIn,
)
from contracts.vocabulary import DivisionCode, EntityId, Role
from gateway.auth import require_scope
from gateway.deps import Legislation, PlatformDep, allowed
from gateway.problems import problem_responses
from gateway.rate_limit import enforce_public_rate_limit
from gateway.schemas import ContactIn

router = APIRouter(prefix="/v1", tags=["legislation: comments"])

Recorder = allowed(Role.CONTACT_POINT, Role.INFO_OFFICER)
Reviewer = allowed(Role.CONTACT_POINT, Role.LEGISLATIVE_OFFICE)
Office = allowed(Role.LEGISLATIVE_OFFICE)
Puller = allowed(Role.LEGISLATIVE_OFFICE, Role.COUNTY_SYSTEM)
CommentReader = allowed(Role.CONTACT_POINT, Role.INFO_OFFICER, Role.LEGISLATIVE_OFFICE, Role.COUNTY_SYSTEM)
FigureReader = allowed(Role.CONTACT_POINT, Role.LEGISLATIVE_OFFICE, Role.COUNTY_SYSTEM)

DraftId = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9_-]+$", examples=["gx-rural-2026"])]
CommentId = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9_-]+$", examples=["01jd3y0q9z8x7w6v5t4s3r2q1p"])]
CHANGES = problem_responses(401, 403, 404, 409, 422)


class PublicCommentBody(CommentBody):
    """A citizen's comment: articles (none for a general comment), stance, text, and, if the citizen
    wants to hear the outcome, a contact (encrypted before it leaves the gateway, never shown)."""

    division: DivisionCode | None = Field(default=None, description="所在行政区划 / where you live")
    point_id: EntityId | None = Field(
        default=None, description="扫码所在的联系点 / the contact point's code you scanned"
    )
    contact: ContactIn | None = Field(default=None, description="留下联系方式以接收采纳反馈 / to hear the outcome")


@router.post(
    "/public/drafts/{draft_id}/comments",
    status_code=201,
    response_model=CommentReceipt,
    responses=problem_responses(404, 409, 422, 429),
)
async def comment_on_draft(
    draft_id: DraftId, body: PublicCommentBody, request: Request, platform: PlatformDep, legislation: Legislation
) -> CommentReceipt:
    """No key needed. The draft must be open for comments (409 otherwise) and have the articles named
    (422 naming `articles`)."""
    enforce_public_rate_limit(request, platform.public_limiter)
    contact = platform.cipher.seal(body.contact.name, body.contact.phone) if body.contact else None
    command = PublicCommentIn(**body.model_dump(exclude={"contact"}), contact=contact)
    return await legislation.submit_public_comment(draft_id, command)


@router.post("/legislation/drafts/{draft_id}/comments", status_code=201, response_model=CommentView, responses=CHANGES)
async def record_offline_comment(
    draft_id: DraftId, body: OfflineCommentIn, principal: Recorder, legislation: Legislation
) -> CommentView:
    """A comment heard offline (面对面, 座谈会, 鼓楼议事, a liaison officer's visit), recorded by the point's
    staff: the original words, and beside a non-Mandarin original its translation."""
    return await legislation.record_offline_comment(draft_id, body, principal)


@router.get(
    "/legislation/comments/{comment_id}", response_model=CommentView, responses=problem_responses(401, 403, 404)
)
async def comment(comment_id: CommentId, principal: CommentReader, legislation: Legislation) -> CommentView:
    """One comment with its original words, any edited version, its review and adoption; never a contact."""
    return await legislation.comment(comment_id, principal)


@router.post("/legislation/comments/{comment_id}/accept", response_model=CommentView, responses=CHANGES)
async def accept_comment(comment_id: CommentId, principal: Reviewer, legislation: Legislation) -> CommentView:
    """采用: the comment will go in the next submission."""
    return await legislation.review_comment(comment_id, "accept", None, principal)


@router.post("/legislation/comments/{comment_id}/edit", response_model=CommentView, responses=CHANGES)
async def edit_comment(
    comment_id: CommentId, body: EditIn, principal: Reviewer, legislation: Legislation
) -> CommentView:
    """整理: an edited wording beside the original, which is kept as it arrived. Refused once submitted."""
    return await legislation.review_comment(comment_id, "edit", body, principal)


@router.post("/legislation/comments/{comment_id}/reject", response_model=CommentView, responses=CHANGES)
async def reject_comment(
    comment_id: CommentId, body: RejectIn, principal: Reviewer, legislation: Legislation
) -> CommentView:
    """不予上报, with the reason."""
    return await legislation.review_comment(comment_id, "reject", body, principal)


@router.post("/legislation/comments/{comment_id}/merge", response_model=CommentView, responses=CHANGES)
async def merge_comment(
    comment_id: CommentId, body: MergeIn, principal: Reviewer, legislation: Legislation
) -> CommentView:
    """合并重复意见: this comment into `into`; the answer is the comment merged into, listing it. `into`
    being this comment or no comment at all is 422 naming `into`."""
    return await legislation.review_comment(comment_id, "merge", body, principal)


@router.post(
    "/legislation/drafts/{draft_id}/submissions", status_code=201, response_model=SubmissionView, responses=CHANGES
)
async def submit_comments(
    draft_id: DraftId, body: SubmitIn, principal: Reviewer, legislation: Legislation
) -> SubmissionView:
    """上报: the point's accepted comments on the draft (or those listed) go to the office as one batch
    and are frozen from then on, except for the office's adoption decision."""
    return await legislation.submit_comments(draft_id, body, principal)


@router.post("/legislation/comments/{comment_id}/adoption", response_model=CommentView, responses=CHANGES)
async def decide_adoption(
    comment_id: CommentId, body: AdoptionIn, principal: Office, legislation: Legislation
) -> CommentView:
    """采纳反馈 on a submitted comment (409 before submission); a contributor who left a contact is told."""
    return await legislation.decide_adoption(comment_id, body, principal)


def etag_of(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


@router.get(
    "/legislation/drafts/{draft_id}/aggregates",
    response_model=DraftAggregate,
    responses={
        304: {"description": "未变化 / unchanged since the ETag given"},
        **problem_responses(401, 403, 404, 422),
    },
)
async def comment_aggregates(
    draft_id: DraftId,
    principal: Puller,
    legislation: Legislation,
    article: Annotated[
        int | None, Query(ge=0, description="只看此条；0 为总体意见 / one article, 0 for general")
    ] = None,
    if_none_match: Annotated[str | None, Header(description="上次的 ETag / the ETag of the last pull")] = None,
):
    """意见汇总 per draft and article: counts by division, contact point, channel and stance, the main
    themes and representative comments, read from counters kept as comments arrive. With the ETag of
    the last pull in `If-None-Match`, an unchanged answer is 304 with no body."""
    aggregate = await legislation.comment_aggregates(draft_id, article, principal)
    content = aggregate.model_dump_json().encode()
    etag = etag_of(content)
    if if_none_match and etag in [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]:
        return Response(status_code=304, headers={"ETag": etag})
    return Response(content, media_type="application/json", headers={"ETag": etag})


@router.get(
    "/legislation/drafts/{draft_id}/feed", response_model=FeedPage, responses=problem_responses(401, 403, 404, 422)
)
async def comment_feed(
    draft_id: DraftId,
    principal: Puller,
    legislation: Legislation,
    cursor: Annotated[
        str | None, Query(max_length=200, description="上次答复中的 cursor / the cursor of the last answer")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="每次最多条数 / at most this many")] = 200,
) -> FeedPage:
    """New and changed comments since the cursor, each change exactly once across pulls, in the order
    they happened. Without a cursor it starts from the first comment; a malformed cursor is 422."""
    return await legislation.comment_feed(draft_id, cursor, limit, principal)


FILES = {"csv": "csv", "xlsx": "xlsx", "json": "json"}


@router.get(
    "/legislation/drafts/{draft_id}/comments/export",
    responses={
        200: {"content": {"text/csv": {}, "application/json": {}}, "description": "意见导出 / the export"},
        **problem_responses(401, 403, 404, 422),
    },
)
async def export_comments(
    draft_id: DraftId,
    principal: Puller,
    legislation: Legislation,
    format: Annotated[Literal["csv", "xlsx", "json"], Query(description="csv（带 BOM）、xlsx 或 json")] = "csv",
) -> Response:
    """Every comment of the draft with its original words, translation, edited version, review and
    adoption (Chinese column headers; never a contact)."""
    exported = await legislation.export_comments(draft_id, format, principal)
    disposition = f'attachment; filename="{draft_id}-comments.{FILES[format]}"'
    return Response(
        base64.b64decode(exported.content), media_type=exported.media_type, headers={"Content-Disposition": disposition}
    )


@router.get(
    "/legislation/drafts/{draft_id}/report.pdf",
    responses={
        200: {"content": {"application/pdf": {}}, "description": "意见汇总报告"},
        **problem_responses(401, 403, 404),
    },
)
async def comment_report(draft_id: DraftId, principal: Puller, legislation: Legislation) -> Response:
    """意见汇总 as a printable PDF in Chinese: totals, then each article's counts, themes and representatives."""
    report = await legislation.comment_report(draft_id, principal)
    disposition = f'inline; filename="{draft_id}-summary.pdf"'
    return Response(
        base64.b64decode(report.content), media_type="application/pdf", headers={"Content-Disposition": disposition}
    )


@router.get(
    "/legislation/adoption/{kind}/{key}", response_model=AdoptionFigures, responses=problem_responses(401, 403, 422)
)
async def adoption_figures(
    kind: Annotated[Literal["draft", "point", "division"], Path(description="统计范围 / what the figures are of")],
    key: Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9_-]+$", examples=["sanjiang-point"])],
    principal: FigureReader,
    legislation: Legislation,
) -> AdoptionFigures:
    """采纳情况: submitted, adopted (fully or partly), rate, for a draft, a contact point (over all its
    drafts) or a division (and everything below it, within the key's scope)."""
    if kind == "division":
        require_scope(principal, key, "key")
    return await legislation.adoption_figures(kind, key)
