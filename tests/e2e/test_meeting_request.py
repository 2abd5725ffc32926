"""约见请求 over the running platform: a suggestion's handling unit asks its lead deputy to meet, and the
deputy finds "约见请求" in their own inbox; the demo set's item received by a deputy shows one too."""

from datetime import timedelta

from infra.clock import local_today
from tests.conftest import wait_until
from tests.e2e.test_case_lifecycle import key
from tests.e2e.test_deputy_principals import FILING, LEAD, case_of, notices


def meeting_notices(client, case_id: str | None = None) -> list[dict]:
    found = [n for n in client.get("/v1/notifications/inbox").json() if n["kind"] == "case.meeting_requested"]
    return [n for n in found if case_id is None or n["case_id"] == case_id]


def test_the_lead_deputy_hears_the_units_meeting_request(platform):
    with platform.admin() as admin:
        deputy_key = key(admin, role="deputy", label="张伟代表", deputy_id=LEAD)
        office_key = key(admin, role="supervisor", label="海宁市人大常委会代表工委")
        housing_key = key(admin, role="handler", label="住建局办理员", unit="hn-housing")
    with (
        platform.client(deputy_key) as deputy,
        platform.client(office_key) as office,
        platform.client(housing_key) as housing,
    ):
        created = deputy.post("/v1/suggestions", json=FILING)
        assert created.status_code == 201, created.text
        case_id = created.json()["id"]
        deputy.post(f"/v1/suggestions/{case_id}/submit", json={}).raise_for_status()
        office.post(f"/v1/suggestions/{case_id}/accept", json={}).raise_for_status()
        wait_until(lambda: case_of(office, case_id, "assigned"))
        ask = {"stage": "before", "on": (local_today() + timedelta(days=1)).isoformat(), "place": "住建局 3 楼会议室"}
        refused = housing.post(f"/v1/cases/{case_id}/request-meeting", json=ask)  # not signed yet
        assert refused.status_code == 409 and refused.json()["field"] == "status"
        assert housing.post(f"/v1/cases/{case_id}/accept", json={}).status_code == 200
        answer = housing.post(f"/v1/cases/{case_id}/request-meeting", json=ask)
        assert answer.status_code == 200, answer.text
        assert answer.json()["meeting_requests"][0]["place"] == "住建局 3 楼会议室"

        (note,) = wait_until(lambda: meeting_notices(deputy, case_id))
        assert note["title"] == "约见请求" and "办前约见" in note["body"] and ask["on"] in note["body"]
        assert not [n for n in notices(deputy, case_id) if n["kind"] == "case.meeting_requested" and n != note]


def test_the_demo_deputy_has_a_meeting_request_waiting(platform):
    with platform.admin() as admin:
        deputy_key = key(admin, role="deputy", label="张伟代表（演示）", deputy_id="deputy-zhang-wei")
    with platform.client(deputy_key) as deputy:
        assert any("硖石街道人大代表联络站" in n["body"] for n in wait_until(lambda: meeting_notices(deputy)))
