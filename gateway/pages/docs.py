"""`/docs` (Swagger UI) and `/redoc` with their scripts and styles served by the gateway itself.

FastAPI's own pages load them from a public CDN and stay blank on a government intranet. The files
come from the npm packages `swagger-ui-dist` and `redoc` (`package.json`, installed by `make
install` into `WEB_ASSETS_DIR`); only the files named here are served, nothing else of node_modules.
"""

from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, Response

from gateway.deps import running_platform
from gateway.pages.core import PageProblem

router = APIRouter(include_in_schema=False)

# Redoc's bundle shows its maker's logo from a public CDN: served with an empty image in its place (the
# bundle leaves out an image that does not load)
REDOC_BUNDLE = "redoc/redoc.standalone.js"
REDOC_LOGO = b"https://cdn.redoc.ly/redoc/logo-mini.svg"
# what the docs pages load: the URL path under /vendor/ → the file within the npm packages
VENDOR_FILES = {
    "swagger-ui/swagger-ui-bundle.js": "swagger-ui-dist/swagger-ui-bundle.js",
    "swagger-ui/swagger-ui.css": "swagger-ui-dist/swagger-ui.css",
    "swagger-ui/favicon-32x32.png": "swagger-ui-dist/favicon-32x32.png",
    REDOC_BUNDLE: "redoc/bundles/redoc.standalone.js",
}
TITLE = "人大民情平台 API"
# the docs pages may load nothing from elsewhere (their inline start-up script aside)
DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'"
)


def kept_local(page: HTMLResponse) -> HTMLResponse:
    page.headers["Content-Security-Policy"] = DOCS_POLICY
    return page


def vendor_file(request: Request, name: str) -> Path:
    relative = VENDOR_FILES.get(name)
    if relative is None:
        raise PageProblem(404, "页面不存在", "")
    path = Path(running_platform(request).settings.web_assets_dir) / relative
    if not path.is_file():
        raise PageProblem(503, "文档资源未安装", "请运行 make install（npm ci）安装 API 文档所需的资源。")
    return path


@lru_cache(maxsize=1)
def local_redoc(path: Path) -> bytes:
    return path.read_bytes().replace(REDOC_LOGO, b"data:,")


@router.get("/vendor/{name:path}")
async def vendor(name: str, request: Request) -> Response:
    cache = {"Cache-Control": "public, max-age=86400"}
    if name == REDOC_BUNDLE:
        return Response(local_redoc(vendor_file(request, name)), media_type="text/javascript", headers=cache)
    return FileResponse(vendor_file(request, name), headers=cache)


@router.get("/docs")
async def swagger_ui(request: Request):
    return kept_local(
        get_swagger_ui_html(
            openapi_url=request.app.openapi_url,
            title=f"{TITLE} - Swagger UI",
            swagger_js_url="/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/vendor/swagger-ui/favicon-32x32.png",
            # the default validator badge is an image from a public server
            swagger_ui_parameters={"validatorUrl": None},
        )
    )


@router.get("/redoc")
async def redoc(request: Request):
    return kept_local(
        get_redoc_html(
            openapi_url=request.app.openapi_url,
            title=f"{TITLE} - ReDoc",
            redoc_js_url="/vendor/redoc/redoc.standalone.js",
            redoc_favicon_url="/vendor/swagger-ui/favicon-32x32.png",
            with_google_fonts=False,
        )
    )
