"""The administrator's directory pages: areas, liaison stations and deputies listed within the
administrator's scope (deactivated ones too), created, renamed, deactivated and reactivated through
the directory API's own route functions; bad input beside its field with what was typed kept;
printable QR codes of the active stations and deputies; every other role refused."""

import pytest

from contracts.vocabulary import Role
from tests.service.pages_harness import Pages, csrf_of
from tests.service.test_gateway_directory import AREA, DEPUTY, ENTRIES, STATION
from tests.service.test_gateway_pages import field_errors, value_of

RETIRED = {
    "area": {**AREA, "code": "330481001002", "name": "老街社区", "active": False},
    "station": {**STATION, "id": "old-station", "name": "旧联络站", "active": False},
    "deputy": {**DEPUTY, "id": "deputy-li-na", "name": "李娜", "active": False},
}
PLURALS = {"area": "areas", "station": "stations", "deputy": "deputies"}
FORMS = {
    "areas": {"level": "community", "code": "330481001003", "name": "新苑社区"},
    "stations": {
        "id": "haizhou-station",
        "name": "海洲街道联络站",
        "division": "330481002",
        "address": "",
        "reception_day": "",
    },
    "deputies": {
        "id": "deputy-wang-fang",
        "name": "王芳",
        "division": "330481001",
        "level": "township",
        "station_ids": "xiashi-station\nhaizhou-station",
    },
}
REGISTER = {"areas": "register_area", "stations": "register_station", "deputies": "register_deputy"}
ARGUMENT = {"areas": "area", "stations": "station", "deputies": "deputy"}


@pytest.fixture
def pages():
    pages = Pages()
    pages.app.state.platform.divisions.SERVED = {"330481", "330481001", "330481002", "330482"}
    answers = {
        "register_area": lambda kw: {**kw["area"], "active": True},
        "register_station": lambda kw: {**kw["station"], "active": True},
        "register_deputy": lambda kw: {**kw["deputy"], "active": True},
        "directory_entry": lambda kw: {**ENTRIES[kw["kind"]], "active": True},
        "update_entry": lambda kw: {**ENTRIES[kw["kind"]], "active": kw["changes"].get("active") is not False},
        "directory_entries": lambda kw: {
            "items": [{**ENTRIES[kw["kind"]], "active": True}, RETIRED[kw["kind"]]],
            "next": None,
        },
    }
    pages.broker.answers.update({("intake", name): answer for name, answer in answers.items()})
    return pages


def admin(pages, scope="330481"):
    return pages.signed_in("hn.admin", Role.ADMIN, scope)


def post(browser, url, fields, page="/console/admin/directory/stations"):
    token = csrf_of(browser.get(page).text)
    return browser.post(url, data={**fields, "csrf_token": token})


@pytest.mark.parametrize("kind", PLURALS)
def test_each_kind_is_listed_within_the_scope_with_deactivated_ones_marked(pages, kind):
    browser = admin(pages)
    page = browser.get(f"/console/admin/directory/{PLURALS[kind]}")
    assert page.status_code == 200
    assert ENTRIES[kind]["name"] in page.text and RETIRED[kind]["name"] in page.text
    assert "启用中" in page.text and "已停用" in page.text
    call = pages.calls("directory_entries")[-1]
    assert (call["kind"], call["division_prefix"], call["active"]) == (kind, "330481", None)


@pytest.mark.parametrize("plural", ["stations", "deputies"])
def test_an_active_receivers_qr_code_is_linked_for_printing_and_a_deactivated_ones_is_not(pages, plural):
    page = admin(pages).get(f"/console/admin/directory/{plural}").text
    kind = "station" if plural == "stations" else "deputy"
    active, retired = ENTRIES[kind], RETIRED[kind]
    assert f'href="/v1/public/{plural}/{active["id"]}/qr.svg"' in page
    assert f'href="/v1/public/{plural}/{active["id"]}/qr.png"' in page
    assert f"/v1/public/{plural}/{retired['id']}/qr" not in page


def test_the_qr_code_the_page_links_to_is_served(pages):
    browser = admin(pages)
    assert 'href="/v1/public/deputies/deputy-zhang-wei/qr.svg"' in browser.get("/console/admin/directory/deputies").text
    answer = browser.get("/v1/public/deputies/deputy-zhang-wei/qr.svg")
    assert answer.status_code == 200 and answer.headers["content-type"] == "image/svg+xml"


@pytest.mark.parametrize("plural", FORMS)
def test_creating_goes_through_the_directory_api(pages, plural):
    browser = admin(pages)
    done = post(browser, f"/console/admin/directory/{plural}", FORMS[plural])
    assert done.status_code == 303, done.text
    sent = pages.calls(REGISTER[plural])[-1][ARGUMENT[plural]]
    expected = {
        "areas": FORMS["areas"],
        "stations": {**FORMS["stations"], "address": "", "reception_day": ""},
        "deputies": {**FORMS["deputies"], "station_ids": ["xiashi-station", "haizhou-station"]},
    }[plural]
    assert sent == expected
    entry_id = FORMS[plural].get("id") or FORMS[plural]["code"]
    assert done.headers["location"] == f"/console/admin/directory/{plural}?done={entry_id}"
    assert f"已保存：{entry_id}" in browser.get(done.headers["location"]).text


