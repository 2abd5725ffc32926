"""The triage page's further station work: a queued case's near-duplicate group with the form that
merges it (as `POST /v1/opinion-groups/{id}/merge`), and escalating, closing, consulting and the
joint meeting (as `POST /v1/cases/{id}/<action>`), under the API routes' role rules, as the signed-in
user's actor, with bad input beside its field, what was typed kept and nothing sent."""

import pytest

from contracts.errors import ErrorCode, ServiceError
from contracts.vocabulary import Role
from tests.service.pages_harness import PASSWORD, QUEUED, Pages, csrf_of, sign_in
from tests.service.test_gateway_pages import field_errors, value_of

CASE_ID = QUEUED["case_id"]
GROUP_ID = "01JDQ8M5V6X4T2R9K7W3B1N0PZ"
OTHER = "7K3P-9XTA-2MQE"
STAMP = "2026-11-23T02:00:00Z"
GROUP = {
    "group_id": GROUP_ID,
    "division": "330481001",
    "size": 2,
    "terms": ["文苑路", "顶棚"],
    "members": [
        {
            "tracking_code": CASE_ID,
            "case_number": QUEUED["case_number"],
            "excerpt": "文苑路公交站台的顶棚坏了",
            "submitted_at": STAMP,
            "status": "triaged",
        },
        {
            "tracking_code": OTHER,
            "case_number": "330481-2026-000130",
            "excerpt": "文苑路站台顶棚漏雨，等车都淋湿了",
            "submitted_at": STAMP,
            "status": "triaged",
        },
    ],
    "created_at": STAMP,
    "updated_at": STAMP,
    "version": 1,
}
JOINT = {
    "level": "joint",
    "needs_meeting": True,
    "proposed_lead": {"id": "hn-transport", "name": "海宁市交通运输局"},
    "proposed_co_units": [{"id": "hn-housing", "name": "海宁市住房和城乡建设局"}],
}
UNITS = [
    {"id": "hn-transport", "name": "海宁市交通运输局", "division": "330481", "contacts": []},
    {"id": "hn-housing", "name": "海宁市住房和城乡建设局", "division": "330481", "contacts": []},
]
BACK = "/console/triage?division=330481001"
ACTIONS = {
    "escalate": ({"reason": "涉及多个镇街"}, {"reason": "涉及多个镇街"}),
    "close": ({"reason": "重复反映，已销号"}, {"reason": "重复反映，已销号"}),
    "consult": (
        {"units": ["hn-transport", "hn-housing"], "question": "是否同意主办顶棚维修？", "reply_by": "2026-11-27"},
        {"units": ["hn-transport", "hn-housing"], "question": "是否同意主办顶棚维修？", "reply_by": "2026-11-27"},
    ),
    "joint-meeting": (
        {
            "on": "2026-11-25",
            "place": "联络站议事厅",
            "units": ["hn-transport", "hn-housing"],
            "decisions": "交通局牵头",
        },
        {
            "on": "2026-11-25",
            "place": "联络站议事厅",
            "units": ["hn-transport", "hn-housing"],
            "decisions": "交通局牵头",
        },
    ),
}


@pytest.fixture
def pages():
    pages = Pages()
    pages.broker.answers.update(
        {
            ("routing", "triage_queue"): lambda kw: {"items": [{**QUEUED, "triage": JOINT}], "next": None},
            ("routing", "list_units"): lambda kw: UNITS,
            ("intake", "opinion_groups"): lambda kw: {"items": [GROUP], "next": None},
            ("intake", "merge_group"): lambda kw: {**GROUP, "primary": kw["merge"]["primary"], "version": 2},
        }
    )
    return pages


def station(pages):
    return pages.signed_in("xiashi", Role.STATION, "330481001")


def station_again(pages):
    """The same station in a second browser (the user exists already)."""
    browser = pages.browser()
    assert sign_in(browser, "xiashi", PASSWORD).status_code == 303
    return browser


def refuse(message: str, field: str, code: ErrorCode = ErrorCode.INVALID):
    def answer(kwargs):
        raise ServiceError(code, message, field)

    return answer


