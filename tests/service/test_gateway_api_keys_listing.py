"""API keys: `GET /v1/admin/api-keys` lists the keys of the administrator's scope (the bootstrap key's:
every key), never a key or its hash; the console's page lists, issues (the key shown once) and revokes
through the admin API's own route functions."""

import asyncio
import re

import mongomock
import pytest

from contracts.vocabulary import Role
from gateway.api_keys import ApiKeyStore
from gateway.db import AwaitableCollection
from tests.service.pages_harness import Pages, csrf_of
from tests.service.test_gateway_pages import field_errors, value_of
from tests.service.test_gateway_routers import Gateway

KEYS = [
    (Role.SUPERVISOR, "330481", "海宁市人大常委会代表工委", None),
    (Role.HANDLER, "330481", "海宁市交通运输局 办理员", "hn-transport"),
    (Role.STATION, "330481001", "硖石街道联络站", None),
    (Role.SUPERVISOR, "330482", "平湖市人大常委会代表工委", None),
]
BOOTSTRAP_KEY = "rdk_bootstrap_secret_for_tests"


def key_store() -> tuple[ApiKeyStore, list[str]]:
    """A real store on an in-memory database: the bootstrap key and one key per row of `KEYS`."""
    store = ApiKeyStore(AwaitableCollection(mongomock.MongoClient()["gateway"]["api_keys"]), "pepper")

    async def fill():
        await store.bootstrap(BOOTSTRAP_KEY)
        return [(await store.issue(role, scope, label, unit))[1] for role, scope, label, unit in KEYS]

    return store, asyncio.run(fill())


def hashes(store: ApiKeyStore) -> list[str]:
    return [record["key_hash"] for record in store.keys._collection.find()]


@pytest.fixture
def gateway():
    gateway = Gateway()
    gateway.api_keys, gateway.secrets = key_store()
    return gateway


def test_a_county_administrator_lists_the_keys_of_its_county_only(gateway):
    answer = gateway.request("GET", "/v1/admin/api-keys", Role.ADMIN, scope="330481")
    assert answer.status_code == 200
    in_county = {label for _, scope, label, _ in KEYS if scope.startswith("330481")}
    assert {key["label"] for key in answer.json()} == in_county
    handler = next(key for key in answer.json() if key["label"] == "海宁市交通运输局 办理员")
    assert set(handler) == {"id", "role", "scope", "label", "unit", "deputy_id", "created_at", "revoked_at"}
    assert (handler["role"], handler["unit"], handler["revoked_at"]) == ("handler", "hn-transport", None)
    township = gateway.request("GET", "/v1/admin/api-keys", Role.ADMIN, scope="330481001").json()
    assert [key["label"] for key in township] == ["硖石街道联络站"]


def test_the_bootstrap_key_sees_every_key_and_none_shows_a_secret_or_hash(gateway):
    answer = gateway.request("GET", "/v1/admin/api-keys", Role.ADMIN, scope="")
    labels = [key["label"] for key in answer.json()]
    assert sorted(labels) == sorted([label for _, _, label, _ in KEYS] + ["bootstrap admin"])
    for secret in [*gateway.secrets, BOOTSTRAP_KEY, *hashes(gateway.api_keys)]:
        assert secret not in answer.text
    assert "key_hash" not in answer.text and '"key"' not in answer.text


def test_a_revoked_key_is_listed_with_when(gateway):
    key_id = gateway.request("GET", "/v1/admin/api-keys", Role.ADMIN).json()[0]["id"]
    assert gateway.request("DELETE", f"/v1/admin/api-keys/{key_id}", Role.ADMIN).status_code == 204
    first = gateway.request("GET", "/v1/admin/api-keys", Role.ADMIN).json()[0]
    assert first["id"] == key_id and first["revoked_at"].startswith("20")


def test_the_list_is_paged_with_a_next_link(gateway):
    first = gateway.request("GET", "/v1/admin/api-keys?limit=2", Role.ADMIN, scope="")
    link = re.fullmatch(r'<(/v1/admin/api-keys\?limit=2&after=[^>]+)>; rel="next"', first.headers["link"])
    second = gateway.request("GET", link.group(1), Role.ADMIN, scope="")
    third = gateway.request("GET", re.match(r"<([^>]+)>", second.headers["link"]).group(1), Role.ADMIN, scope="")
    ids = [key["id"] for page in (first, second, third) for key in page.json()]
    assert len(ids) == len(set(ids)) == len(KEYS) + 1 and "link" not in third.headers


@pytest.mark.parametrize("role", [role for role in Role if role is not Role.ADMIN])
def test_every_other_role_is_refused(gateway, role):
    answer = gateway.request("GET", "/v1/admin/api-keys", role, scope="")
    assert answer.status_code == 403 and answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["field"] == "role"


def test_a_bad_cursor_or_limit_names_its_field(gateway):
    answer = gateway.request("GET", "/v1/admin/api-keys?limit=0", Role.ADMIN)
    assert answer.status_code == 422 and answer.json()["field"] == "limit"
    answer = gateway.request("GET", "/v1/admin/api-keys?after=not%20a%20cursor", Role.ADMIN)
    assert answer.status_code == 422 and answer.json()["field"] == "after"


