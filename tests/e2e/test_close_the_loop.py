"""督办 closes the loop over the real broker: an unsatisfied citizen reopens the case twice, and the
third unsatisfied reply lands the case on the key supervision list instead (不满意件再办理 limit 2);
a follow-up review of promised work falls short and its rectification order reopens the case."""

from datetime import date

import pytest

from devtools import demo_data
from infra.clock import local_today
from tests.conftest import wait_until
from tests.e2e.test_case_lifecycle import key, submit, tracked


@pytest.fixture(scope="module")
def platform(platform_factory):
    """The services the loop runs through, with the demo county's units and routing rules."""
    running = platform_factory("close-loop", services=["intake", "routing", "supervision", "notify"])
    with running.admin() as admin:
        for code, name in [demo_data.COUNTY, *demo_data.TOWNSHIPS]:
            admin.put(f"/v1/admin/divisions/{code}", json={"name": name}).raise_for_status()
        for path, items in [("units", demo_data.UNITS), ("routing-rules", demo_data.RULES)]:
            for item in items:
                admin.post(f"/v1/admin/{path}", json=item).raise_for_status()
    return running


def case_of(admin, code: str, status: str):
    answer = admin.get(f"/v1/cases/{code}")
    return answer.json() if answer.status_code == 200 and answer.json()["status"] == status else None


def key_item(admin, code: str):
    period = str(local_today().year)
    answer = admin.get("/v1/supervision/key-items", params={"division": "330481", "period": period, "limit": 500})
    return next((item for item in answer.json() if item["case_id"] == code), None)


def window_open(admin, code: str, rounds: int):
    answer = admin.get(f"/v1/supervision/evaluations/{code}")
    return answer.status_code == 200 and len(answer.json()["rounds"]) == rounds and answer.json()


def test_the_third_unsatisfied_reply_goes_on_the_key_list(platform):
    with platform.admin() as admin:
        lead = key(admin, role="handler", label="交通运输局 办理员", unit="hn-transport")
    code = submit(platform, "硖石街道文苑路公交站台夜间无照明，多次反映未解决")
    url = f"/v1/public/opinions/{code}/evaluation"
    with platform.client(lead) as transport, platform.client() as citizen, platform.admin() as admin:
        assert transport.post(f"/v1/cases/{code}/accept", json={}).status_code == 200
        asked_early = citizen.post(f"/v1/public/opinions/{code}/evaluation-code")
        assert asked_early.status_code == 409 and asked_early.json()["field"] == "status"
        for round_ in (1, 2, 3):
            reply = {"text": f"第 {round_} 次答复：已协调供电所处理。", "result_class": "A"}
            assert transport.post(f"/v1/cases/{code}/reply", json=reply).status_code == 200
            wait_until(lambda: tracked(citizen, code, "replied"))
            wait_until(lambda n=round_: window_open(admin, code, n))  # supervision saw the reply
            if round_ == 1:
                sent = citizen.post(f"/v1/public/opinions/{code}/evaluation-code")
                assert sent.status_code == 202 and sent.json()["sent_to"] == "138****5678", sent.text
            rated = citizen.post(url, json={"rating": "unsatisfied", "phone_last_four": "5678"})
            assert rated.status_code == 201 and rated.json()["round"] == round_, rated.text
            if round_ < 3:
                wait_until(lambda: case_of(admin, code, "reopened"))
                assert key_item(admin, code) is None
        item = wait_until(lambda: key_item(admin, code))
        assert (item["source"], item["marked"], item["lead_unit"]["id"]) == ("rehandle_limit", True, "hn-transport")
        assert admin.get(f"/v1/cases/{code}").json()["status"] == "evaluated"  # not reopened a third time
        assert wait_until(lambda: tracked(citizen, code, "evaluated"))["evaluation"] == "unsatisfied"
        state = wait_until(lambda: (s := window_open(admin, code, 3)) and s["rounds"][-1]["state"] == "evaluated" and s)
        assert (state["rehandled"], state["rehandle_limit"]) == (2, 2)

        visit = {"kind": "site_visit", "on": local_today().isoformat(), "text": "常委会领导带队实地督查站台照明"}
        recorded = admin.post(f"/v1/supervision/key-items/{code}/records", json=visit)
        assert recorded.status_code == 200 and recorded.json()["records"][0]["kind"] == "site_visit"
        again = admin.post(
            f"/v1/supervision/key-items/{code}/mark",
            json={"lead_supervisor": "常委会副主任 王建国", "reason": "群众反映强烈"},
        )
        assert again.status_code == 409 and again.json()["field"] == "case_id"


def test_a_review_that_falls_short_reopens_the_case(platform):
    with platform.admin() as admin:
        lead = key(admin, role="handler", label="交通运输局 办理员", unit="hn-transport")
        supervisor = key(admin, role="supervisor", label="海宁市人大代表工委")
        outsider = key(admin, role="supervisor", label="长安镇人大", scope="330481002")
    code = submit(platform, "硖石街道文苑路公交站台计划改造，请尽快落实")
    promised = [{"item": "完成文苑路公交站台改造", "by": date(local_today().year + 1, 3, 31).isoformat()}]
    with platform.client(lead) as transport:
        assert transport.post(f"/v1/cases/{code}/accept", json={}).status_code == 200
        reply = {"text": "已列入明年改造计划。", "result_class": "B", "promised": promised}
        assert transport.post(f"/v1/cases/{code}/reply", json=reply).status_code == 200, reply

    def promise():
        answer = supervising.get("/v1/supervision/promises", params={"limit": 500})
        return next((p for p in answer.json() if p["case_id"] == code), None)

    with platform.client(supervisor) as supervising:
        entry = wait_until(promise)
        assert (entry["item"], entry["state"], entry["kind"]) == ("完成文苑路公交站台改造", "scheduled", "promised")
        outcome = {
            "outcome": "fell_short",
            "visited_on": local_today().isoformat(),
            "finding": "站台仍未改造",
            "rectification": "责成交通运输局限期完成改造",
        }
        with platform.client(outsider) as elsewhere:
            refused = elsewhere.post(f"/v1/supervision/reviews/{entry['review_id']}/outcome", json=outcome)
            assert refused.status_code == 404
        done = supervising.post(f"/v1/supervision/reviews/{entry['review_id']}/outcome", json=outcome)
        assert done.status_code == 200 and done.json()["state"] == "fell_short", done.text
        twice = supervising.post(f"/v1/supervision/reviews/{entry['review_id']}/outcome", json=outcome)
        assert twice.status_code == 409
        case = wait_until(lambda: case_of(supervising, code, "reopened"))
    assert "责成整改" in case["history"][-1]["reason"] and case["lead_unit"]["id"] == "hn-transport"
