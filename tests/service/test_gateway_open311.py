"""Open311 at the gateway with a fake broker: the standard's answers and error list (never
problem+json), the api_key roles and scopes allowed and refused before any RPC, the parameters
turned into intake's query, and no personal data in any answer."""

from types import SimpleNamespace
from xml.etree.ElementTree import fromstring

import pytest

from contracts.errors import ErrorCode, ServiceError
from contracts.intake.open311 import service_code
from contracts.vocabulary import Role
from gateway import deps
from gateway.broker import ServiceUnavailable
from infra.pii import PiiCipher
from infra.settings import DEV_PII_KEY
from tests.service.test_gateway_routers import Gateway

CIPHER = PiiCipher(DEV_PII_KEY)
CATEGORIES = {"division": "330481", "names": ["道路交通", "市政设施", "加装电梯", "其他"], "defined_at": "330481"}
RECEIPT = {
    "tracking_code": "7K3P-9XTA-2MQD",
    "case_number": "330481-2026-000123",
    "status": "received",
    "status_url": "/v1/public/opinions/7K3P-9XTA-2MQD",
    "duplicate": False,
}
ITEM = {
    "case_number": "330481-2026-000123",
    "division": "330481001",
    "category": "道路交通",
    "content": "文苑路公交站台的顶棚坏了",
    "status": "assigned",
    "status_reason": "",
    "lead_unit": {"id": "hn-transport", "name": "海宁市交通运输局"},
    "due_date": "2026-12-14",
    "submitted_at": "2026-11-23T02:00:00Z",
    "updated_at": "2026-11-23T02:00:05Z",
}
CITIZEN = {"first_name": "小明", "last_name": "陈", "phone": "138 1234 5678", "email": "chen@example.com"}
SUBMITTERS = {Role.COUNTY_SYSTEM, Role.STATION, Role.ADMIN}
URL = "/open311/v2/requests.json"


class FakeKeys:
    """Keys named `<role>` (scope 330481), `<role>-elsewhere` (scope 330482), and `revoked`, unknown."""

    async def by_key(self, key: str):
        role, _, where = key.partition("-")
        if role not in set(Role):
            return None
        scope = "330482" if where == "elsewhere" else "330481"
        return {"_id": f"01{role.upper()}", "role": role, "scope": scope, "label": "海宁市 12345 平台"}


@pytest.fixture
def gateway():
    gateway = Gateway()
    overrides = gateway.app.dependency_overrides
    overrides[deps.platform_of] = lambda: SimpleNamespace(cipher=CIPHER)
    overrides[deps.api_key_store] = FakeKeys
    answers = gateway.broker.answers
    answers[("intake", "categories")] = lambda kw: {**CATEGORIES, "division": kw["division"]}
    answers[("intake", "submit_staff_opinion")] = lambda kw: RECEIPT
    answers[("intake", "public_requests")] = lambda kw: [ITEM]
    answers[("intake", "public_request")] = lambda kw: ITEM
    return gateway


def form(**overrides) -> dict:
    fields = {
        "api_key": "county_system",
        "jurisdiction_id": "330481001",
        "service_code": "road-traffic",
        "description": "文苑路公交站台的顶棚坏了，下雨天没法等车",
        **CITIZEN,
    }
    return {name: value for name, value in {**fields, **overrides}.items() if value is not None}


def refusing(error: ServiceError):
    def answer(kwargs):
        raise error

    return answer


def submissions(gateway) -> list[dict]:
    return [kwargs for _, method, kwargs in gateway.broker.calls if method == "submit_staff_opinion"]


def error_of(answer, status: int) -> str:
    """The standard's error list with the answer's status, never problem+json; its description."""
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/json")
    [error] = answer.json()
    assert set(error) == {"code", "description"} and error["code"] == status
    return error["description"]


