"""One case's console page: the unit returns, records progress and meetings, gives co-opinions and asks
for an extension; the station escalates and merges. Each under the API route's role rule, as the
signed-in user's actor (whose scope and unit the routing service applies), with bad input beside its
field and nothing sent."""

import pytest

from contracts.errors import ErrorCode, ServiceError
from contracts.vocabulary import Role
from tests.service.pages_harness import Pages, csrf_of
from tests.service.test_gateway_pages import field_errors, value_of
from tests.service.test_gateway_routers import CASE

CASE_ID = CASE["case_id"]
PAGE = f"/console/cases/{CASE_ID}"
HANDLER_ACTOR = {"key_id": "user:jt", "role": "handler", "scope": "330481", "label": "jt", "unit": "hn-transport"}

VALID = {
    "return": ({"reason": "不属于本单位职责"}, {"reason": "不属于本单位职责"}),
    "record-progress": ({"note": "已现场查看"}, {"note": "已现场查看"}),
    "record-meeting": (
        {
            "stage": "during",
            "on": "2026-11-24",
            "form": "现场察看",
            "participants": "交通局 王科长\r\n 张伟代表 \r\n",
            "met": "deputy",
            "met_name": "",
        },
        {
            "stage": "during",
            "on": "2026-11-24",
            "form": "现场察看",
            "participants": ["交通局 王科长", "张伟代表"],
            "met": "deputy",
            "met_name": None,
        },
    ),
    "co-opinion": ({"text": "同意主办单位方案"}, {"text": "同意主办单位方案"}),
    "request-extension": (
        {"reason": "需等待规划批复", "working_days": "10"},
        {"reason": "需等待规划批复", "working_days": 10, "months": None},
    ),
    "escalate": ({"reason": "涉及多个镇街"}, {"reason": "涉及多个镇街"}),
    "merge": ({"primary": "7K3P-9XTA-2MQX"}, {"primary": "7K3P-9XTA-2MQX"}),
}
UNIT_ACTIONS = ("return", "record-progress", "record-meeting", "co-opinion", "request-extension")
STATION_ACTIONS = ("escalate", "merge")


@pytest.fixture
def pages():
    return Pages()


def user_of(pages, role: Role):
    if role is Role.HANDLER:
        return pages.signed_in("jt", Role.HANDLER, "330481", unit="hn-transport")
    return pages.signed_in(role.value, role, "330481001")


def post(browser, action: str, fields: dict):
    page = browser.get(PAGE)
    token = csrf_of(page.text) if page.status_code == 200 else csrf_of(browser.get("/console/password").text)
    return browser.post(f"{PAGE}/{action}", data={**fields, "expected_version": "1", "csrf_token": token})


def test_the_unit_sees_the_case_with_its_records_and_only_its_own_actions(pages):
    detail = {
        **CASE,
        "content": "文苑路公交站台的顶棚坏了",
        "status": "accepted",
        "meetings": [
            {
                "actor": "unit:hn-transport",
                "stage": "before",
                "on": "2026-11-24",
                "form": "面对面座谈",
                "participants": ["王科长"],
                "met": "deputy",
                "recorded_at": "2026-11-24T02:00:00Z",
            }
        ],
        "progress": [{"actor": "unit:hn-transport", "note": "已现场查看", "at": "2026-11-24T03:00:00Z"}],
    }
    pages.broker.answers[("routing", "case_detail")] = lambda kw: detail
    page = user_of(pages, Role.HANDLER).get(PAGE)
    assert page.status_code == 200
    call = pages.calls("case_detail")[-1]
    assert call["case_id"] == CASE_ID and call["actor"].items() >= HANDLER_ACTOR.items()
    for shown in ("文苑路公交站台的顶棚坏了", "面对面座谈", "已现场查看", "办理前"):
        assert shown in page.text, shown
    for action in UNIT_ACTIONS:
        assert f'action="{PAGE}/{action}"' in page.text
    for action in STATION_ACTIONS:
        assert f'action="{PAGE}/{action}"' not in page.text
    station_page = user_of(pages, Role.STATION).get(PAGE)
    assert all(f'action="{PAGE}/{action}"' in station_page.text for action in STATION_ACTIONS)
    assert not any(f'action="{PAGE}/{action}"' in station_page.text for action in UNIT_ACTIONS)


