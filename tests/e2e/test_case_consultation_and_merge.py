"""Over the real broker: a station consults the intended units before assigning (two rounds, the
answers on the case, the asked unit's inbox), and merges a case by hand into a primary whose
progress the merged item's citizen then sees."""

from tests.conftest import wait_until
from tests.e2e.test_case_lifecycle import key, tracked

STATION_ITEM = "硖石街道某小区邻里纠纷，楼上漏水多次协商未果"  # the demo's 邻里纠纷 rule: stays with the station


def staff_case(client, code: str, status: str):
    answer = client.get(f"/v1/cases/{code}")
    return answer.json() if answer.status_code == 200 and answer.json()["status"] == status else None


def submit_waiting(platform, content: str) -> str:
    with platform.client() as citizen:
        body = {"division": "330481001", "channel": "web", "content": content}
        accepted = citizen.post("/v1/public/opinions", json=body)
        assert accepted.status_code == 202, accepted.text
        return accepted.json()["tracking_code"]


def test_two_rounds_of_consultation_then_assignment(platform):
    with platform.admin() as admin:
        station = key(admin, role="station", scope="330481001", label="硖石街道联络站")
        housing = key(admin, role="handler", label="住建局 办理员", unit="hn-housing")
        transport = key(admin, role="handler", label="交通运输局 办理员", unit="hn-transport")
    code = submit_waiting(platform, STATION_ITEM)

    with platform.client(station) as xiashi, platform.client(housing) as hn_housing, platform.client(transport) as hn_t:
        wait_until(lambda: staff_case(xiashi, code, "triaged"))
        ask = {
            "units": ["hn-housing", "hn-transport"],
            "question": "拟交住建局主办，是否同意？",
            "reply_by": "2099-01-01",
        }
        asked = xiashi.post(f"/v1/cases/{code}/consult", json=ask)
        assert asked.status_code == 200, asked.text
        answered = hn_housing.post(f"/v1/cases/{code}/consultation-answer", json={"agree": True, "reason": "同意主办"})
        assert answered.status_code == 200, answered.text
        disagree = {"agree": False, "reason": "非本单位职责"}
        assert hn_t.post(f"/v1/cases/{code}/consultation-answer", json=disagree).status_code == 200
        again = xiashi.post(f"/v1/cases/{code}/consult", json={**ask, "units": ["hn-housing"]})
        assert again.status_code == 200, again.text
        not_asked = hn_t.post(f"/v1/cases/{code}/consultation-answer", json=disagree)  # asked in round 1 only:
        assert not_asked.status_code == 409 and not_asked.json()["field"] == "unit"  # it answered that round

        detail = xiashi.get(f"/v1/cases/{code}").json()
        rounds = detail["consultations"]
        assert [r["round"] for r in rounds] == [1, 2]
        assert [(a["unit"]["id"], a["agree"]) for a in rounds[0]["answers"]] == [
            ("hn-housing", True),
            ("hn-transport", False),
        ]

        inbox = {"recipient": "unit:hn-housing", "division": "330481001"}
        notes = wait_until(
            lambda: [n for n in xiashi.get("/v1/notifications", params=inbox).json() if n.get("case_id") == code]
        )
        assert len(notes) >= 1 and "征求" in notes[0]["title"]

        assert xiashi.post(f"/v1/cases/{code}/assign", json={"lead_unit": "hn-housing"}).status_code == 200
        late = hn_housing.post(f"/v1/cases/{code}/consultation-answer", json={"agree": True, "reason": "同意"})
        assert late.status_code == 409 and late.json()["field"] == "status"


def test_a_case_merged_by_hand_follows_its_primary_in_the_citizens_view(platform):
    with platform.admin() as admin:
        station = key(admin, role="station", scope="330481001", label="硖石街道联络站")
    primary = submit_waiting(platform, STATION_ITEM)
    member = submit_waiting(platform, "硖石街道某小区邻里纠纷，楼上漏水泡坏天花板")

    with platform.client(station) as xiashi:
        wait_until(lambda: staff_case(xiashi, primary, "triaged") and staff_case(xiashi, member, "triaged"))
        itself = xiashi.post(f"/v1/cases/{member}/merge", json={"primary": member})
        assert itself.status_code == 422 and itself.json()["field"] == "primary"
        merged = xiashi.post(f"/v1/cases/{member}/merge", json={"primary": primary})
        assert merged.status_code == 200, merged.text
        assert merged.json()["status"] == "merged" and merged.json()["merged_into"] == primary
        assert xiashi.post(f"/v1/cases/{primary}/assign", json={"lead_unit": "hn-housing"}).status_code == 200

    with platform.client() as citizen:
        seen = wait_until(lambda: tracked(citizen, member, "assigned"))
    assert seen["lead_unit"]["id"] == "hn-housing" and "merged" in [s["status"] for s in seen["history"]]
    assert primary not in str(seen)  # another citizen's tracking code is never shown