def test_the_services_are_the_jurisdictions_categories(gateway):
    answer = gateway.request("GET", "/open311/v2/services.json?jurisdiction_id=330481001")
    assert answer.status_code == 200
    services = answer.json()
    assert [s["service_name"] for s in services] == CATEGORIES["names"]
    assert [s["service_code"] for s in services] == [
        "road-traffic",
        "municipal-facilities",
        service_code("加装电梯"),
        "other",
    ]
    assert all(s["type"] == "realtime" and s["metadata"] is False and s["keywords"] and s["group"] for s in services)
    assert set(services[0]) == {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
    assert gateway.broker.calls[-1] == ("intake", "categories", {"division": "330481001"})


def test_a_service_definition_and_an_unknown_service(gateway):
    answer = gateway.request("GET", "/open311/v2/services/road-traffic.json?jurisdiction_id=330481")
    assert answer.json() == {"service_code": "road-traffic", "attributes": []}
    answer = gateway.request("GET", "/open311/v2/services/pothole.json?jurisdiction_id=330481")
    assert "pothole" in error_of(answer, 404)


def test_the_jurisdiction_is_required_known_and_a_division_code(gateway):
    assert "jurisdiction_id" in error_of(gateway.request("GET", "/open311/v2/services.json"), 400)
    assert "jurisdiction_id" in error_of(gateway.request("GET", "/open311/v2/services.json?jurisdiction_id=33"), 400)
    assert "999999" in error_of(gateway.request("GET", "/open311/v2/requests.json?jurisdiction_id=999999"), 404)
    assert gateway.broker.calls == []


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_a_request_is_posted_by_a_county_system_station_or_admin_key_only(gateway, role):
    answer = gateway.request("POST", URL, data=form(api_key=role.value))
    if role in SUBMITTERS:
        assert answer.status_code == 200, answer.text
        assert answer.json() == [
            {
                "service_request_id": "330481-2026-000123",
                "service_notice": answer.json()[0]["service_notice"],
                "account_id": None,
            }
        ]
        assert submissions(gateway)[0]["actor"]["role"] == role.value
    else:
        assert role.value in error_of(answer, 403)
        assert gateway.broker.calls == []


@pytest.mark.parametrize("role", sorted(SUBMITTERS), ids=lambda r: r.value)
def test_a_key_may_not_post_outside_its_scope(gateway, role):
    answer = gateway.request("POST", URL, data=form(api_key=f"{role.value}-elsewhere"))
    assert "330481001" in error_of(answer, 403) and gateway.broker.calls == []


@pytest.mark.parametrize(("api_key", "why"), [(None, "缺少"), ("rdk_revoked", "无效"), ("", "缺少")])
def test_a_missing_or_unknown_api_key_is_403_with_nothing_sent(gateway, api_key, why):
    assert why in error_of(gateway.request("POST", URL, data=form(api_key=api_key)), 403)
    assert gateway.broker.calls == []


def test_the_key_may_come_in_the_query_and_its_division_is_the_default_jurisdiction(gateway):
    answer = gateway.request("POST", URL + "?api_key=county_system", data=form(api_key=None, jurisdiction_id=None))
    assert answer.status_code == 200 and submissions(gateway)[0]["command"]["division"] == "330481"


def test_the_item_goes_to_intake_on_the_county_system_channel_with_the_contact_sealed(gateway):
    fields = form(
        address_string="硖石街道文苑路公交站", lat="30.5106", long="120.6803", **{"attribute[external_id]": "HN-1"}
    )
    assert gateway.request("POST", URL, data=fields).status_code == 200
    [sent] = submissions(gateway)
    command = sent["command"]
    assert command["channel"] == "county_system" and command["division"] == "330481001"
    assert command["category"] == "道路交通" and command["entered_by"] == "海宁市 12345 平台"
    assert command["details"] == {"channel": "county_system", "system": "海宁市 12345 平台", "external_id": "HN-1"}
    assert command["content"] == "文苑路公交站台的顶棚坏了，下雨天没法等车"
    assert command["location"] == {"address": "硖石街道文苑路公交站", "lat": 30.5106, "long": 120.6803}
    assert CIPHER.open_dict(command["contact"]) == {"name": "陈小明", "phone": "13812345678"}
    assert not any(secret in str(sent) for secret in ("陈小明", "13812345678", "chen@example.com"))


def test_without_an_external_id_each_post_gets_a_fresh_one_and_without_a_phone_no_contact(gateway):
    for _ in range(2):
        gateway.request("POST", URL, data=form(phone=None))
    first, second = (sent["command"] for sent in submissions(gateway))
    assert first["details"]["external_id"] != second["details"]["external_id"]
    assert first["contact"] is None


def test_a_request_sent_again_answers_the_stored_case(gateway):
    gateway.broker.answers[("intake", "submit_staff_opinion")] = lambda kw: {**RECEIPT, "duplicate": True}
    answer = gateway.request("POST", URL, data=form(**{"attribute[external_id]": "HN-1"}))
    assert answer.json()[0]["service_request_id"] == "330481-2026-000123"
    assert "此前已受理" in answer.json()[0]["service_notice"]


def test_no_answer_echoes_the_name_phone_email_or_device(gateway):
    answer = gateway.request("POST", URL, data=form(device_id="DEVICE-42", account_id="ACC-7"))
    for secret in ("陈", "小明", "13812345678", "1234 5678", "chen@example.com", "DEVICE-42", "ACC-7"):
        assert secret not in answer.text


def test_an_unknown_service_is_404_and_nothing_is_stored(gateway):
    answer = gateway.request("POST", URL, data=form(service_code="pothole"))
    assert "pothole" in error_of(answer, 404)
    assert submissions(gateway) == []


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"service_code": None}, "service_code"),
        ({"description": None}, "description"),
        ({"description": "x" * 5001}, "description"),
        ({"phone": "12345"}, "phone"),
        ({"lat": "91", "long": "120"}, "lat"),
        ({"lat": "30.5"}, "lat"),
        ({"jurisdiction_id": "33"}, "jurisdiction_id"),
        ({"description": "x"}, "description"),  # too short once normalised: intake's own rule
    ],
)
def test_bad_input_is_400_naming_the_parameter_and_nothing_is_stored(gateway, fields, named):
    assert named in error_of(gateway.request("POST", URL, data=form(**fields)), 400)
    assert submissions(gateway) == []