@pytest.mark.parametrize(
    ("plural", "fields", "errors"),
    [
        ("stations", {**FORMS["stations"], "division": "3304"}, {"division": "行政区划代码应为 6、9 或 12 位数字"}),
        ("stations", {**FORMS["stations"], "division": "330482001"}, {"division": "超出管辖范围"}),
        ("areas", {**FORMS["areas"], "code": "330481001"}, {"code": "社区的区划代码应为 12 位数字"}),
        (
            "deputies",
            {**FORMS["deputies"], "name": "", "station_ids": ""},
            {"name": "此项必填", "station_ids": "此项必填"},
        ),
        ("deputies", {**FORMS["deputies"], "id": "Wang Fang"}, {"id": "格式不正确"}),
    ],
)
def test_bad_input_is_shown_beside_its_field_with_what_was_typed_and_nothing_is_created(pages, plural, fields, errors):
    browser = admin(pages)
    refused = post(browser, f"/console/admin/directory/{plural}", fields)
    assert refused.status_code == 422
    shown = field_errors(refused.text)
    assert set(shown) == set(errors), shown
    assert all(shown[name].startswith(message) for name, message in errors.items()), shown
    create_form = refused.text.split('id="create-title"')[1]
    for name, value in fields.items():
        if value and name != "level":
            assert value_of(create_form, name) == value, name
    assert not any(pages.calls(method) for method in REGISTER.values())


def test_the_bootstrap_administrator_may_not_place_an_entry_in_a_county_the_platform_does_not_serve(pages):
    refused = post(
        admin(pages, scope=""), "/console/admin/directory/stations", {**FORMS["stations"], "division": "330483001"}
    )
    assert refused.status_code == 422
    assert field_errors(refused.text)["division"].startswith("未知的行政区划")
    assert pages.calls("register_station") == []


def test_another_countys_list_is_a_403_page(pages):
    browser = admin(pages)
    answer = browser.get("/console/admin/directory/stations?division=330482")
    assert answer.status_code == 403 and "超出管辖范围" in answer.text
    assert pages.calls("directory_entries") == []


@pytest.mark.parametrize(
    ("fields", "changes"),
    [
        ({"name": "硖石联络站"}, {"name": "硖石联络站"}),
        ({"active": "no"}, {"active": False}),
        ({"active": "yes"}, {"active": True}),
    ],
)
def test_renaming_deactivating_and_reactivating_go_through_the_directory_api(pages, fields, changes):
    browser = admin(pages)
    done = post(browser, "/console/admin/directory/stations/xiashi-station", fields)
    assert done.status_code == 303 and done.headers["location"].endswith("?done=xiashi-station")
    call = pages.calls("update_entry")[-1]
    assert (call["kind"], call["entry_id"]) == ("station", "xiashi-station")
    assert {name: value for name, value in call["changes"].items() if value is not None} == changes


def test_an_empty_name_is_refused_beside_the_rows_name_field(pages):
    refused = post(admin(pages), "/console/admin/directory/stations/xiashi-station", {"name": "  "})
    assert refused.status_code == 422 and field_errors(refused.text) == {"name": "此项必填"}
    assert 'aria-invalid="true"' in refused.text.split('id="rename-xiashi-station"')[1].split(">")[0]
    assert pages.calls("update_entry") == []


def test_an_entry_of_another_county_is_not_changed(pages):
    pages.broker.answers[("intake", "directory_entry")] = lambda kw: {**STATION, "division": "330482001"}
    refused = post(admin(pages), "/console/admin/directory/stations/xiashi-station", {"active": "no"})
    assert refused.status_code == 422 and "超出管辖范围" in refused.text
    assert pages.calls("update_entry") == []


def test_a_form_without_its_csrf_token_is_refused(pages):
    browser = admin(pages)
    answer = browser.post("/console/admin/directory/stations", data=FORMS["stations"])
    assert answer.status_code == 403 and "防伪造令牌" in answer.text
    answer = browser.post("/console/admin/directory/stations/xiashi-station", data={"active": "no"})
    assert answer.status_code == 403
    assert pages.calls("register_station") == [] and pages.calls("update_entry") == []


@pytest.mark.parametrize("role", [Role.STATION, Role.SUPERVISOR, Role.DEPUTY])
def test_only_an_administrator_uses_the_directory_pages(pages, role):
    browser = pages.signed_in("someone", role, "330481")
    page = browser.get("/console/admin/directory/stations")
    assert page.status_code == 403 and "无权访问此页面" in page.text
    token = csrf_of(browser.get("/console/password").text)
    answer = browser.post("/console/admin/directory/stations", data={**FORMS["stations"], "csrf_token": token})
    assert answer.status_code == 403 and pages.calls("register_station") == []
    answer = browser.post(
        "/console/admin/directory/stations/xiashi-station", data={"active": "no", "csrf_token": token}
    )
    assert answer.status_code == 403 and pages.calls("update_entry") == []


def test_the_administrators_console_links_to_the_directory_and_api_keys(pages):
    browser = admin(pages)
    home = browser.get("/console/admin/directory")
    assert home.status_code == 303 and home.headers["location"] == "/console/admin/directory/areas"
    page = browser.get("/console/admin/users").text
    assert 'href="/console/admin/directory"' in page and 'href="/console/admin/api-keys"' in page