def test_the_listing_is_documented_with_its_model_and_errors(gateway):
    operation = gateway.app.openapi()["paths"]["/v1/admin/api-keys"]["get"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["items"]["$ref"].endswith("/ApiKeyView")
    assert {"401", "403", "422"} <= set(operation["responses"]) and "Link" in operation["responses"]["200"]["headers"]
    view = gateway.app.openapi()["components"]["schemas"]["ApiKeyView"]["properties"]
    assert "key" not in view and "key_hash" not in view


# ---- the console's page


@pytest.fixture
def pages():
    pages = Pages()
    pages.app.state.platform.api_keys, pages.secrets = key_store()
    return pages


def admin(pages, scope="330481"):
    return pages.signed_in("hn.admin", Role.ADMIN, scope)


def issue(browser, fields):
    token = csrf_of(browser.get("/console/admin/api-keys").text)
    return browser.post("/console/admin/api-keys", data={**fields, "csrf_token": token})


def test_the_page_lists_the_keys_in_scope_without_secrets_or_hashes(pages):
    page = admin(pages).get("/console/admin/api-keys")
    assert page.status_code == 200
    assert "海宁市交通运输局 办理员" in page.text and "硖石街道联络站" in page.text
    assert "平湖市人大常委会代表工委" not in page.text and "bootstrap admin" not in page.text
    for secret in [*pages.secrets, BOOTSTRAP_KEY, *hashes(pages.app.state.platform.api_keys)]:
        assert secret not in page.text


def test_a_new_key_is_shown_once_with_a_warning(pages):
    browser = admin(pages)
    answer = issue(browser, {"role": "county_system", "scope": "330481", "label": "海宁市12345热线"})
    assert answer.status_code == 200
    secret = re.search(r'id="new-key" type="text" value="(rdk_[^"]+)"', answer.text).group(1)
    assert "只显示这一次" in answer.text and answer.headers["cache-control"] == "no-store"
    assert pages.app.state.platform.api_keys.hash(secret) in hashes(pages.app.state.platform.api_keys)
    listing = browser.get("/console/admin/api-keys").text
    assert "海宁市12345热线" in listing and secret not in listing


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"role": "supervisor", "scope": "3304", "label": "督查室"}, {"scope": "行政区划代码应为 6、9 或 12 位数字"}),
        ({"role": "supervisor", "scope": "330482", "label": "督查室"}, {"scope": "超出管辖范围"}),
        ({"role": "supervisor", "scope": "330481", "label": ""}, {"label": "此项必填"}),
        (
            {"role": "supervisor", "scope": "330481", "label": "督查室", "unit": "hn-transport"},
            {"unit": "只有承办单位的密钥可以指定单位"},
        ),
    ],
)
def test_bad_input_is_shown_beside_its_field_with_what_was_typed_and_no_key_is_issued(pages, fields, errors):
    browser = admin(pages)
    refused = issue(browser, fields)
    assert refused.status_code == 422
    shown = field_errors(refused.text)
    assert set(shown) == set(errors) and all(shown[name].startswith(text) for name, text in errors.items()), shown
    for name, value in fields.items():
        if name != "role":
            assert value_of(refused.text, name) == value, name
    assert 'value="supervisor" selected' in refused.text and "new-key" not in refused.text
    assert len(hashes(pages.app.state.platform.api_keys)) == len(KEYS) + 1


def test_revoking_from_the_page_marks_the_key_revoked(pages):
    browser = admin(pages)
    page = browser.get("/console/admin/api-keys").text
    key_id = re.search(r'action="/console/admin/api-keys/([^/]+)/revoke"', page).group(1)
    done = browser.post(f"/console/admin/api-keys/{key_id}/revoke", data={"csrf_token": csrf_of(page)})
    assert done.status_code == 303 and done.headers["location"] == f"/console/admin/api-keys?done={key_id}"
    row = browser.get(done.headers["location"]).text.split(f'id="key-{key_id}"')[1].split("</tr>")[0]
    assert "已吊销" in row and "/revoke" not in row


def test_a_key_of_another_county_is_not_revoked(pages):
    store = pages.app.state.platform.api_keys
    other = asyncio.run(store.listed("330482", 10)).items[0]["_id"]
    browser = admin(pages)
    token = csrf_of(browser.get("/console/admin/api-keys").text)
    refused = browser.post(f"/console/admin/api-keys/{other}/revoke", data={"csrf_token": token})
    assert refused.status_code == 404 and "没有这个密钥" in refused.text
    assert asyncio.run(store.get(other)).get("revoked_at") is None


def test_a_form_without_its_csrf_token_is_refused(pages):
    browser = admin(pages)
    answer = browser.post("/console/admin/api-keys", data={"role": "supervisor", "scope": "330481", "label": "督查室"})
    assert answer.status_code == 403 and "防伪造令牌" in answer.text
    key_id = asyncio.run(pages.app.state.platform.api_keys.listed("330481", 1)).items[0]["_id"]
    assert browser.post(f"/console/admin/api-keys/{key_id}/revoke", data={}).status_code == 403
    assert len(hashes(pages.app.state.platform.api_keys)) == len(KEYS) + 1
    assert asyncio.run(pages.app.state.platform.api_keys.get(key_id)).get("revoked_at") is None


@pytest.mark.parametrize("role", [Role.STATION, Role.SUPERVISOR, Role.HANDLER])
def test_only_an_administrator_uses_the_api_keys_page(pages, role):
    browser = pages.signed_in("someone", role, "330481", unit="hn-transport" if role is Role.HANDLER else None)
    page = browser.get("/console/admin/api-keys")
    assert page.status_code == 403 and "无权访问此页面" in page.text
    token = csrf_of(browser.get("/console/password").text)
    answer = browser.post(
        "/console/admin/api-keys", data={"role": "admin", "scope": "330481", "label": "x", "csrf_token": token}
    )
    assert answer.status_code == 403 and len(hashes(pages.app.state.platform.api_keys)) == len(KEYS) + 1
