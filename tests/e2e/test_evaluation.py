"""满意度测评 over the real broker: the lead unit replies to a citizen's item, the citizen rates it
unsatisfied with the last four digits of their phone, and routing reopens the case under the same
unit on a new deadline (不满意件再办理), which the citizen's view shows."""

from tests.conftest import wait_until
from tests.e2e.test_case_lifecycle import key, submit, tracked


def watched_as(admin, code: str, status: str):
    answer = admin.get("/v1/supervision/deadlines", params={"division": "330481", "limit": 500})
    return next((c for c in answer.json() if c["case_id"] == code and c["status"] == status), None)


def test_an_unsatisfied_citizen_reopens_the_case(platform):
    with platform.admin() as admin:
        lead = key(admin, role="handler", label="交通运输局 办理员", unit="hn-transport")
    code = submit(platform, "硖石街道文苑路公交站台夜间无照明")

    with platform.client(lead) as transport:
        assert transport.post(f"/v1/cases/{code}/accept", json={}).status_code == 200
        reply = {"text": "已协调供电所加装站台照明。", "result_class": "A"}
        assert transport.post(f"/v1/cases/{code}/reply", json=reply).status_code == 200

    with platform.admin() as admin:
        before = admin.get(f"/v1/cases/{code}").json()
        wait_until(lambda: watched_as(admin, code, "replied"))

    url = f"/v1/public/opinions/{code}/evaluation"
    with platform.client() as citizen:
        wait_until(lambda: tracked(citizen, code, "replied"))
        wrong = citizen.post(url, json={"rating": "unsatisfied", "phone_last_four": "0000"})
        assert wrong.status_code == 403 and wrong.json()["field"] == "phone_last_four"
        bad = citizen.post(url, json={"rating": "不好", "phone_last_four": "5678"})
        assert bad.status_code == 422 and bad.json()["field"] == "rating"
        rated = citizen.post(url, json={"rating": "unsatisfied", "comment": "晚上仍然很暗", "phone_last_four": "5678"})
        assert rated.status_code == 201, rated.text
        assert (rated.json()["rating"], rated.json()["evaluator_kind"], rated.json()["round"]) == (
            "unsatisfied",
            "citizen",
            1,
        )
        again = citizen.post(url, json={"rating": "satisfied", "phone_last_four": "5678"})
        assert again.status_code == 409

        view = wait_until(lambda: (v := tracked(citizen, code, "reopened")) and v["evaluation"] and v)
    assert view["evaluation"] == "unsatisfied" and view["lead_unit"]["id"] == "hn-transport"
    assert "5678" not in str(view) and "晚上仍然很暗" not in str(view)

    with platform.admin() as admin:
        case = admin.get(f"/v1/cases/{code}").json()
    assert case["status"] == "reopened" and case["lead_unit"]["id"] == "hn-transport"
    assert [s["status"] for s in case["history"]][-3:] == ["replied", "evaluated", "reopened"]
    assert case["due_date"] >= before["due_date"] and case["due_date"] == view["due_date"]
