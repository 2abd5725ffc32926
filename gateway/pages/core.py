"""What every page shares: the templates, the signed-in user, CSRF tokens, and errors shown in Chinese.

Pages call the services through the same typed clients and the same authorization rules as the API;
only the way an answer is shown differs. A refusal the API would answer as problem+json is shown
here beside the field it names, with what the user typed kept in the form.
"""

import hmac
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, get_args
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError

from contracts.actor import Actor
from contracts.errors import ServiceError, field_path
from gateway.auth import require_scope
from gateway.deps import running_platform
from gateway.problems import ANSWER_TO, Problem
from gateway.staff_users import actor_of_user
from infra.clock import SHANGHAI, utc_now

HERE = Path(__file__).resolve().parent.parent
TEMPLATES = Jinja2Templates(directory=HERE / "templates")
STATIC_DIR = HERE / "static"

SESSION_COOKIE = "rd_session"
ANONYMOUS_CSRF_COOKIE = "rd_csrf"
CSRF_FIELD = "csrf_token"


def secure_cookies(request: Request) -> bool:
    """Cookies travel over HTTPS only, except on a developer's machine (http://127.0.0.1)."""
    return running_platform(request).settings.environment != "development"


def set_cookie(request: Request, response, name: str, value: str, max_age: int | None = None) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="strict" if name == SESSION_COOKIE else "lax",
        secure=secure_cookies(request),
        path="/",
    )


@dataclass
class SignedIn:
    """A console user with a live session, and the `Actor` it acts as."""

    username: str
    actor: Actor
    csrf: str
    token: str
    must_change_password: bool


class SignInNeeded(Exception):
    """No live session: the browser goes to sign-in, and from there back to `next_url`."""

    def __init__(self, next_url: str):
        self.next_url = next_url


class PasswordChangeNeeded(Exception):
    """A first sign-in: every console page waits until the user has chosen a password."""


class PageProblem(Exception):
    """A refusal shown as a page (403 outside the user's scope, 404), never as a stack trace."""

    def __init__(self, status: int, title: str, detail: str = ""):
        self.status, self.title, self.detail = status, title, detail


async def current_session(request: Request) -> SignedIn | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    platform = running_platform(request)
    session = await platform.sessions.find(token, utc_now())
    if session is None:
        return None
    user = await platform.staff_users.get(session["username"])
    if user is None or user.get("disabled_at") is not None:
        return None
    return SignedIn(user["_id"], actor_of_user(user), session["csrf"], token, user.get("must_change_password", False))


def return_path(request: Request) -> str:
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


async def signed_in_any(request: Request) -> SignedIn:
    """The signed-in user even before the first password change (the password page itself)."""
    session = await current_session(request)
    if session is None:
        raise SignInNeeded(return_path(request) if request.method == "GET" else "/console")
    request.state.signed_in = session
    return session


async def signed_in(session: Annotated[SignedIn, Depends(signed_in_any)]) -> SignedIn:
    if session.must_change_password:
        raise PasswordChangeNeeded()
    return session


Session = Annotated[SignedIn, Depends(signed_in)]
AnySession = Annotated[SignedIn, Depends(signed_in_any)]


async def allowed_by(rule, session: SignedIn) -> Actor:
    """Applies one of the API's role rules (`gateway.deps.allowed(...)` aliases) to the session's actor."""
    check = get_args(rule)[1].dependency
    try:
        return await check(session.actor)
    except Problem as problem:
        raise PageProblem(403, "无权访问此页面", "您的角色不能使用此功能。") from problem


def in_scope(actor: Actor, division: str) -> None:
    try:
        require_scope(actor, division)
    except Problem as problem:
        raise PageProblem(403, "超出管辖范围", f"行政区划 {division} 不在您的管辖范围 {actor.scope} 内。") from problem


def sign_in_url(next_url: str) -> str:
    return f"/console/sign-in?next={quote(next_url, safe='')}"


# ---- CSRF: a console form carries its session's token; an anonymous form, its cookie's (double submit)