@pytest.mark.parametrize("action", VALID)
def test_each_action_sends_the_apis_command_as_the_users_actor(pages, action):
    role = Role.STATION if action in STATION_ACTIONS else Role.HANDLER
    browser = user_of(pages, role)
    fields, command = VALID[action]
    done = post(browser, action, fields)
    assert done.status_code == 303 and done.headers["location"] == f"{PAGE}?done={action}"
    call = pages.calls("act_on_case")[-1]
    assert call["case_id"] == CASE_ID and call["action"] == action
    assert call["command"] == {**command, "expected_version": 1}
    assert call["actor"]["role"] == role.value
    assert "已完成" in browser.get(done.headers["location"]).text


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.HANDLER, set(UNIT_ACTIONS) | {"escalate"}),  # the API lets a unit escalate too
        (Role.STATION, set(STATION_ACTIONS)),
        (Role.DEPUTY, set()),
        (Role.SUPERVISOR, set()),
        (Role.INFO_OFFICER, set()),
    ],
)
def test_every_role_may_take_only_the_actions_the_api_allows_it(pages, role, allowed):
    browser = user_of(pages, role)
    for action, (fields, _) in VALID.items():
        answer = post(browser, action, fields)
        expected = 303 if action in allowed else 403
        assert answer.status_code == expected, (role, action, answer.status_code)
        if expected == 403:
            assert "无权访问此页面" in answer.text and "<html" in answer.text
    assert {call["action"] for call in pages.calls("act_on_case")} == allowed


def test_a_case_outside_the_users_scope_or_unit_answers_404_as_a_page(pages):
    def hidden(kwargs):
        raise ServiceError(ErrorCode.NOT_FOUND, "no such case", "case_id")

    pages.broker.answers[("routing", "case_detail")] = hidden
    answer = user_of(pages, Role.HANDLER).get(PAGE)
    assert answer.status_code == 404 and "未找到该事项" in answer.text and "<html" in answer.text


def test_an_action_refused_by_routing_for_scope_changes_nothing_and_says_so(pages):
    def refuse(kwargs):
        raise ServiceError(ErrorCode.FORBIDDEN, "不是本单位的事项", "case_id")

    pages.broker.answers[("routing", "act_on_case")] = refuse
    answer = post(user_of(pages, Role.HANDLER), "record-progress", {"note": "已现场查看"})
    assert answer.status_code == 422 and "不是本单位的事项" in answer.text
    assert value_of(answer.text, "note") == "已现场查看"


@pytest.mark.parametrize(
    ("action", "fields", "errors"),
    [
        ("return", {"reason": "  "}, {"reason": "此项必填"}),
        ("record-progress", {"note": ""}, {"note": "此项必填"}),
        (
            "record-meeting",
            {"stage": "later", "on": "明天", "form": "座谈", "participants": "", "met": "deputy"},
            {"stage": "请从列表中选择", "on": "请填写日期", "participants": "此项必填"},
        ),
        ("request-extension", {"reason": "需等待批复", "working_days": "90"}, {"working_days": "不能大于 60"}),
        ("co-opinion", {"text": "意" * 5001}, {"text": "内容太长（最多 5000 个字）"}),
    ],
)
def test_bad_input_is_shown_beside_its_field_kept_and_nothing_is_sent(pages, action, fields, errors):
    answer = post(user_of(pages, Role.HANDLER), action, fields)
    assert answer.status_code == 422
    shown = field_errors(answer.text)
    assert {name: shown.get(name, "")[: len(message)] for name, message in errors.items()} == errors
    assert set(shown) == set(errors)
    for name, value in fields.items():
        if value.strip() and name not in ("stage", "met"):
            assert f"{value}</textarea>" in answer.text or f'value="{value}"' in answer.text, name
    assert pages.calls("act_on_case") == []


def test_an_action_without_the_forms_token_is_refused(pages):
    browser = user_of(pages, Role.HANDLER)
    answer = browser.post(f"{PAGE}/record-progress", data={"note": "x", "csrf_token": "forged"})
    assert answer.status_code == 403 and pages.calls("act_on_case") == []


def test_an_unknown_action_is_a_404_page(pages):
    assert post(user_of(pages, Role.HANDLER), "sign-off", {}).status_code == 404
