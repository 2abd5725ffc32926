"""The public portal's pages of supervision and legislation: a division's public ledger (挂单销号,
张榜公示) page by page, and the draft laws open for comment with their articles, each article's
counts (意见条数/参与人数) and a comment form per article.

A comment goes the way of `POST /v1/public/drafts/{id}/comments`: the same input model, the same
rate limit, the contact sealed in the gateway before it travels. A QR code of a contact point opens
a draft with `?point=<id>`, so that the point reviews and submits what was said there.
"""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from contracts.errors import ErrorCode, ServiceError
from contracts.legislation.comments import PublicCommentIn, Stance
from contracts.vocabulary import DIVISION_CODE, ENTITY_ID
from gateway.deps import running_platform
from gateway.pages.core import FormErrors, PageProblem, check_csrf, form_errors, render
from gateway.problems import Problem
from gateway.rate_limit import enforce_public_rate_limit
from gateway.routers.legislation_comments import PublicCommentBody

router = APIRouter(include_in_schema=False)

LEDGER_PAGE = 20
DraftId = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
PointQuery = Annotated[str | None, Query(max_length=64, pattern=ENTITY_ID.pattern)]
Cursor = Annotated[str | None, Query(max_length=500, pattern=r"^[A-Za-z0-9_-]+$")]
STANCES = {
    Stance.SUPPORT.value: "赞成",
    Stance.OPPOSE.value: "反对",
    Stance.AMEND.value: "修改建议",
    Stance.QUESTION.value: "疑问",
}
# the API's field → the form's
COMMENT_FIELDS = {
    "text": "text",
    "stance": "stance",
    "articles": "text",
    "contact": "contact_phone",
    "contact.phone": "contact_phone",
    "contact.name": "contact_name",
    "consent": "consent",
}
TYPED = ("stance", "text", "contact_name", "contact_phone")
DIGITS = "零一二三四五六七八九"


def chinese_number(number: int) -> str:
    """1 → 一, 10 → 十, 23 → 二十三, 105 → 一百零五, 110 → 一百一十: how a Chinese law numbers its articles."""
    hundreds, tens, ones = number // 100, number // 10 % 10, number % 10
    words = f"{DIGITS[hundreds]}百" if hundreds else ""
    if tens:
        words += ("" if tens == 1 and not hundreds else DIGITS[tens]) + "十"
    elif hundreds and ones:
        words += "零"
    if ones or not words:
        words += DIGITS[ones]
    return words


def article_name(number: int) -> str:
    return "总体意见" if number == 0 else f"第{chinese_number(number)}条"


# ---- 挂单销号: the public ledger


@router.get("/ledger")
async def ledger(
    request: Request,
    division: Annotated[str | None, Query(max_length=12)] = None,
    after: Cursor = None,
):
    """A division's assigned items, latest first, twenty a page; never a name, a phone or a staff note."""
    context = {"division": division or "", "entries": None, "errors": {}, "next_page": None, "place": None}
    if not division:
        return render(request, "portal/ledger.html", **context)
    if not DIVISION_CODE.match(division):
        context["errors"] = {"division": "行政区划代码应为 6、9 或 12 位数字"}
        return render(request, "portal/ledger.html", 422, **context)
    platform = running_platform(request)
    place = await platform.divisions.get(division)
    if place is None:
        context["errors"] = {"division": f"本平台没有行政区划 {division}"}
        return render(request, "portal/ledger.html", 404, **context)
    page = await platform.supervision.public_ledger(division, LEDGER_PAGE, after)
    names = {}
    for code in {entry.township for entry in page.items if entry.township}:
        known = await platform.divisions.get(code)
        names[code] = known.get("name") if known else code
    context.update(
        place=place["name"],
        entries=page.items,
        townships=names,
        next_page=f"/ledger?division={division}&after={page.next}" if page.next else None,
        first_page=f"/ledger?division={division}" if after else None,
    )
    return render(request, "portal/ledger.html", **context)


# ---- draft laws open for comment


@router.get("/drafts")
async def drafts(
    request: Request, division: Annotated[str, Query(max_length=12, pattern=f"^$|{DIVISION_CODE.pattern}")] = ""
):
    page = await running_platform(request).legislation.public_drafts(division, 50, None)
    return render(request, "portal/drafts/list.html", drafts=page.items, division=division)


async def draft_page(request: Request, draft_id: str, point: str | None, errors=None, typed=None, status_code=200):
    platform = running_platform(request)
    try:
        draft = await platform.legislation.public_draft(draft_id)
    except ServiceError as error:
        if error.code is not ErrorCode.NOT_FOUND:
            raise
        raise PageProblem(404, "未找到该草案", "草案不存在，或尚未开始征求意见。") from error
    counts = draft.comment_counts or await platform.legislation.public_comment_counts(draft_id)
    per_article = {entry.article: entry for entry in counts.articles}
    return render(
        request,
        "portal/drafts/draft.html",
        status_code=status_code,
        draft=draft,
        counts=counts,
        per_article=per_article,
        point=point,
        stances=STANCES,
        article_name=article_name,
        errors=errors or {},
        typed=typed or {},
        commented=request.query_params.get("commented"),
    )


@router.get("/drafts/{draft_id}")
async def draft(request: Request, draft_id: DraftId, point: PointQuery = None):
    """A draft with its articles, the counts of each, and a comment form under each article (and one
    for the draft as a whole, 总体意见)."""
    return await draft_page(request, draft_id, point)


def comment_fields(form, article: int, point: str | None) -> dict:
    name, phone = (str(form.get(key, "")).strip() for key in ("contact_name", "contact_phone"))
    return {
        "articles": [article] if article else [],
        "stance": str(form.get("stance", "")) or None,
        "text": str(form.get("text", "")),
        "point_id": point,
        "contact": {"name": name or None, "phone": phone} if name or phone else None,
    }


@router.post("/drafts/{draft_id}/comments")
async def comment(request: Request, draft_id: DraftId, point: PointQuery = None):
    platform = running_platform(request)
    form = await request.form(max_files=0, max_fields=20)
    check_csrf(request, form)
    raw_article = str(form.get("article", "0"))
    article = int(raw_article) if raw_article.isdigit() and len(raw_article) <= 3 else 0
    typed = {key: str(form.get(key, "")) for key in TYPED}
    body = comment_fields(form, article, point)
    errors = FormErrors()
    try:
        checked = PublicCommentBody.model_validate(body)
    except ValidationError as error:
        errors = form_errors(error, COMMENT_FIELDS)
    if body["contact"] and form.get("consent") != "yes":
        errors.fields["consent"] = "留下联系方式前，请阅读并同意《个人信息处理告知》"
    if not errors:
        try:
            enforce_public_rate_limit(request, platform.public_limiter)
            contact = platform.cipher.seal(checked.contact.name, checked.contact.phone) if checked.contact else None
            command = PublicCommentIn(**checked.model_dump(exclude={"contact"}), contact=contact)
            await platform.legislation.submit_public_comment(draft_id, command)
            back = f"/drafts/{draft_id}?{f'point={point}&' if point else ''}commented={article}#article-{article}"
            return RedirectResponse(back, status_code=303)
        except (Problem, ServiceError) as refusal:
            errors = form_errors(refusal, COMMENT_FIELDS)
    return await draft_page(request, draft_id, point, {article: errors}, {article: typed}, 422)
