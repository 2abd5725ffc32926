"""The web pages the gateway serves: the public portal, the staff console, sign-in and the API docs.

`install(app)` adds them before the API's routers (the QR landing `/s/{division}` answers a browser
with the page and any other client with the API's JSON) and makes the app's error handlers answer a
page's errors as pages.
"""

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from contracts.errors import ServiceError
from gateway.pages import (
    console,
    console_admin,
    console_deputy,
    console_directory,
    console_station,
    console_station_cases,
    console_unit,
    docs,
    ledger_pages,
    legislation_pages,
    portal,
    portal_more,
    signin,
    supervision_pages,
    supervision_settings_pages,
)
from gateway.pages.core import (
    STATIC_DIR,
    PageProblem,
    PasswordChangeNeeded,
    SignInNeeded,
    render,
    sign_in_url,
)
from gateway.problems import ANSWER_TO, Problem


async def mark_page(request: Request) -> None:
    request.state.page = True


def is_page(request: Request) -> bool:
    """A browser asking for a page: other clients of the same address (the QR landing's JSON) get the API's errors."""
    return getattr(request.state, "page", False) and "text/html" in request.headers.get("accept", "")


def page_error(status: int, title: str, detail: str):
    async def show(request: Request):
        return render(request, "error.html", status_code=status, status=status, title=title, detail=detail)

    return show


def install(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module in (docs, signin, portal, console):
        app.include_router(module.router, dependencies=[Depends(mark_page)])
    for module in (ledger_pages, supervision_pages, legislation_pages):
        app.include_router(module.router, dependencies=[Depends(mark_page)])
    for module in (portal_more, console_unit, console_station, console_station_cases, console_admin, console_deputy):
        app.include_router(module.router, dependencies=[Depends(mark_page)])
    app.include_router(console_directory.router, dependencies=[Depends(mark_page)])
    app.include_router(supervision_settings_pages.router, dependencies=[Depends(mark_page)])

    async def on_sign_in_needed(request: Request, needed: SignInNeeded):
        return RedirectResponse(sign_in_url(needed.next_url), status_code=303)

    async def on_password_change_needed(request: Request, needed: PasswordChangeNeeded):
        return RedirectResponse("/console/password", status_code=303)

    async def on_page_problem(request: Request, problem: PageProblem):
        return await page_error(problem.status, problem.title, problem.detail)(request)

    app.add_exception_handler(SignInNeeded, on_sign_in_needed)
    app.add_exception_handler(PasswordChangeNeeded, on_password_change_needed)
    app.add_exception_handler(PageProblem, on_page_problem)
    answer_errors_of_pages_as_pages(app)


def answer_errors_of_pages_as_pages(app: FastAPI) -> None:
    """Wraps the API's handlers: on a page, the same error becomes a page with the same status."""

    def wrap(kind, describe):
        api_handler = app.exception_handlers[kind]

        async def handler(request: Request, error):
            answer = await api_handler(request, error)  # logs what it logs for the API too
            if not is_page(request):
                return answer
            status, title, detail = describe(error)
            return await page_error(status, title, detail)(request)

        app.add_exception_handler(kind, handler)

    wrap(Problem, lambda error: (error.status, error.title, error.detail))
    wrap(ServiceError, lambda error: (*ANSWER_TO[error.code], error.detail))
    wrap(RequestValidationError, lambda error: (422, "请求参数不合法", "地址中的参数不正确。"))
    wrap(
        StarletteHTTPException,
        lambda error: (error.status_code, "页面不存在" if error.status_code == 404 else "出错了", ""),
    )
    wrap(Exception, lambda error: (500, "服务器内部错误", "请稍后再试；如果一直出错，请联系管理员。"))
