"""The web pages on their own: sign-in and sessions, CSRF, lockout, the portal's forms with the API's
errors beside their fields, the console's pages under the API's role and scope rules, and the API docs
with local assets. The services answer from memory (`pages_harness`)."""

import asyncio
import re
from datetime import UTC, datetime, timedelta
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import pytest

from contracts.errors import ErrorCode, ServiceError
from contracts.vocabulary import Role
from gateway.db import AwaitableCollection
from gateway.sessions import token_hash
from gateway.staff_users import ADDRESS_ATTEMPTS, LOCK_WINDOW, USER_ATTEMPTS, StaffUserStore
from infra.embedded import EmbeddedClient
from infra.settings import Settings
from tests.service.pages_harness import PASSWORD, Pages, csrf_of, sign_in
from tests.service.test_gateway_routers import OPINION

LANDING = "/s/330481001?deputy=deputy-zhang-wei"


@pytest.fixture
def pages():
    return Pages()


def field_errors(html: str) -> dict[str, str]:
    return {name: unescape(text) for name, text in re.findall(r'id="([\w.-]+)-error" role="alert">([^<]*)<', html)}


def value_of(html: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'name="{name}"[^>]*>([^<]*)</textarea>', html
    )
    return unescape(match.group(1)) if match else ""


# ---- the API docs


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_api_docs_load_every_asset_from_the_gateway(pages, page):
    browser = pages.browser()
    html = browser.get(page).text
    references = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert references and all(ref.startswith("/") and not ref.startswith("//") for ref in references), references
    assert "https://" not in html and "http://" not in html
    for reference in references:
        asset = browser.get(urljoin(page, reference))
        assert asset.status_code == 200 and len(asset.content) > 500, reference
        if reference.endswith(".css"):  # a stylesheet may pull fonts or images of its own
            assert not re.search(r"url\(\s*['\"]?(https?:)?//", asset.text), reference
    assert browser.get("/openapi.json").status_code == 200


def test_only_the_named_docs_assets_are_served(pages):
    assert pages.browser().get("/vendor/redoc/package.json").status_code == 404
    assert pages.browser().get("/vendor/../package.json").status_code == 404


# ---- the API for console users


def test_an_administrator_creates_a_user_with_a_first_password_kept_as_argon2id(pages):
    from tests.service.test_gateway_routers import Gateway

    gateway = Gateway()
    gateway.app.state.platform = pages.app.state.platform
    body = {"username": "xiashi.station", "role": "station", "scope": "330481001", "label": "硖石联络站 沈"}
    answer = gateway.request("POST", "/v1/admin/users", Role.ADMIN, json=body)
    assert answer.status_code == 201, answer.text
    created = answer.json()
    assert created | {"first_password": ""} == {**body, "unit": None, "deputy_id": None, "first_password": ""}
    assert len(created["first_password"]) == 12
    stored = pages.users.users._collection.find_one({"_id": "xiashi.station"})
    assert stored["password_hash"].startswith("$argon2id$") and created["first_password"] not in str(stored)
    assert stored["must_change_password"] is True
    again = gateway.request("POST", "/v1/admin/users", Role.ADMIN, json=body)
    assert again.status_code == 409 and again.json()["field"] == "username"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"role": "citizen"}, "role"),
        ({"role": "county_system"}, "role"),
        ({"username": "A b"}, "username"),
        ({"scope": "33048"}, "scope"),
        ({"unit": "hn-transport"}, "unit"),  # only a handler acts for a unit
    ],
)
def test_a_bad_user_is_refused_naming_the_field_and_nothing_is_stored(pages, change, field):
    from tests.service.test_gateway_routers import Gateway

    gateway = Gateway()
    gateway.app.state.platform = pages.app.state.platform
    body = {"username": "someone", "role": "station", "scope": "330481", "label": "某人", **change}
    answer = gateway.request("POST", "/v1/admin/users", Role.ADMIN, json=body)
    assert answer.status_code == 422 and answer.json()["field"] == field, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert pages.users.users._collection.count_documents({}) == 0


