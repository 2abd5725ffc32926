"""The gateway's pages with the services answering from memory: a platform whose clients talk to the
routers' `FakeBroker`, real user and session stores on the embedded store, and a browser-like client
that keeps cookies."""

import asyncio
import re
from types import SimpleNamespace

import httpx
import mongomock
from argon2 import PasswordHasher

from contracts.intake.photos import PhotoUploaded
from contracts.vocabulary import Role
from gateway.app import create_app
from gateway.clients import IntakeClient, NotifyClient, RoutingClient
from gateway.db import AwaitableCollection
from gateway.references import References
from gateway.sessions import SessionStore
from gateway.staff_users import StaffUserStore
from infra.pii import PiiCipher
from infra.settings import Settings
from tests.service.test_gateway_routers import CASE, FakeBroker, FakeDivisions

PASSWORD = "correct horse battery"
# argon2id still, with the least work: the tests sign in often and prove behaviour, not cost
FAST_ARGON2ID = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
RECEIVER = {
    "kind": "deputy",
    "id": "deputy-zhang-wei",
    "name": "张伟",
    "division": "330481001",
    "level": "county",
    "stations": [
        {"id": "xiashi-station", "name": "硖石街道人大代表联络站", "address": "文苑南路", "reception_day": "每周二"}
    ],
}
QUEUED = {
    "case_id": "7K3P-9XTA-2MQD",
    "case_number": "330481-2026-000123",
    "division": "330481001",
    "channel": "qr",
    "category": "道路交通",
    "content": "文苑路公交站台的顶棚坏了",
    "status": "triaged",
    "received_at": "2026-11-23T02:00:00Z",
    "waiting_working_days": 1,
    "suggestions": [
        {"unit": {"id": "hn-transport", "name": "海宁市交通运输局"}, "score": 0.8, "shared_terms": ["公交"]}
    ],
    "version": 3,
}
SCHEME = {
    "division": "330481",
    "classes": [{"code": "A", "label": "已经解决或基本解决", "completed": True, "resolved": True}],
}


class FakeCommands:
    def __init__(self):
        self.sent = []

    async def send_command(self, envelope) -> None:
        self.sent.append(envelope)


class FakePhotoFiles:
    def __init__(self):
        self.uploads: list[bytes] = []

    async def upload(self, data: bytes, uploaded_by: str) -> PhotoUploaded:
        self.uploads.append(data)
        return PhotoUploaded.model_validate(
            {
                "id": f"photo{len(self.uploads):05d}",
                "content_type": "image/png",
                "size": len(data),
                "width": 1,
                "height": 1,
            }
        )


class Browser:
    """A browser's part: one cookie jar over every request, redirects not followed (the tests look at them)."""

    def __init__(self, app, base_url: str = "http://testserver"):
        self.loop = asyncio.new_event_loop()
        transport = httpx.ASGITransport(app=app, client=("192.0.2.10", 50000))
        self.client = httpx.AsyncClient(transport=transport, base_url=base_url, follow_redirects=False)
        self.client.headers["accept"] = "text/html"

    def get(self, url: str, **kwargs) -> httpx.Response:
        return self.loop.run_until_complete(self.client.get(url, **kwargs))

    def post(self, url: str, **kwargs) -> httpx.Response:
        return self.loop.run_until_complete(self.client.post(url, **kwargs))


class Pages:
    def __init__(self, settings: Settings | None = None):
        settings = settings or Settings()
        self.app = create_app(settings)
        self.broker = FakeBroker()
        self.broker.answers.update(
            {
                ("intake", "receiver"): lambda kw: RECEIVER,
                ("intake", "categories"): lambda kw: {"division": "330481", "names": ["道路交通"], "defined_at": None},
                ("intake", "unknown_photos"): lambda kw: [],
                ("routing", "triage_queue"): lambda kw: {"items": [QUEUED], "next": None},
                ("intake", "opinion_groups"): lambda kw: {"items": [], "next": None},
                ("routing", "list_units"): lambda kw: [
                    {"id": "hn-transport", "name": "海宁市交通运输局", "division": "330481", "contacts": []}
                ],
                ("routing", "act_on_case"): lambda kw: {**CASE, "status": "assigned", "version": 4},
                ("routing", "result_scheme"): lambda kw: SCHEME,
            }
        )
        database = mongomock.MongoClient()["gateway"]
        self.users = StaffUserStore(
            AwaitableCollection(database["staff_users"]),
            AwaitableCollection(database["signin_failures"]),
            FAST_ARGON2ID,
        )
        self.commands = FakeCommands()
        self.photos = FakePhotoFiles()
        intake = IntakeClient(self.broker)
        self.app.state.platform = SimpleNamespace(
            settings=settings,
            intake=intake,
            routing=RoutingClient(self.broker),
            notify=NotifyClient(self.broker),
            references=References(intake),
            divisions=FakeDivisions(),
            staff_users=self.users,
            sessions=SessionStore(AwaitableCollection(database["sessions"])),
            photo_files=self.photos,
            cipher=PiiCipher(settings.pii_keys),
            broker=self.commands,
            public_limiter=None,
        )
        self.sessions_collection = database["sessions"]

    def browser(self, base_url: str = "http://testserver") -> "Browser":
        return Browser(self.app, base_url)

    def user(self, username: str, role: Role, scope: str = "330481", unit: str | None = None, changed: bool = True):
        """A user as an administrator made it; `changed`: the first password already replaced."""
        asyncio.run(self.users.create(username, role, scope, username, unit, PASSWORD))
        if changed:
            asyncio.run(self.users.change_password(username, PASSWORD))

    def signed_in(self, username: str, role: Role, scope: str = "330481", unit: str | None = None) -> "Browser":
        self.user(username, role, scope, unit)
        browser = self.browser()
        answer = sign_in(browser, username, PASSWORD)
        assert answer.status_code == 303, answer.text
        return browser

    def calls(self, method: str) -> list[dict]:
        return [kwargs for _, name, kwargs in self.broker.calls if name == method]


def csrf_of(page_html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page_html).group(1)


def sign_in(browser: "Browser", username: str, password: str, next_url: str = "/console"):
    page = browser.get(f"/console/sign-in?next={next_url}")
    form = {"username": username, "password": password, "next": next_url, "csrf_token": csrf_of(page.text)}
    return browser.post("/console/sign-in", data=form)
