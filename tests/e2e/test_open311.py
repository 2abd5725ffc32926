"""Open311 GeoReport v2 over HTTP as a client sends it, against the running platform: the services,
a form-encoded request with an api_key, the request followed by its case number until a unit has it,
the open requests of the jurisdiction; errors as the standard's list; no personal data in answers."""

import re
from xml.etree.ElementTree import fromstring

import httpx
import pytest

from tests.conftest import wait_until

CITIZEN = {"first_name": "小明", "last_name": "陈", "phone": "138 1234 5678", "email": "chen.xm@example.com"}
SECRETS = ("陈小明", "小明", "13812345678", "1234 5678", "chen.xm@example.com", "DEVICE-0042")


@pytest.fixture(scope="module")
def keys(platform) -> dict[str, str]:
    with platform.admin() as admin:

        def issue(role: str, scope: str = "330481") -> str:
            answer = admin.post("/v1/admin/api-keys", json={"role": role, "scope": scope, "label": "海宁市 12345 平台"})
            assert answer.status_code == 201, answer.text
            return answer.json()["key"]

        return {
            "county": issue("county_system"),
            "officer": issue("info_officer"),
            "elsewhere": issue("station", "330481102"),
        }


@pytest.fixture
def client(platform):
    """An Open311 client: no X-API-Key header, the api_key goes in the form."""
    with httpx.Client(base_url=platform.base_url, timeout=30) as client:
        yield client


def request_form(api_key: str, service_code: str, **overrides) -> dict:
    return {
        "api_key": api_key,
        "jurisdiction_id": "330481001",
        "service_code": service_code,
        "description": "文苑路公交站台的顶棚坏了，下雨天没法等车",
        "address_string": "硖石街道文苑路公交站",
        "lat": "30.5106",
        "long": "120.6803",
        "device_id": "DEVICE-0042",
        **CITIZEN,
        **overrides,
    }


def assigned(client: httpx.Client, number: str):
    answer = client.get(f"/open311/v2/requests/{number}.json")
    return answer if answer.status_code == 200 and answer.json()[0].get("agency_responsible") else None


def test_a_client_lists_services_posts_a_request_and_follows_it(client, keys):
    services = client.get("/open311/v2/services.json", params={"jurisdiction_id": "330481"})
    assert services.status_code == 200
    road = next(s for s in services.json() if s["service_name"] == "道路交通")
    assert road["service_code"] == "road-traffic" and road["type"] == "realtime" and road["metadata"] is False

    posted = client.post("/open311/v2/requests.json", data=request_form(keys["county"], road["service_code"]))
    assert posted.status_code == 200, posted.text
    [created] = posted.json()
    number = created["service_request_id"]
    assert re.fullmatch(r"330481-\d{4}-\d{6}", number) and created["service_notice"]

    one = wait_until(lambda: assigned(client, number))
    [request] = one.json()
    assert request["service_code"] == "road-traffic" and request["status"] == "open"
    assert request["agency_responsible"] == "海宁市交通运输局" and request["expected_datetime"].endswith("+08:00")
    assert request["description"].startswith("文苑路公交站台的顶棚坏了") and "文苑路公交站" in request["description"]

    listing = client.get("/open311/v2/requests.json", params={"jurisdiction_id": "330481", "status": "open"})
    assert number in [r["service_request_id"] for r in listing.json()]
    closed = client.get("/open311/v2/requests.json", params={"jurisdiction_id": "330481", "status": "closed"})
    assert number not in [r["service_request_id"] for r in closed.json()]
    as_xml = client.get(f"/open311/v2/requests/{number}.xml")
    assert fromstring(as_xml.content).find("request/service_request_id").text == number

    for answer in (services, posted, one, listing, as_xml):
        assert not [secret for secret in SECRETS if secret in answer.text], answer.text


def test_the_same_external_id_sent_twice_is_one_request(client, keys):
    fields = request_form(keys["county"], "municipal-facilities", **{"attribute[external_id]": "HN12345-OPEN311-1"})
    first = client.post("/open311/v2/requests.json", data=fields)
    again = client.post("/open311/v2/requests.json", data=fields)
    assert first.status_code == again.status_code == 200
    assert first.json()[0]["service_request_id"] == again.json()[0]["service_request_id"]


def test_errors_are_the_standards_list(client, keys):
    unknown = client.post("/open311/v2/requests.json", data=request_form(keys["county"], "pothole"))
    refused_role = client.post("/open311/v2/requests.json", data=request_form(keys["officer"], "road-traffic"))
    outside = client.post("/open311/v2/requests.json", data=request_form(keys["elsewhere"], "road-traffic"))
    bad_key = client.post("/open311/v2/requests.json", data=request_form("rdk_not-a-key", "road-traffic"))
    bad_phone = client.post("/open311/v2/requests.json", data=request_form(keys["county"], "road-traffic", phone="123"))
    missing = client.get("/open311/v2/requests/330481-1999-000001.json")
    for answer, status in [(unknown, 404), (refused_role, 403), (outside, 403), (bad_key, 403), (bad_phone, 400),
                           (missing, 404)]:  # fmt: skip
        assert answer.status_code == status, answer.text
        assert answer.headers["content-type"].startswith("application/json")
        [error] = answer.json()
        assert error["code"] == status and error["description"]
    assert "pothole" in unknown.json()[0]["description"] and "phone" in bad_phone.json()[0]["description"]
