"""Bad input answers 400/422 problem+json naming the field, and nothing is stored or published."""

import time

import pytest

PROBLEM = "application/problem+json"
GOOD = {"division": "330481001", "channel": "web", "content": "路灯坏了"}


def case_count(platform) -> int:
    with platform.admin() as admin:
        return len(admin.get("/v1/cases?division=330481&limit=500").json())


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({k: v for k, v in GOOD.items() if k != "content"}, "content"),
        ({**GOOD, "content": "长" * 5001}, "content"),
        ({**GOOD, "division": "33048"}, "division"),
        ({**GOOD, "division": "999999"}, "division"),
        ({**GOOD, "channel": "carrier_pigeon"}, "channel"),
        ({**GOOD, "channel": "county_system"}, "channel"),
        ({**GOOD, "contact": {"name": "王五", "phone": "12345"}}, "contact.phone"),
        ({**GOOD, "contact": {"name": "王五", "phone": "139123456789"}}, "contact.phone"),
        ({**GOOD, "contact": {"name": "王" * 51, "phone": "13912345678"}}, "contact.name"),
        ({**GOOD, "surprise": 1}, "surprise"),
    ],
)
def test_invalid_submission_names_the_field_and_changes_nothing(platform, body, field):
    before = case_count(platform)
    with platform.client() as citizen:
        answer = citizen.post("/v1/public/opinions", json=body)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == PROBLEM
    problem = answer.json()
    assert problem["field"] == field and problem["status"] == 422 and problem["detail"]
    time.sleep(0.5)  # a published command would have become a case by now
    assert case_count(platform) == before


def test_malformed_json_is_400(platform):
    with platform.client() as citizen:
        answer = citizen.post(
            "/v1/public/opinions", content=b'{"division": "330481", ', headers={"content-type": "application/json"}
        )
    assert answer.status_code == 400
    assert answer.headers["content-type"] == PROBLEM
    assert answer.json()["field"] == "body"


def test_a_body_sent_as_a_form_is_415_and_changes_nothing(platform):
    before = case_count(platform)
    with platform.client() as citizen:
        answer = citizen.post("/v1/public/opinions", data={"division": "330481001", "content": "路灯坏了"})
    assert answer.status_code == 415 and answer.headers["content-type"] == PROBLEM
    assert answer.json()["field"] == "Content-Type"
    time.sleep(0.5)
    assert case_count(platform) == before


def test_unknown_tracking_code_is_404_and_malformed_is_422(platform):
    with platform.client() as citizen:
        missing = citizen.get("/v1/public/opinions/AAAA-BBBB-CCCC")
        malformed = citizen.get("/v1/public/opinions/hello")
    assert missing.status_code == 404 and missing.headers["content-type"] == PROBLEM
    assert malformed.status_code == 422 and malformed.json()["field"] == "tracking_code"


def test_admin_rejects_a_rule_for_an_unknown_unit(platform):
    with platform.admin() as admin:
        answer = admin.post(
            "/v1/admin/routing-rules", json={"division": "330481", "keywords": ["桥"], "lead_unit": "nobody"}
        )
    assert answer.status_code == 422
    assert answer.json()["field"] == "lead_unit"


def test_calendar_days_are_validated_and_scoped(platform):
    with platform.admin() as admin:
        good = admin.put(
            "/v1/admin/calendar-days",
            json={"division": "330481", "day": "2030-05-06", "workday": False, "reason": "防汛"},
        )
        bad_day = admin.put(
            "/v1/admin/calendar-days", json={"division": "330481", "day": "2030-02-30", "workday": False, "reason": "x"}
        )
        no_reason = admin.put(
            "/v1/admin/calendar-days", json={"division": "330481", "day": "2030-05-06", "workday": True}
        )
    assert good.status_code == 200 and good.json()["day"] == "2030-05-06"
    assert bad_day.status_code == 422 and bad_day.json()["field"] == "day"
    assert no_reason.status_code == 422 and no_reason.json()["field"] == "reason"