def test_only_an_administrator_within_its_scope_creates_users(pages):
    from tests.service.test_gateway_routers import Gateway

    gateway = Gateway()
    gateway.app.state.platform = pages.app.state.platform
    body = {"username": "someone", "role": "handler", "scope": "330481", "label": "交通局", "unit": "hn-transport"}
    for role in Role:
        answer = gateway.request("POST", "/v1/admin/users", role, json={**body, "username": f"u-{role.value}"})
        if role is Role.ADMIN:
            assert answer.status_code == 201, answer.text
        else:
            assert answer.status_code == 403 and answer.json()["field"] == "role", (role, answer.text)
    outside = gateway.request("POST", "/v1/admin/users", Role.ADMIN, scope="330482", json=body)
    assert outside.status_code == 403 and outside.json()["field"] == "scope"
    assert [u["_id"] for u in pages.users.users._collection.find()] == ["u-admin"]


# ---- sign-in, sessions, CSRF, lockout


def test_the_first_sign_in_forces_a_new_password_then_opens_the_console(pages):
    pages.user("zhou", Role.STATION, "330481001", changed=False)
    browser = pages.browser()
    answer = sign_in(browser, "zhou", PASSWORD, "/console/triage")
    assert answer.status_code == 303 and answer.headers["location"].startswith("/console/password")
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Max-Age=28800" in cookie
    assert "Secure" not in cookie  # development: http://127.0.0.1
    assert browser.get("/console/triage").headers["location"] == "/console/password"
    form = browser.get("/console/password")
    change = {"current": PASSWORD, "new": "short", "again": "short", "csrf_token": csrf_of(form.text)}
    refused = browser.post("/console/password", data={**change, "next": "/console/triage"})
    assert refused.status_code == 422 and field_errors(refused.text) == {"new": "新密码至少 10 位"}
    change.update(new="a much longer one", again="a much longer one")
    changed = browser.post("/console/password", data={**change, "next": "/console/triage"})
    assert changed.status_code == 303 and changed.headers["location"] == "/console/triage"
    assert browser.get("/console/triage").status_code == 200
    assert sign_in(pages.browser(), "zhou", PASSWORD).status_code == 401  # the first password is gone


def test_the_session_cookie_is_secure_outside_development():
    settings = Settings(
        environment="production",
        pii_keys="k1:" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY=",
        api_key_pepper="pepper-for-this-test",
        admin_api_key="rdk_for_this_test",
    )
    pages = Pages(settings)
    pages.user("zhou", Role.STATION, "330481001")
    answer = sign_in(pages.browser("https://testserver"), "zhou", PASSWORD)
    assert answer.status_code == 303 and "Secure" in answer.headers["set-cookie"]


def test_a_signed_in_user_acts_as_the_actor_of_its_role_scope_and_unit(pages):
    browser = pages.signed_in("jt", Role.HANDLER, "330481", unit="hn-transport")
    pages.broker.answers[("routing", "find_cases")] = lambda kw: {"items": [], "next": None}
    assert browser.get("/console/cases").status_code == 200
    query, actor = pages.calls("find_cases")[-1]["query"], pages.calls("find_cases")[-1]["actor"]
    expected = {"key_id": "user:jt", "role": "handler", "scope": "330481", "label": "jt", "unit": "hn-transport"}
    assert actor == {**expected, "deputy": None}
    assert query["unit"] == "hn-transport"


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(pages):
    browser = pages.signed_in("xiashi", Role.STATION, "330481001")
    form = {"lead_unit": "hn-transport", "expected_version": "3"}
    for token in (None, "forged", "伪造"):
        data = form if token is None else {**form, "csrf_token": token}
        answer = browser.post("/console/cases/7K3P-9XTA-2MQD/assign", data=data)
        assert answer.status_code == 403 and "防伪造令牌" in answer.text and "<html" in answer.text
    assert pages.calls("act_on_case") == []
    anonymous = pages.browser()
    refused = anonymous.post("/console/sign-in", data={"username": "xiashi", "password": PASSWORD})
    assert refused.status_code == 403 and "rd_session" not in refused.headers.get("set-cookie", "")
    submitted = anonymous.post(LANDING, data={"content": "路灯坏了很久了"})
    assert submitted.status_code == 403 and pages.commands.sent == []


def test_sign_in_is_locked_after_repeated_failures_of_one_user(pages):
    pages.user("zhou", Role.STATION, "330481001")
    browser = pages.browser()
    for _ in range(USER_ATTEMPTS):
        wrong = sign_in(browser, "zhou", "not the password")
        assert wrong.status_code == 401 and field_errors(wrong.text)["password"].startswith("用户名或密码不正确")
    locked = sign_in(browser, "zhou", PASSWORD)
    assert locked.status_code == 429 and "set-cookie" not in locked.headers
    assert field_errors(locked.text)["password"].startswith("登录失败次数过多")


