"""Staff submissions, categories and contact erasure at the gateway: each role on its own channels,
inside and outside its scope, bad input named by field, with a fake broker behind the client."""

from types import SimpleNamespace

import pytest

from contracts.errors import ErrorCode, ServiceError
from contracts.intake.opinions import STAFF_CHANNELS
from contracts.vocabulary import Channel, Role
from gateway import deps
from infra.pii import PiiCipher
from infra.settings import DEV_PII_KEY
from tests.service.test_gateway_routers import Gateway

RECEIPT = {
    "tracking_code": "7K3P-9XTA-2MQD",
    "case_number": "330481-2026-000123",
    "status": "received",
    "status_url": "/v1/public/opinions/7K3P-9XTA-2MQD",
    "duplicate": False,
}
DETAILS = {
    Channel.STATION_VISIT: {"station_id": "xiashi-station", "deputy_id": "deputy-zhang-wei"},
    Channel.GRID_OFFICER: {"grid_id": "wenyuan-3", "officer": "周丽", "consent_to_contact": True},
    Channel.VILLAGE_MEETING: {"place": "联丰村文化礼堂禾坪", "held_on": "2026-11-20", "participants": 23},
    Channel.HOTLINE: {"operator": "话务员 07 号"},
    Channel.MAILBOX: {"box": "文苑社区 民情法治箱"},
    Channel.DEPUTY: {"deputy_id": "deputy-zhang-wei"},
    Channel.COUNTY_SYSTEM: {"system": "海宁市 12345 平台", "external_id": "HN-1"},
}
CATEGORIES = {"division": "330481", "names": ["道路交通", "其他"], "defined_at": "330481"}


@pytest.fixture
def gateway():
    gateway = Gateway()
    platform = SimpleNamespace(cipher=PiiCipher(DEV_PII_KEY), public_limiter=None, idempotency=None)
    gateway.app.dependency_overrides[deps.platform_of] = lambda: platform
    answers = gateway.broker.answers
    answers[("intake", "submit_staff_opinion")] = lambda kw: RECEIPT
    answers[("intake", "categories")] = lambda kw: {**CATEGORIES, "division": kw["division"]}
    answers[("intake", "set_categories")] = lambda kw: {**CATEGORIES, "names": kw["categories"]["names"]}
    answers[("intake", "erase_contact")] = lambda kw: {"tracking_code": kw["tracking_code"], "contact_erased": True}
    return gateway


def item(channel: Channel, division: str = "330481001", **overrides) -> dict:
    return {
        "division": division,
        "content": "文苑社区3幢楼道灯坏了一个多月",
        "details": {"channel": channel.value, **DETAILS[channel]},
        "contact": {"name": "陈小明", "phone": "13812345678"},
        **overrides,
    }


@pytest.mark.parametrize("channel", list(DETAILS), ids=[c.value for c in DETAILS])
def test_each_role_enters_items_on_its_own_channels_only(gateway, channel):
    for role in Role:
        answer = gateway.request("POST", "/v1/opinions", role, json=item(channel))
        if channel in STAFF_CHANNELS.get(role, ()):
            assert answer.status_code == 201 and answer.json() == RECEIPT, (role, answer.text)
        else:
            assert answer.status_code == 403, (role, answer.text)
            assert answer.json()["field"] in {"role", "details.channel"}
    assert not any(method != "submit_staff_opinion" for _, method, _ in gateway.broker.calls)


def test_the_command_carries_the_channel_the_sealed_contact_and_who_entered_it(gateway):
    answer = gateway.request("POST", "/v1/opinions", Role.STATION, json=item(Channel.STATION_VISIT))
    assert answer.status_code == 201
    _, _, kwargs = gateway.broker.calls[-1]
    command = kwargs["command"]
    assert command["channel"] == "station_visit" and command["details"]["deputy_id"] == "deputy-zhang-wei"
    assert command["entered_by"] == "测试密钥" and kwargs["actor"]["role"] == "station"
    assert "13812345678" not in str(command) and "陈小明" not in str(command)
    assert PiiCipher(DEV_PII_KEY).open_dict(command["contact"]) == {"name": "陈小明", "phone": "13812345678"}


