"""Staff sign-in, sign-out and the password change forced at first sign-in."""

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse

from gateway.deps import running_platform
from gateway.pages.core import (
    SESSION_COOKIE,
    AnySession,
    check_csrf,
    render,
    set_cookie,
)
from gateway.sessions import SESSION_LIFE
from infra.clock import utc_now

router = APIRouter(include_in_schema=False)

MIN_PASSWORD = 10
LOCKED = "登录失败次数过多，请 15 分钟后再试 (too many failed sign-ins: try again in 15 minutes)"
WRONG = "用户名或密码不正确 (wrong username or password)"


def safe_next(next_url: str | None) -> str:
    """Only a path of this site, never another site's address (`//host` or `https://…`)."""
    if not next_url or not next_url.startswith("/") or next_url.startswith("//") or "\\" in next_url:
        return "/console"
    return next_url


NextUrl = Annotated[str | None, Query(alias="next", max_length=500)]


@router.get("/console/sign-in")
async def sign_in_page(request: Request, next_url: NextUrl = None):
    return render(request, "console/sign_in.html", next_url=safe_next(next_url), form={}, errors=None)


@router.post("/console/sign-in")
async def sign_in(request: Request):
    form = await request.form(max_files=0, max_fields=10)
    check_csrf(request, form)
    platform = running_platform(request)
    username, password = str(form.get("username", "")).strip().lower(), str(form.get("password", ""))
    next_url = safe_next(str(form.get("next", "")))
    address = request.client.host if request.client else "unknown"
    attempt = await platform.staff_users.sign_in(username, password, address, utc_now())
    if attempt.user is None:
        message = LOCKED if attempt.locked else WRONG
        return render(
            request,
            "console/sign_in.html",
            status_code=429 if attempt.locked else 401,
            next_url=next_url,
            form={"username": username},
            errors={"password": message},
        )
    token, _ = await platform.sessions.open(username, utc_now())
    must_change = attempt.user.get("must_change_password")
    target = f"/console/password?next={quote(next_url, safe='')}" if must_change else next_url
    response = RedirectResponse(target, status_code=303)
    set_cookie(request, response, SESSION_COOKIE, token, max_age=int(SESSION_LIFE.total_seconds()))
    return response


@router.post("/console/sign-out")
async def sign_out(request: Request, session: AnySession):
    check_csrf(request, await request.form(max_files=0, max_fields=5))
    await running_platform(request).sessions.close(session.token)
    response = RedirectResponse("/console/sign-in", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/console/password")
async def password_page(request: Request, session: AnySession, next_url: NextUrl = None):
    return render(request, "console/password.html", next_url=safe_next(next_url), errors={})


@router.post("/console/password")
async def change_password(request: Request, session: AnySession):
    form = await request.form(max_files=0, max_fields=10)
    check_csrf(request, form)
    users = running_platform(request).staff_users
    current, new, again = (str(form.get(name, "")) for name in ("current", "new", "again"))
    next_url = safe_next(str(form.get("next", "")))
    user = await users.get(session.username)
    errors = {}
    if not users.verify(user, current):
        errors["current"] = "当前密码不正确"
    if len(new) < MIN_PASSWORD:
        errors["new"] = f"新密码至少 {MIN_PASSWORD} 位"
    elif new == current:
        errors["new"] = "新密码不能与当前密码相同"
    if new != again:
        errors["again"] = "两次输入的新密码不一致"
    if errors:
        return render(request, "console/password.html", status_code=422, next_url=next_url, errors=errors)
    await users.change_password(session.username, new)
    return RedirectResponse(next_url, status_code=303)