def test_a_queued_case_shows_the_other_items_of_its_group_and_a_merge_form(pages):
    page = station(pages).get("/console/triage")
    assert page.status_code == 200
    assert pages.calls("opinion_groups")[-1]["division_prefix"] == "330481001"
    assert "同一问题共 2 件" in page.text and "文苑路、顶棚" in page.text
    assert "330481-2026-000130" in page.text and "文苑路站台顶棚漏雨，等车都淋湿了" in page.text
    assert f'action="/console/triage/groups/{GROUP_ID}/merge?division=330481001"' in page.text
    assert f'name="primary" value="{CASE_ID}" checked' in page.text  # this case is the primary unless chosen


def test_a_case_in_no_group_shows_none_and_a_merged_group_offers_no_merge(pages):
    pages.broker.answers[("intake", "opinion_groups")] = lambda kw: {"items": [], "next": None}
    assert "疑似重复件" not in station(pages).get("/console/triage").text
    merged = {**GROUP, "primary": CASE_ID}
    merged["members"] = [{**GROUP["members"][0], "primary": True}, {**GROUP["members"][1], "merged": True}]
    pages.broker.answers[("intake", "opinion_groups")] = lambda kw: {"items": [merged], "next": None}
    page = station_again(pages).get("/console/triage")
    assert "已合并处置，按主件 7K3P-9XTA-2MQD 办理" in page.text and "/merge?" not in page.text


def test_the_station_merges_the_group_into_the_primary_it_chose(pages):
    browser = station(pages)
    token = csrf_of(browser.get("/console/triage").text)
    form = {"primary": OTHER.lower(), "expected_version": "1", "back": BACK, "csrf_token": token}
    merged = browser.post(f"/console/triage/groups/{GROUP_ID}/merge?division=330481001", data=form)
    assert merged.status_code == 303 and merged.headers["location"] == f"{BACK}&done={OTHER}"
    call = pages.calls("merge_group")[-1]
    assert call["group_id"] == GROUP_ID
    assert call["merge"] == {"primary": OTHER, "expected_version": 1}
    assert call["actor"]["role"] == "station" and call["actor"]["key_id"] == "user:xiashi"
    assert pages.calls("act_on_case") == []  # the group is merged through intake, not case by case


def test_a_refused_merge_says_why_beside_the_primary_and_keeps_the_choice(pages):
    browser = station(pages)
    token = csrf_of(browser.get("/console/triage").text)
    pages.broker.answers[("intake", "merge_group")] = refuse("主件已办结，不能作为主件", "primary")
    form = {"primary": OTHER, "expected_version": "1", "csrf_token": token}
    refused = browser.post(f"/console/triage/groups/{GROUP_ID}/merge", data=form)
    assert refused.status_code == 422
    assert field_errors(refused.text) == {"primary": "请求参数不合法：主件已办结，不能作为主件"}
    assert f'name="primary" value="{OTHER}" checked' in refused.text
    empty = browser.post(f"/console/triage/groups/{GROUP_ID}/merge", data={"csrf_token": token})
    assert empty.status_code == 422 and field_errors(empty.text) == {"primary": "此项必填"}
    assert len(pages.calls("merge_group")) == 1  # the refused one only


@pytest.mark.parametrize("action", ACTIONS)
def test_each_station_action_sends_the_apis_command_as_the_users_actor(pages, action):
    browser = station(pages)
    page = browser.get("/console/triage")
    assert f'action="/console/triage/cases/{CASE_ID}/{action}?division=330481001"' in page.text
    fields, command = ACTIONS[action]
    form = {**fields, "expected_version": "3", "back": BACK, "csrf_token": csrf_of(page.text)}
    done = browser.post(f"/console/triage/cases/{CASE_ID.lower()}/{action}", data=form)
    assert done.status_code == 303 and done.headers["location"] == f"{BACK}&done={CASE_ID}"
    call = pages.calls("act_on_case")[-1]
    assert call["case_id"] == CASE_ID and call["action"] == action
    assert {k: v for k, v in call["command"].items() if k != "expected_version"} == command
    assert call["command"]["expected_version"] == 3 and call["actor"]["key_id"] == "user:xiashi"


def test_the_joint_meeting_is_offered_for_a_joint_case_only_with_its_proposed_units(pages):
    page = station(pages).get("/console/triage")
    assert "约请共商会" in page.text and 'name="units" value="hn-housing" checked' in page.text
    pages.broker.answers[("routing", "triage_queue")] = lambda kw: {"items": [QUEUED], "next": None}
    page = station_again(pages).get("/console/triage")
    assert "/joint-meeting" not in page.text and "/consult?" in page.text