def test_a_refusal_from_intake_keeps_the_standards_format(gateway):
    gateway.broker.answers[("intake", "submit_staff_opinion")] = refusing(
        ServiceError(ErrorCode.INVALID, "类别不在本地区的类别清单中", "category")
    )
    assert "类别" in error_of(gateway.request("POST", URL, data=form()), 400)


def test_an_unavailable_service_is_503_in_the_standards_format(gateway):
    gateway.broker.refusal = ServiceUnavailable("intake did not answer")
    assert "intake" in error_of(gateway.request("GET", "/open311/v2/services.json?jurisdiction_id=330481"), 503)


def test_requests_are_listed_with_the_standards_fields_and_filters(gateway):
    url = "/open311/v2/requests.json?jurisdiction_id=330481&status=open&service_code=road-traffic,other"
    answer = gateway.request("GET", url + "&start_date=2026-11-01T00:00:00%2B08:00&end_date=2026-11-30")
    assert answer.status_code == 200
    [request] = answer.json()
    assert request["service_request_id"] == "330481-2026-000123" and request["status"] == "open"
    assert request["agency_responsible"] == "海宁市交通运输局" and request["expected_datetime"].startswith("2026-12-14")
    assert request["requested_datetime"] == "2026-11-23T10:00:00+08:00" and request["status_notes"]
    assert "7K3P-9XTA-2MQD" not in answer.text
    query = gateway.broker.calls[-1][2]["query"]
    assert (
        query["division_prefix"] == "330481" and "closed" not in query["statuses"] and "assigned" in query["statuses"]
    )
    assert query["categories"] == ["道路交通", "其他", None]
    assert (query["start"], query["end"]) == ("2026-10-31T16:00:00.000000Z", "2026-11-29T16:00:00.000000Z")