def anonymous_csrf(request: Request) -> str:
    token = request.cookies.get(ANONYMOUS_CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
    if not token:
        token = request.state.new_csrf = secrets.token_urlsafe(24)
    return token


def csrf_token(request: Request) -> str:
    session = getattr(request.state, "signed_in", None)
    return session.csrf if session else anonymous_csrf(request)


def check_csrf(request: Request, form) -> None:
    expected = (
        csrf_token(request) if getattr(request.state, "signed_in", None) else request.cookies.get(ANONYMOUS_CSRF_COOKIE)
    )
    sent = form.get(CSRF_FIELD)
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(expected.encode(), sent.encode()):
        raise PageProblem(
            403, "页面已过期，请返回重新提交", "表单缺少有效的防伪造令牌（CSRF token）。请刷新页面后再试。"
        )


# ---- errors beside their fields

PYDANTIC_MESSAGES = {
    "missing": "此项必填",
    "string_too_short": "内容太短（至少 {min_length} 个字）",
    "string_too_long": "内容太长（最多 {max_length} 个字）",
    "string_pattern_mismatch": "格式不正确",
    "too_long": "最多 {max_length} 项",
    "too_short": "至少 {min_length} 项",
    "literal_error": "请从列表中选择",
    "enum": "请从列表中选择",
    "int_parsing": "请填写数字",
    "float_parsing": "请填写数字",
    "greater_than_equal": "不能小于 {ge}",
    "less_than_equal": "不能大于 {le}",
    "date_from_datetime_parsing": "请填写日期",
    "date_parsing": "请填写日期",
    "extra_forbidden": "不应填写此项",
}


def message_of(item: dict) -> str:
    if item["type"] == "value_error":
        return str(item["ctx"]["error"])
    kind = item["type"]
    if kind in ("too_short", "too_long") and isinstance(item.get("input"), str):
        kind = f"string_{kind}"
    if kind == "string_too_short" and not str(item.get("input", "")).strip():
        kind = "missing"
    template = PYDANTIC_MESSAGES.get(kind)
    if template is None:
        return f"填写不正确（{item['msg']}）"
    # a bound of a float field reads 0, not 0.0
    ctx = {name: f"{value:g}" if isinstance(value, float) else value for name, value in item.get("ctx", {}).items()}
    return template.format(**ctx)


@dataclass
class FormErrors:
    """Errors by form field; `general` for those that name no field of the form."""

    fields: dict[str, str] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.fields or self.general)

    def add(self, name: str | None, message: str, names: dict[str, str]) -> None:
        form_field = names.get(name or "", name) if name else None
        if form_field and form_field in names.values():
            self.fields.setdefault(form_field, message)
        else:
            self.general.append(message)


def form_errors(error: Exception, names: dict[str, str]) -> FormErrors:
    """The API's answer to the same input, as messages by form field. `names` maps the API's field
    (`contact.phone`) to the form's (`contact_phone`); a form field of the same name maps to itself."""
    errors = FormErrors()
    if isinstance(error, ValidationError):
        for item in error.errors(include_url=False):
            errors.add(field_path(item["loc"]), message_of(item), names)
    elif isinstance(error, Problem):
        errors.add(error.field, f"{error.title}：{error.detail}", names)
    elif isinstance(error, ServiceError):
        errors.add(error.field, f"{ANSWER_TO[error.code][1]}：{error.detail}", names)
    else:
        raise error
    return errors


# pages hold personal data or a CSRF token: not cached, not framed; scripts and styles from the gateway only
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def render(request: Request, template: str, status_code: int = 200, **context: Any):
    session = getattr(request.state, "signed_in", None)
    response = TEMPLATES.TemplateResponse(
        request,
        template,
        {"signed_in": session, "csrf_token": csrf_token(request), "csrf_field": CSRF_FIELD, **context},
        status_code=status_code,
    )
    new_token = getattr(request.state, "new_csrf", None)
    if new_token:
        set_cookie(request, response, ANONYMOUS_CSRF_COOKIE, new_token)
    response.headers.update(PAGE_HEADERS)
    return response


# ---- what templates show

STATUS_LABELS = {
    "received": "已受理",
    "triaged": "待分办",
    "assigned": "已交办",
    "accepted": "承办单位已签收",
    "replied": "已答复",
    "evaluated": "已评价",
    "closed": "已办结",
    "returned": "退回重新分办",
    "reopened": "重新办理",
    "escalated": "已提交上级",
    "merged": "已合并处理",
}
ROLE_LABELS = {
    "info_officer": "民情信息员",
    "deputy": "人大代表",
    "station": "代表联络站",
    "handler": "承办单位",
    "supervisor": "督查",
    "legislative_office": "立法机关",
    "contact_point": "基层立法联系点",
    "admin": "管理员",
}
DEPUTY_LEVELS = {
    "national": "全国人大代表",
    "provincial": "省人大代表",
    "municipal": "市人大代表",
    "county": "县（市、区）人大代表",
    "township": "乡镇人大代表",
}
CHANNEL_LABELS = {
    "qr": "扫码",
    "web": "网上",
    "hotline": "热线",
    "mailbox": "民情箱",
    "station_visit": "进站接待",
    "grid_officer": "网格员",
    "village_meeting": "座谈",
    "deputy": "代表",
    "county_system": "县级系统",
    "session_suggestion": "代表建议",
}


def beijing(moment, with_time: bool = True) -> str:
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        local = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(SHANGHAI)
        return local.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")
    return str(moment)


TEMPLATES.env.filters.update(
    beijing=beijing,
    status=lambda value: STATUS_LABELS.get(str(value), str(value)),
    role=lambda value: ROLE_LABELS.get(str(value), str(value)),
    level=lambda value: DEPUTY_LEVELS.get(str(value), ""),
    channel=lambda value: CHANNEL_LABELS.get(str(value), str(value)),
)