@pytest.mark.parametrize(
    ("action", "fields", "errors", "kept"),
    [
        ("escalate", {"reason": ""}, {"reason": "此项必填"}, None),
        (
            "consult",
            {"question": "是否同意？", "reply_by": "2026-11-27"},
            {"units": "此项必填"},
            ("question", "是否同意？"),
        ),
        (
            "joint-meeting",
            {"on": "下周", "place": "议事厅", "units": ["hn-transport"], "decisions": "交通局牵头"},
            {"on": "请填写日期", "units": "至少 2 项"},
            ("place", "议事厅"),
        ),
    ],
)
def test_bad_input_is_shown_beside_its_field_kept_and_nothing_is_sent(pages, action, fields, errors, kept):
    browser = station(pages)
    token = csrf_of(browser.get("/console/triage").text)
    refused = browser.post(f"/console/triage/cases/{CASE_ID}/{action}", data={**fields, "csrf_token": token})
    assert refused.status_code == 422 and field_errors(refused.text) == errors
    assert refused.text.count('<details class="comment-box station-action" open>') == 1  # the failed form, open
    if kept:
        assert value_of(refused.text, kept[0]) == kept[1]
    if action == "joint-meeting":  # the units ticked stay ticked, the others not
        form = refused.text.split("/joint-meeting?")[1].split("</form>")[0]
        assert 'name="units" value="hn-transport" checked' in form
        assert 'name="units" value="hn-housing">' in form
    assert pages.calls("act_on_case") == []


def test_a_refusal_of_routing_is_shown_beside_its_field(pages):
    browser = station(pages)
    token = csrf_of(browser.get("/console/triage").text)
    pages.broker.answers[("routing", "act_on_case")] = refuse("单位 hn-water 不在本地区", "units")
    form = {"units": ["hn-transport"], "question": "是否同意？", "reply_by": "2026-11-27", "csrf_token": token}
    refused = browser.post(f"/console/triage/cases/{CASE_ID}/consult", data=form)
    assert refused.status_code == 422
    assert field_errors(refused.text) == {"units": "请求参数不合法：单位 hn-water 不在本地区"}


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.STATION, {"escalate", "close", "consult", "joint-meeting", "merge"}),
        (Role.SUPERVISOR, {"close"}),
        (Role.HANDLER, {"escalate"}),  # the API lets a unit escalate too (routing checks it is the case's)
        (Role.DEPUTY, set()),
        (Role.INFO_OFFICER, set()),
    ],
)
def test_each_role_may_take_only_the_actions_the_api_allows_it(pages, role, allowed):
    unit = "hn-transport" if role is Role.HANDLER else None
    browser = pages.signed_in(role.value, role, "330481001", unit=unit)
    token = csrf_of(browser.get("/console/password").text)
    for action, (fields, _) in ACTIONS.items():
        answer = browser.post(f"/console/triage/cases/{CASE_ID}/{action}", data={**fields, "csrf_token": token})
        assert answer.status_code == (303 if action in allowed else 403), (action, answer.text)
        if action not in allowed:
            assert "无权访问此页面" in answer.text and "<html" in answer.text
    merge = browser.post(f"/console/triage/groups/{GROUP_ID}/merge", data={"primary": OTHER, "csrf_token": token})
    assert merge.status_code == (303 if "merge" in allowed else 403)
    assert len(pages.calls("act_on_case")) == len(allowed - {"merge"})
    assert len(pages.calls("merge_group")) == int("merge" in allowed)


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(pages):
    browser = station(pages)
    browser.get("/console/triage")
    for url, form in [
        (f"/console/triage/cases/{CASE_ID}/escalate", {"reason": "涉及多个镇街"}),
        (f"/console/triage/groups/{GROUP_ID}/merge", {"primary": OTHER}),
        (f"/console/triage/cases/{CASE_ID}/close", {"reason": "办结", "csrf_token": "forged"}),
    ]:
        refused = browser.post(url, data=form)
        assert refused.status_code == 403 and "页面已过期" in refused.text
    assert pages.calls("act_on_case") == [] and pages.calls("merge_group") == []


def test_an_unknown_action_is_a_404_page(pages):
    browser = station(pages)
    token = csrf_of(browser.get("/console/triage").text)
    answer = browser.post(f"/console/triage/cases/{CASE_ID}/assign-everything", data={"csrf_token": token})
    assert answer.status_code == 404 and "页面不存在" in answer.text