def test_listed_case_numbers_override_the_other_filters(gateway):
    ids = "330481-2026-000123,330481-2026-000124"
    gateway.request("GET", f"/open311/v2/requests.json?jurisdiction_id=330481&status=closed&service_request_id={ids}")
    query = gateway.broker.calls[-1][2]["query"]
    assert query["case_numbers"] == ["330481-2026-000123", "330481-2026-000124"] and query["statuses"] is None


@pytest.mark.parametrize(
    ("query", "status", "named"),
    [
        ("status=opened", 400, "status"),
        ("service_code=pothole", 404, "pothole"),
        ("start_date=yesterday", 400, "start_date"),
        ("start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z", 400, "90"),
        ("service_request_id=7K3P-9XTA-2MQD", 400, "service_request_id"),
    ],
)
def test_bad_listing_parameters_answer_the_standards_error(gateway, query, status, named):
    answer = gateway.request("GET", f"/open311/v2/requests.json?jurisdiction_id=330481&{query}")
    assert named in error_of(answer, status)
    assert not any(method == "public_requests" for _, method, _ in gateway.broker.calls)


def test_one_request_by_its_case_number(gateway):
    answer = gateway.request("GET", "/open311/v2/requests/330481-2026-000123.json")
    assert [r["service_request_id"] for r in answer.json()] == ["330481-2026-000123"]
    assert gateway.broker.calls[-1] == ("intake", "public_request", {"case_number": "330481-2026-000123"})


def test_an_unknown_malformed_or_foreign_case_number_is_404(gateway):
    gateway.broker.answers[("intake", "public_request")] = refusing(
        ServiceError(ErrorCode.NOT_FOUND, "查无此案件编号", "case_number")
    )
    assert "330481-2026-000999" in error_of(gateway.request("GET", "/open311/v2/requests/330481-2026-000999.json"), 404)
    assert error_of(gateway.request("GET", "/open311/v2/requests/7K3P-9XTA-2MQD.json"), 404)
    gateway.broker.answers[("intake", "public_request")] = lambda kw: ITEM
    url = "/open311/v2/requests/330481-2026-000123.json?jurisdiction_id=330482"
    assert error_of(gateway.request("GET", url), 404)


def test_xml_is_served_and_errors_follow_the_format_asked_for(gateway):
    answer = gateway.request("GET", "/open311/v2/requests/330481-2026-000123.xml")
    assert answer.headers["content-type"].startswith("text/xml")
    assert fromstring(answer.content).find("request/agency_responsible").text == "海宁市交通运输局"
    answer = gateway.request("GET", "/open311/v2/services/pothole.xml?jurisdiction_id=330481")
    error = fromstring(answer.content)
    assert answer.status_code == 404 and error.tag == "errors" and error.find("error/code").text == "404"


def test_an_unknown_format_path_or_method_answers_the_standards_error(gateway):
    assert "format" in error_of(gateway.request("GET", "/open311/v2/services.csv?jurisdiction_id=330481"), 400)
    assert error_of(gateway.request("GET", "/open311/v2/discovery.json"), 404)
    assert error_of(gateway.request("DELETE", "/open311/v2/requests.json"), 405)


def test_the_routes_are_documented_with_the_standards_error_list(gateway):
    spec = gateway.app.openapi()
    paths = {path for path in spec["paths"] if path.startswith("/open311/v2/")}
    assert paths == {
        "/open311/v2/services.{format}",
        "/open311/v2/services/{service_code}.{format}",
        "/open311/v2/requests.{format}",
        "/open311/v2/requests/{service_request_id}.{format}",
    }
    post = spec["paths"]["/open311/v2/requests.{format}"]["post"]
    assert "application/x-www-form-urlencoded" in post["requestBody"]["content"]
    assert "application/problem+json" not in str(post["responses"]) and "403" in post["responses"]