def test_sign_in_is_locked_for_an_address_that_tries_many_users(pages):
    pages.user("zhou", Role.STATION, "330481001")
    browser = pages.browser()
    for attempt in range(ADDRESS_ATTEMPTS):
        assert sign_in(browser, f"guess{attempt}", "123456").status_code == 401
    assert sign_in(browser, "zhou", PASSWORD).status_code == 429


def test_an_expired_session_goes_to_sign_in_and_back_to_the_page(pages):
    browser = pages.signed_in("xiashi", Role.STATION, "330481001")
    for session in pages.sessions_collection.find():
        pages.sessions_collection.update_one(
            {"_id": session["_id"]}, {"$set": {"expires_at": session["created_at"] - timedelta(seconds=1)}}
        )
    answer = browser.get("/console/triage?division=330481001")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/console/sign-in?next=%2Fconsole%2Ftriage%3Fdivision%3D330481001"
    back = sign_in(browser, "xiashi", PASSWORD, "/console/triage?division=330481001")
    assert back.status_code == 303 and back.headers["location"] == "/console/triage?division=330481001"
    assert browser.get(back.headers["location"]).status_code == 200


def test_signing_out_ends_the_session(pages):
    browser = pages.signed_in("xiashi", Role.STATION, "330481001")
    page = browser.get("/console")
    assert browser.post("/console/sign-out", data={"csrf_token": csrf_of(page.text)}).status_code == 303
    assert pages.sessions_collection.count_documents({}) == 0
    assert browser.get("/console").status_code == 303


def test_sign_in_sends_nowhere_but_this_site(pages):
    pages.user("zhou", Role.STATION, "330481001")
    for elsewhere in ("https://example.com/", "//example.com/"):
        answer = sign_in(pages.browser(), "zhou", PASSWORD, elsewhere)
        assert answer.headers["location"] == "/console"


def test_sessions_are_stored_by_the_hash_of_their_token(pages):
    browser = pages.signed_in("xiashi", Role.STATION, "330481001")
    token = browser.client.cookies["rd_session"]
    stored = pages.sessions_collection.find_one()
    assert stored["_id"] == token_hash(token) and token not in str(stored)


# ---- the console under the API's rules


def test_a_page_outside_the_role_or_scope_answers_403_as_a_page(pages):
    station = pages.signed_in("xiashi", Role.STATION, "330481001")
    outside = station.get("/console/triage?division=330482")
    assert outside.status_code == 403 and "超出管辖范围" in outside.text and "<html" in outside.text
    assert station.get("/console/cases").status_code == 403
    assert station.get("/console/users").status_code == 403
    handler = pages.signed_in("jt", Role.HANDLER, "330481", unit="hn-transport")
    refused = handler.get("/console/triage")
    assert refused.status_code == 403 and "无权访问此页面" in refused.text
    assert pages.calls("triage_queue") == []


def test_the_station_assigns_from_the_triage_queue(pages):
    browser = pages.signed_in("xiashi", Role.STATION, "330481001")
    page = browser.get("/console/triage")
    assert "文苑路公交站台的顶棚坏了" in page.text and "海宁市交通运输局（公交）" in page.text
    assert pages.calls("triage_queue")[-1]["division"] == "330481001"
    form = {"lead_unit": "hn-transport", "expected_version": "3", "back": "/console/triage?division=330481001"}
    answer = browser.post("/console/cases/7K3P-9XTA-2MQD/assign", data={**form, "csrf_token": csrf_of(page.text)})
    assert answer.status_code == 303 and answer.headers["location"].endswith("done=7K3P-9XTA-2MQD")
    call = pages.calls("act_on_case")[-1]
    assert call["action"] == "assign" and call["command"]["lead_unit"] == "hn-transport"
    assert call["command"]["expected_version"] == 3 and call["actor"]["key_id"] == "user:xiashi"


