"""The administrator's set-up forms: divisions, categories, units, routing rules and calendar days,
each through the admin API's own route function (its checks and scope rule); bad input beside its
field, what was typed kept, nothing saved; every other role refused."""

import pytest

from contracts.vocabulary import Role
from tests.service.pages_harness import Pages, csrf_of
from tests.service.test_gateway_pages import field_errors

VALID = {
    "division": ({"code": "330481002", "name": "海洲街道"}, None),
    "categories": ({"division": "330481", "names": "道路交通\n加装电梯、其他"}, ("set_categories", "categories")),
    "unit": ({"id": "hn-housing", "division": "330481", "name": "海宁市住建局"}, ("register_unit", "unit")),
    "rule": (
        {
            "division": "330481",
            "keywords": "公交，站台",
            "categories": "",
            "triage": "assign",
            "lead_unit": "hn-transport",
        },
        ("add_rule", "rule"),
    ),
    "calendar": (
        {"division": "330481", "day": "2026-12-31", "workday": "no", "reason": "防汛调休"},
        ("set_calendar_day", "day"),
    ),
}


@pytest.fixture
def pages():
    pages = Pages()
    pages.broker.answers.update(
        {
            ("routing", "list_rules"): lambda kw: [],
            ("intake", "set_categories"): lambda kw: {**kw["categories"], "division": "330481", "defined_at": "330481"},
            ("routing", "register_unit"): lambda kw: kw["unit"],
            ("routing", "add_rule"): lambda kw: {**kw["rule"], "id": "01RULE"},
        }
    )
    return pages


def admin(pages, scope="330481"):
    return pages.signed_in("hn.admin", Role.ADMIN, scope)


def save(browser, form_name, fields):
    token = csrf_of(browser.get("/console/admin/setup").text)
    return browser.post(f"/console/admin/setup/{form_name}", data={**fields, "csrf_token": token})


@pytest.mark.parametrize("form_name", VALID)
def test_each_form_saves_through_the_admin_api(pages, form_name):
    browser = admin(pages)
    fields, call = VALID[form_name]
    done = save(browser, form_name, fields)
    assert done.status_code == 303, done.text
    assert done.headers["location"] == f"/console/admin/setup?done={form_name}"
    assert "已保存" in browser.get(done.headers["location"]).text
    if call:
        method, argument = call
        sent = pages.calls(method)[-1][argument]
        expected = {
            "categories": {"names": ["道路交通", "加装电梯", "其他"]},
            "unit": {"id": "hn-housing", "division": "330481", "name": "海宁市住建局", "parent": None, "contacts": []},
            "calendar": {"division": "330481", "day": "2026-12-31", "workday": False, "reason": "防汛调休"},
        }.get(form_name)
        if expected:
            assert sent == expected
        else:
            assert sent["keywords"] == ["公交", "站台"] and sent["lead_unit"] == "hn-transport"
    else:
        assert "330481002" in pages.app.state.platform.divisions.SERVED


@pytest.mark.parametrize(
    ("form_name", "fields", "errors"),
    [
        ("division", {"code": "3304", "name": "某地"}, {"code": "行政区划代码不正确"}),
        ("division", {"code": "330481002", "name": ""}, {"name": "此项必填"}),
        ("categories", {"division": "330481", "names": ""}, {"names": "至少 1 项"}),
        ("unit", {"id": "hn-housing", "division": "330481", "name": ""}, {"name": "此项必填"}),
        ("unit", {"id": "hn-housing", "division": "330481099", "name": "某局"}, {"division": "未知的行政区划"}),
        ("rule", {"division": "330481", "triage": "assign", "lead_unit": ""}, {"lead_unit": ""}),
        ("calendar", {"division": "330481", "day": "明天", "workday": "no", "reason": "调休"}, {"day": "请填写日期"}),
    ],
)
def test_bad_input_is_shown_beside_its_field_and_nothing_is_saved(pages, form_name, fields, errors):
    browser = admin(pages)
    refused = save(browser, form_name, fields)
    assert refused.status_code == 422
    shown = field_errors(refused.text)
    assert set(shown) == set(errors), shown
    assert all(shown[name].startswith(message) for name, message in errors.items()), shown
    for name, value in fields.items():
        if value and name not in ("triage", "workday", "lead_unit"):
            assert f'value="{value}"' in refused.text or f">{value}</textarea>" in refused.text, name
    assert not any(
        pages.calls(method) for method in ("set_categories", "register_unit", "add_rule", "set_calendar_day")
    )


def test_a_division_outside_the_administrators_scope_is_refused_and_not_saved(pages):
    browser = admin(pages)
    refused = save(browser, "unit", {"id": "ph-housing", "division": "330482", "name": "平湖市住建局"})
    assert refused.status_code == 422 and field_errors(refused.text)["division"].startswith("超出管辖范围")
    assert pages.calls("register_unit") == []
    assert browser.get("/console/admin/setup?division=330482").status_code == 403


@pytest.mark.parametrize("role", [role for role in Role if role not in (Role.ADMIN, Role.CITIZEN, Role.COUNTY_SYSTEM)])
def test_only_an_administrator_uses_the_set_up_forms(pages, role):
    unit = "hn-transport" if role is Role.HANDLER else None
    browser = pages.signed_in("someone", role, "330481", unit=unit)
    assert browser.get("/console/admin/setup").status_code == 403
    token = csrf_of(browser.get("/console/password").text)
    answer = browser.post("/console/admin/setup/unit", data={**VALID["unit"][0], "csrf_token": token})
    assert answer.status_code == 403 and pages.calls("register_unit") == []
