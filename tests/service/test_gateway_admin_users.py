"""Console users listed and disabled by an administrator: the API (`GET /v1/admin/users`,
`POST /v1/admin/users/{username}/disable`) under its role and scope rules, and the console page over
it. A disabled user can no longer sign in, and its open session ends."""

import pytest

from contracts.vocabulary import Role
from tests.service.pages_harness import PASSWORD, Pages, csrf_of, sign_in
from tests.service.test_gateway_routers import Gateway


@pytest.fixture
def pages():
    pages = Pages()
    pages.user("xiashi", Role.STATION, "330481001")
    pages.user("jt", Role.HANDLER, "330481", unit="hn-transport")
    pages.user("pinghu", Role.STATION, "330482001")
    return pages


@pytest.fixture
def gateway(pages):
    gateway = Gateway()
    gateway.app.state.platform = pages.app.state.platform
    return gateway


def stored(pages, username):
    return pages.users.users._collection.find_one({"_id": username})


def test_an_administrator_lists_the_users_of_its_scope_without_their_passwords(gateway):
    answer = gateway.request("GET", "/v1/admin/users", Role.ADMIN, scope="330481")
    assert answer.status_code == 200
    listed = answer.json()
    assert [user["username"] for user in listed] == ["jt", "xiashi"]
    assert listed[1] == {
        "username": "xiashi",
        "role": "station",
        "scope": "330481001",
        "label": "xiashi",
        "unit": None,
        "deputy": None,
        "must_change_password": False,
        "disabled_at": None,
    }
    assert "hash" not in answer.text and "argon2" not in answer.text
    everyone = gateway.request("GET", "/v1/admin/users", Role.ADMIN, scope="").json()
    assert [user["username"] for user in everyone] == ["jt", "pinghu", "xiashi"]


@pytest.mark.parametrize("role", [role for role in Role if role is not Role.ADMIN])
def test_only_an_administrator_lists_or_disables_users(gateway, pages, role):
    assert gateway.request("GET", "/v1/admin/users", role).status_code == 403
    assert gateway.request("POST", "/v1/admin/users/xiashi/disable", role).status_code == 403
    assert stored(pages, "xiashi").get("disabled_at") is None


def test_disabling_a_user_stops_its_sign_in_and_ends_its_session(gateway, pages):
    browser = pages.browser()
    assert sign_in(browser, "xiashi", PASSWORD).status_code == 303
    assert browser.get("/console").status_code == 200
    answer = gateway.request("POST", "/v1/admin/users/xiashi/disable", Role.ADMIN, scope="330481")
    assert answer.status_code == 200 and answer.json()["disabled_at"] is not None
    assert browser.get("/console").status_code == 303  # the session ended: back to sign-in
    assert sign_in(pages.browser(), "xiashi", PASSWORD).status_code != 303
    again = gateway.request("POST", "/v1/admin/users/xiashi/disable", Role.ADMIN, scope="330481")
    assert again.status_code == 200 and again.json()["disabled_at"] == answer.json()["disabled_at"]


def test_a_user_outside_the_scope_unknown_or_oneself_is_refused_and_nothing_changes(gateway, pages):
    outside = gateway.request("POST", "/v1/admin/users/pinghu/disable", Role.ADMIN, scope="330481")
    assert outside.status_code == 403 and outside.json()["field"] == "username"
    unknown = gateway.request("POST", "/v1/admin/users/nobody/disable", Role.ADMIN, scope="330481")
    assert unknown.status_code == 404 and unknown.json()["title"] == "用户不存在"
    malformed = gateway.request("POST", "/v1/admin/users/Bad Name/disable", Role.ADMIN, scope="330481")
    assert malformed.status_code == 422
    assert stored(pages, "pinghu").get("disabled_at") is None


def test_the_console_lists_users_and_disables_one_but_never_oneself(pages):
    admin = pages.signed_in("root.admin", Role.ADMIN, "330481")
    page = admin.get("/console/admin/users")
    assert page.status_code == 200
    assert 'id="user-xiashi"' in page.text and 'id="user-pinghu"' not in page.text
    assert 'action="/console/admin/users/root.admin/disable"' not in page.text
    token = csrf_of(page.text)
    done = admin.post("/console/admin/users/xiashi/disable", data={"csrf_token": token})
    assert done.status_code == 303 and stored(pages, "xiashi")["disabled_at"] is not None
    assert "已停用" in admin.get(done.headers["location"]).text
    self_disable = admin.post("/console/admin/users/root.admin/disable", data={"csrf_token": token})
    assert self_disable.status_code == 409 and "不能停用自己的账号" in self_disable.text
    outside = admin.post("/console/admin/users/pinghu/disable", data={"csrf_token": token})
    assert outside.status_code == 403 and stored(pages, "pinghu").get("disabled_at") is None
    pages.user("hn.transport", Role.HANDLER, "330481", unit="hn-transport")
    forged = admin.post("/console/admin/users/hn.transport/disable", data={"csrf_token": "forged"})
    assert forged.status_code == 403 and stored(pages, "hn.transport").get("disabled_at") is None


def test_the_console_list_is_the_administrators_only(pages):
    station = pages.signed_in("other.station", Role.STATION, "330481001")
    assert station.get("/console/admin/users").status_code == 403