def test_a_refused_action_shows_the_apis_error_beside_the_field_and_keeps_the_text(pages):
    browser = pages.signed_in("xiashi", Role.STATION, "330481001")
    page = browser.get("/console/triage")

    def refuse(kwargs):
        raise ServiceError(ErrorCode.INVALID, "单位 hn-water 不在本地区", "lead_unit")

    pages.broker.answers[("routing", "act_on_case")] = refuse
    form = {"lead_unit": "hn-water", "expected_version": "3", "csrf_token": csrf_of(page.text)}
    answer = browser.post("/console/cases/7K3P-9XTA-2MQD/assign", data=form)
    assert answer.status_code == 422
    assert field_errors(answer.text) == {"lead_unit": "请求参数不合法：单位 hn-water 不在本地区"}
    empty = browser.post(
        "/console/cases/7K3P-9XTA-2MQD/answer-on-the-spot", data={"text": "", "csrf_token": csrf_of(page.text)}
    )
    assert empty.status_code == 422 and field_errors(empty.text) == {"text": "此项必填"}
    assert [call["action"] for call in pages.calls("act_on_case")] == ["assign"]  # the refused one only


def test_the_unit_signs_and_replies_from_its_inbox(pages):
    assigned = {**pages.broker.answers[("routing", "find_cases")]({})["items"][0], "version": 1}
    pages.broker.answers[("routing", "find_cases")] = lambda kw: {"items": [assigned], "next": None}
    pages.broker.answers[("routing", "accept_case")] = lambda kw: {**assigned, "status": "accepted", "version": 2}
    browser = pages.signed_in("jt", Role.HANDLER, "330481", unit="hn-transport")
    page = browser.get("/console/cases")
    assert "签收" in page.text
    signed = browser.post(
        "/console/cases/7K3P-9XTA-2MQD/accept", data={"expected_version": "1", "csrf_token": csrf_of(page.text)}
    )
    assert signed.status_code == 303 and pages.calls("accept_case")[-1]["command"] == {"expected_version": 1}
    accepted = {**assigned, "status": "accepted", "version": 2}
    pages.broker.answers[("routing", "find_cases")] = lambda kw: {"items": [accepted], "next": None}
    page = browser.get("/console/cases")
    assert "A 已经解决或基本解决" in page.text
    reply = {"text": "已协调公交公司修复顶棚。", "result_class": "A", "expected_version": "2"}
    replied = browser.post("/console/cases/7K3P-9XTA-2MQD/reply", data={**reply, "csrf_token": csrf_of(page.text)})
    assert replied.status_code == 303
    call = pages.calls("act_on_case")[-1]
    assert call["action"] == "reply" and call["command"]["text"] == reply["text"]


def test_the_notification_inbox_is_the_units(pages):
    browser = pages.signed_in("jt", Role.HANDLER, "330481", unit="hn-transport")
    page = browser.get("/console/notifications")
    assert page.status_code == 200 and "新交办事项（主办）" in page.text
    assert pages.calls("inbox")[-1] | {"limit": 0} == {
        "recipient": "unit:hn-transport",
        "division_prefix": "330481",
        "limit": 0,
        "after": None,
    }


def test_the_administrator_creates_a_user_from_the_console(pages):
    browser = pages.signed_in("root", Role.ADMIN, "330481")
    page = browser.get("/console/users")
    form = {"username": "Bad Name", "role": "station", "scope": "330481001", "label": "联络站", "unit": ""}
    refused = browser.post("/console/users", data={**form, "csrf_token": csrf_of(page.text)})
    assert refused.status_code == 422 and set(field_errors(refused.text)) == {"username"}
    assert value_of(refused.text, "label") == "联络站"
    created = browser.post("/console/users", data={**form, "username": "xiashi2", "csrf_token": csrf_of(page.text)})
    assert created.status_code == 201 and "xiashi2" in created.text
    password = re.search(r'class="tracking-code">([^<]+)<', created.text).group(1)
    assert sign_in(pages.browser(), "xiashi2", password).headers["location"].startswith("/console/password")


# ---- the public portal


def test_the_qr_landing_names_the_receiver_and_the_api_still_answers_json(pages):
    page = pages.browser().get(LANDING)
    assert page.status_code == 200 and "您的意见将由 <strong>张伟</strong> 代表 接收" in page.text
    assert "个人信息处理告知" in page.text and 'name="csrf_token"' in page.text
    assert "script-src" not in page.headers["content-security-policy"]  # default-src 'self': no inline script
    assert "default-src 'self'" in page.headers["content-security-policy"] and page.headers["x-frame-options"] == "DENY"
    api = pages.browser()
    api.client.headers["accept"] = "application/json"
    answer = api.get(LANDING)
    assert answer.json()["receiver"]["name"] == "张伟" and answer.json()["submit"]["url"] == "/v1/public/opinions"