def test_outside_the_keys_scope_nothing_is_sent(gateway):
    answer = gateway.request("POST", "/v1/opinions", Role.STATION, scope="330482", json=item(Channel.HOTLINE))
    assert answer.status_code == 403 and answer.json()["field"] == "division"
    assert gateway.broker.calls == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (item(Channel.STATION_VISIT, details={"channel": "station_visit", "station_id": "s1"}), "details.deputy_id"),
        (item(Channel.HOTLINE, details={"channel": "telegram"}), "details.channel"),
        (item(Channel.HOTLINE, details={"channel": "qr", "deputy_id": "d1"}), "details.channel"),
        (
            item(Channel.GRID_OFFICER, details={"channel": "grid_officer", "grid_id": "g", "officer": "周丽"}),
            "details.consent_to_contact",
        ),
        (
            item(
                Channel.VILLAGE_MEETING,
                details={**DETAILS[Channel.VILLAGE_MEETING], "channel": "village_meeting", "participants": 0},
            ),
            "details.participants",
        ),
        (item(Channel.HOTLINE, contact={"phone": "12345"}), "contact.phone"),
        (item(Channel.HOTLINE, content=" "), "content"),
        (item(Channel.HOTLINE, content="坑" * 5001), "content"),
        (item(Channel.HOTLINE, photos=["a", "b", "c", "d"]), "photos"),
    ],
)
def test_bad_input_names_the_field_in_chinese_and_reaches_no_service(gateway, body, field):
    answer = gateway.request("POST", "/v1/opinions", Role.STATION, json=body)
    assert answer.status_code == 422 and answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["field"] == field, answer.text
    assert answer.json()["title"] == "请求参数不合法"
    assert gateway.broker.calls == []


def test_a_county_systems_repeated_id_answers_200_with_the_stored_item(gateway):
    gateway.broker.answers[("intake", "submit_staff_opinion")] = lambda kw: {**RECEIPT, "duplicate": True}
    answer = gateway.request("POST", "/v1/opinions", Role.COUNTY_SYSTEM, json=item(Channel.COUNTY_SYSTEM))
    assert answer.status_code == 200 and answer.json()["duplicate"] is True


def test_a_refused_reference_is_the_services_field(gateway):
    gateway.broker.refusal = ServiceError(ErrorCode.INVALID, "代表 x 已停用 (deactivated deputy)", "details.deputy_id")
    answer = gateway.request("POST", "/v1/opinions", Role.STATION, json=item(Channel.STATION_VISIT))
    assert answer.status_code == 422 and answer.json()["field"] == "details.deputy_id"


def test_categories_are_public_and_set_by_the_divisions_admin_only(gateway):
    gateway.app.dependency_overrides.pop(deps.current_principal)
    assert gateway.request("GET", "/v1/public/categories?division=330481001").json()["division"] == "330481001"
    assert gateway.request("GET", "/v1/public/categories?division=33").json()["field"] == "division"
    assert gateway.request("PUT", "/v1/admin/categories/330481", json={"names": ["道路交通"]}).status_code == 401


def test_setting_categories_by_role_and_scope(gateway):
    body = {"names": ["道路交通", "加装电梯", "其他"]}
    for role in Role:
        answer = gateway.request("PUT", "/v1/admin/categories/330481", role, json=body)
        assert answer.status_code == (200 if role is Role.ADMIN else 403), (role, answer.text)
    assert gateway.broker.calls[-1][2] == {"division": "330481", "categories": body}
    calls = len(gateway.broker.calls)
    outside = gateway.request("PUT", "/v1/admin/categories/330482", Role.ADMIN, json=body)
    assert outside.status_code == 403 and outside.json()["field"] == "division"
    empty = gateway.request("PUT", "/v1/admin/categories/330481", Role.ADMIN, json={"names": []})
    assert empty.status_code == 422 and empty.json()["field"] == "names"
    assert len(gateway.broker.calls) == calls


def test_erasure_needs_no_key_but_four_digits(gateway):
    gateway.app.dependency_overrides.pop(deps.current_principal)
    answer = gateway.request(
        "POST", "/v1/public/opinions/7k3p-9xta-2mqd/erase-contact", json={"phone_last_four": "5678"}
    )
    assert answer.status_code == 200 and answer.json()["contact_erased"] is True
    assert gateway.broker.calls[-1][2] == {"tracking_code": "7K3P-9XTA-2MQD", "erasure": {"phone_last_four": "5678"}}
    bad = gateway.request("POST", "/v1/public/opinions/7K3P-9XTA-2MQD/erase-contact", json={"phone_last_four": "56"})
    assert bad.status_code == 422 and bad.json()["field"] == "phone_last_four"
    gateway.broker.refusal = ServiceError(ErrorCode.FORBIDDEN, "手机号后四位不符", "phone_last_four")
    refused = gateway.request(
        "POST", "/v1/public/opinions/7K3P-9XTA-2MQD/erase-contact", json={"phone_last_four": "0000"}
    )
    assert refused.status_code == 403 and refused.json()["field"] == "phone_last_four"
