"""The browser tier: Debian's Chromium driven by Playwright (`executable_path`, no downloaded browser),
one browser for the whole session, against the shared test platform.

Each page a walk reaches is photographed at 390 px and 1280 px under `.run/artefacts/web/` (or
`WEB_ARTEFACTS`) and checked with axe-core, injected from the npm package; every request the browser
makes is recorded, and one to any other address than the gateway fails the test.
"""

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, sync_playwright

from devtools.launcher import ROOT

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTEFACTS = Path(os.environ.get("WEB_ARTEFACTS", ROOT / ".run" / "artefacts" / "web"))
WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}
AXE_RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="package")
def chromium():
    """Closed once this tier is done: Playwright's sync API keeps an event loop running in the main
    thread while it is open, which later tiers' `asyncio.run` would trip over."""
    assert shutil.which(CHROMIUM) or Path(CHROMIUM).is_file(), "chromium missing: make test installs it"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--lang=zh-CN"])
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def artefacts() -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    return ARTEFACTS


class Visitor:
    """One person's browser: its own cookies, one page reused, every request's address recorded."""

    def __init__(self, chromium, base_url: str, width: str):
        self.base_url = base_url
        self.context = chromium.new_context(
            base_url=base_url,
            viewport=dict(zip(("width", "height"), WIDTHS[width], strict=True)),
            locale="zh-CN",
            bypass_csp=True,  # axe-core is injected as an inline script; the pages themselves need none
        )
        self.elsewhere: list[str] = []
        self.context.on("request", self._seen)
        self.page: Page = self.context.new_page()

    def _seen(self, request) -> None:
        if urlsplit(request.url).netloc != urlsplit(self.base_url).netloc and not request.url.startswith(
            ("data:", "blob:")
        ):
            self.elsewhere.append(request.url)

    def close(self) -> None:
        self.context.close()
        assert self.elsewhere == [], f"requests left the deployment: {self.elsewhere}"


@pytest.fixture
def visitor_factory(chromium, platform):
    opened: list[Visitor] = []

    def open_visitor(width: str = "phone") -> Visitor:
        visitor = Visitor(chromium, platform.base_url, width)
        opened.append(visitor)
        return visitor

    yield open_visitor
    for visitor in opened:
        visitor.close()


def accessibility_violations(page: Page) -> list[dict]:
    """axe-core's serious and critical violations of WCAG 2.1 A and AA on the page as it stands."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "rules => axe.run(document, {runOnly: {type: 'tag', values: rules}}).then(r => r.violations)", AXE_RULES
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def look(artefacts):
    """Photographs the page at both widths and checks it with axe-core; returns the page to go on."""

    def shoot(page: Page, name: str) -> None:
        size = page.viewport_size
        for width, (w, h) in WIDTHS.items():
            page.set_viewport_size({"width": w, "height": h})
            page.screenshot(path=str(artefacts / f"{name}-{w}.png"), full_page=True)
            assert accessibility_violations(page) == [], f"{name} at {width}"
        page.set_viewport_size(size)

    return shoot


def county_with_staff(platform, names: dict[str, str], station: dict, deputy: dict, unit: dict, users: list) -> dict:
    """A county and its township (`names`: code → name) with one station, its deputy and a unit, and
    staff users `(username, role, scope, unit)`: their first passwords by username."""
    _, township = names
    with platform.admin() as admin:
        for code, name in names.items():
            admin.put(f"/v1/admin/divisions/{code}", json={"name": name}).raise_for_status()
        for path, entry in [
            ("areas", {"level": "township", "code": township, "name": names[township]}),
            ("stations", station),
            ("deputies", {**deputy, "station_ids": [station["id"]]}),
        ]:
            created = admin.post(f"/v1/directory/{path}", json=entry)
            assert created.status_code in (201, 409), created.text
        assert admin.post("/v1/admin/units", json=unit).status_code in (200, 201, 409)
        passwords = {}
        for username, role, scope, unit_id in users:
            body = {"username": username, "role": role, "scope": scope, "label": username, "unit": unit_id}
            answer = admin.post("/v1/admin/users", json=body)
            assert answer.status_code == 201, answer.text
            passwords[username] = answer.json()["first_password"]
    return passwords