def test_bad_input_shows_the_errors_beside_the_fields_keeps_the_text_and_sends_nothing(pages):
    browser = pages.browser()
    token = csrf_of(browser.get(LANDING).text)
    form = {"content": "x", "contact_name": "陈小明", "contact_phone": "138", "csrf_token": token}
    answer = browser.post(LANDING, data=form)
    assert answer.status_code == 422
    assert field_errors(answer.text) == {
        "content": "内容太短（至少 2 个字）",
        "contact_phone": "内容太短（至少 5 个字）",
        "consent": "留下联系方式前，请阅读并同意《个人信息处理告知》",
    }
    assert value_of(answer.text, "contact_name") == "陈小明" and value_of(answer.text, "content") == "x"
    assert pages.commands.sent == [] and pages.photos.uploads == []


def test_a_refusal_of_the_api_shows_beside_its_field(pages):
    browser = pages.browser()
    token = csrf_of(browser.get(LANDING).text)
    answer = browser.post(LANDING, data={"content": "路灯坏了", "category": "天气", "csrf_token": token})
    assert answer.status_code == 422
    assert field_errors(answer.text)["category"].startswith("类别不在本地区的类别清单中")
    assert pages.commands.sent == []


def test_a_submission_with_a_photo_and_contact_gives_the_receipt(pages):
    browser = pages.browser()
    token = csrf_of(browser.get(LANDING).text)
    form = {
        "content": "文苑路公交站台的顶棚坏了",
        "category": "道路交通",
        "contact_name": "陈小明",
        "contact_phone": "13812345678",
        "consent": "yes",
        "csrf_token": token,
    }
    answer = browser.post(LANDING, data=form, files=[("photos", ("shelter.png", b"\x89PNG-bytes", "image/png"))])
    assert answer.status_code == 303 and answer.headers["location"].startswith("/receipt/")
    (command,) = pages.commands.sent
    assert command.payload["details"] == {"channel": "qr", "deputy_id": "deputy-zhang-wei", "station_id": None}
    assert command.payload["photos"] == ["photo00001"] and pages.photos.uploads == [b"\x89PNG-bytes"]
    assert "13812345678" not in str(command.payload)  # sealed
    code = answer.headers["location"].rsplit("/", 1)[1]
    assert command.payload["tracking_code"] == code
    receipt = browser.get(answer.headers["location"])
    assert f'id="tracking-code">{code}<' in receipt.text


def test_more_than_three_photos_are_refused(pages):
    browser = pages.browser()
    token = csrf_of(browser.get(LANDING).text)
    files = [("photos", (f"p{n}.png", b"\x89PNG", "image/png")) for n in range(4)]
    answer = browser.post(LANDING, data={"content": "路灯坏了", "csrf_token": token}, files=files)
    assert answer.status_code == 422 and field_errors(answer.text)["photos"] == "最多上传 3 张照片"
    assert pages.photos.uploads == [] and pages.commands.sent == []


def test_tracking_shows_the_timeline_unit_due_date_and_reply_but_never_the_contact(pages):
    view = {
        **{k: v for k, v in OPINION.items() if k != "contact"},
        "status": "replied",
        "lead_unit": {"id": "hn-transport", "name": "海宁市交通运输局"},
        "due_date": "2026-12-14",
        "reply": {
            "unit": {"id": "hn-transport", "name": "海宁市交通运输局"},
            "text": "已修复顶棚。",
            "result_class": "A",
            "label": "已经解决或基本解决",
            "completed": True,
            "resolved": True,
            "replied_at": "2026-11-30T02:00:00Z",
        },
        "history": [
            {"status": "received", "at": "2026-11-23T02:00:00Z", "actor": "intake"},
            {"status": "assigned", "at": "2026-11-23T03:00:00Z", "actor": "station:x"},
            {"status": "replied", "at": "2026-11-30T02:00:00Z", "actor": "unit:hn-transport"},
        ],
    }
    pages.broker.answers[("intake", "public_view")] = lambda kw: view
    page = pages.browser().get("/track?code=7k3p-9xta-2mqd")
    assert page.status_code == 200
    assert pages.calls("public_view")[-1] == {"tracking_code": "7K3P-9XTA-2MQD"}
    for shown in ("海宁市交通运输局（主办）", "2026-12-14", "已修复顶棚。", "已交办", "2026-11-23 11:00"):
        assert shown in page.text, shown
    assert "138" not in page.text


def test_tracking_an_unknown_or_malformed_code_says_so_beside_the_field(pages):
    pages.broker.refusal = ServiceError(ErrorCode.NOT_FOUND, "no such item", "tracking_code")
    unknown = pages.browser().get("/track?code=7K3P-9XTA-2MQD")
    assert unknown.status_code == 404 and field_errors(unknown.text)["code"].startswith("没有找到")
    malformed = pages.browser().get("/track?code=hello")
    assert malformed.status_code == 422 and field_errors(malformed.text) == {"code": "查询编号格式不正确"}


def test_the_reception_schedule_lists_the_stations(pages):
    pages.broker.answers[("intake", "public_receptions")] = lambda kw: {"items": [], "next": None}
    page = pages.browser().get("/receptions?division=330481")
    assert page.status_code == 200 and "硖石街道人大代表联络站" in page.text and "张伟" in page.text
    bad = pages.browser().get("/receptions?division=33")
    assert bad.status_code == 422 and "division" in field_errors(bad.text)


def test_every_template_names_its_language_and_labels_its_fields():
    for template in Path("gateway/templates").rglob("*.html"):
        html = template.read_text(encoding="utf-8")
        for field_id in re.findall(r'<(?:input|select|textarea) id="([^"]+)"', html):
            assert f'for="{field_id}"' in html, (template, field_id)
    assert 'lang="zh-CN"' in Path("gateway/templates/base.html").read_text(encoding="utf-8")


def test_a_photo_stays_in_memory_on_the_read_only_filesystem(pages, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", "/nonexistent/read-only")  # a spool to disk would fail
    browser = pages.browser()
    token = csrf_of(browser.get(LANDING).text)
    photo = b"\x89PNG" + bytes(2 * 1024 * 1024)
    answer = browser.post(
        LANDING, data={"content": "路灯坏了", "csrf_token": token}, files=[("photos", ("a.png", photo, "image/png"))]
    )
    assert answer.status_code == 303 and pages.photos.uploads == [photo]


def test_a_body_larger_than_three_photos_is_refused_before_it_is_read(pages, monkeypatch):
    from gateway.pages import portal

    monkeypatch.setattr(portal, "MAX_SUBMISSION_BYTES", 64 * 1024)
    browser = pages.browser()
    token = csrf_of(browser.get(LANDING).text)
    files = [("photos", ("a.png", bytes(100 * 1024), "image/png"))]
    answer = browser.post(LANDING, data={"content": "路灯坏了", "csrf_token": token}, files=files)
    assert answer.status_code == 413 and "照片过大" in answer.text
    assert pages.photos.uploads == [] and pages.commands.sent == []


def test_the_station_answers_on_the_spot(pages):
    browser = pages.signed_in("xiashi", Role.STATION, "330481001")
    page = browser.get("/console/triage")
    form = {"text": "已当场解释政策，群众表示理解。", "expected_version": "3", "csrf_token": csrf_of(page.text)}
    answer = browser.post("/console/cases/7k3p-9xta-2mqd/answer-on-the-spot", data=form)
    assert answer.status_code == 303 and answer.headers["location"] == "/console/triage?done=7K3P-9XTA-2MQD"
    call = pages.calls("act_on_case")[-1]
    assert call["case_id"] == "7K3P-9XTA-2MQD" and call["action"] == "answer-on-the-spot"
    assert call["command"] == {"expected_version": 3, "text": form["text"], "result_class": "A"}


def test_failed_sign_ins_are_forgotten_once_they_can_no_longer_lock(tmp_path):
    """The failures' collection expires each record with the lock window, so an address that tried once
    is not kept for ever (a TTL index, which the embedded store applies as MongoDB does)."""
    client = EmbeddedClient(tmp_path / "data")
    database = client["gateway"]
    failures = database["signin_failures"]
    now = datetime.now(UTC)
    failures.insert_many([{"_id": "address:10.0.0.9", "count": 3, "since": now - LOCK_WINDOW - timedelta(minutes=1)}])
    failures.insert_one({"_id": "user:zhou", "count": 1, "since": now})
    store = StaffUserStore(AwaitableCollection(database["staff_users"]), AwaitableCollection(failures))

    asyncio.run(store.ensure_indexes())

    assert failures.index_information()["since_1"]["expireAfterSeconds"] == LOCK_WINDOW.total_seconds()
    assert [record["_id"] for record in failures.find({})] == ["user:zhou"]
    client.close()
