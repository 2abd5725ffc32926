"""A deputy's key names the deputy it is; over the running platform, only a formal suggestion's lead
deputy (领衔代表) evaluates its reply, and the reply waits for them in their own inbox."""

from tests.conftest import wait_until
from tests.e2e.test_case_lifecycle import key

LEAD, CO_SIGNER = "deputy-zhang-wei", "deputy-li-hong"  # the demo directory's deputies of 硖石街道
FILING = {
    "division": "330481",
    "session": {"term": 17, "meeting": 3},
    "lead_deputy": LEAD,
    "co_signers": [CO_SIGNER],
    "title": "关于老旧小区加装电梯补助资金尽快拨付到位的建议",
    "text": "硖石街道多个老旧小区加装电梯已完工半年，财政补助资金仍未拨付，居民垫付压力大，建议尽快拨付。",
}


def case_of(client, case_id: str, status: str):
    answer = client.get(f"/v1/cases/{case_id}")
    return answer.status_code == 200 and answer.json()["status"] == status


def notices(client, case_id: str) -> list[dict]:
    return [n for n in client.get("/v1/notifications/inbox").json() if n["case_id"] == case_id]


def test_only_the_lead_deputy_evaluates_and_is_asked_to_in_their_inbox(platform):
    with platform.admin() as admin:
        unknown = admin.post(
            "/v1/admin/api-keys", json={"role": "deputy", "scope": "330481", "label": "无名", "deputy_id": "nobody"}
        )
        assert unknown.status_code == 422 and unknown.json()["field"] == "deputy_id"
        lead_key = key(admin, role="deputy", label="张伟代表", deputy_id=LEAD)
        co_key = key(admin, role="deputy", label="李红代表", deputy_id=CO_SIGNER)
        office_key = key(admin, role="supervisor", label="海宁市人大常委会代表工委")
        housing_key = key(admin, role="handler", label="住建局办理员", unit="hn-housing")
    with (
        platform.client(lead_key) as lead,
        platform.client(co_key) as co_signer,
        platform.client(office_key) as office,
        platform.client(housing_key) as housing,
    ):
        created = lead.post("/v1/suggestions", json=FILING)
        assert created.status_code == 201, created.text
        case_id = created.json()["id"]
        lead.post(f"/v1/suggestions/{case_id}/submit", json={}).raise_for_status()
        office.post(f"/v1/suggestions/{case_id}/accept", json={}).raise_for_status()
        wait_until(lambda: case_of(office, case_id, "assigned"))
        assert housing.post(f"/v1/cases/{case_id}/accept", json={}).status_code == 200
        reply = {"text": "补助资金已于本月拨付到位，并简化了后续申请流程。", "result_class": "A"}
        assert housing.post(f"/v1/cases/{case_id}/reply", json=reply).status_code == 200

        url = f"/v1/cases/{case_id}/evaluation"
        # once supervision knows the case (before, it is 404 to anyone), the co-signer is refused
        refused = wait_until(
            lambda: (a := co_signer.post(url, json={"rating": "unsatisfied"})).status_code != 404 and a
        )
        assert refused.status_code == 403 and refused.json()["field"] == "deputy"
        assert refused.headers["content-type"].startswith("application/problem+json")

        def rated():
            answer = lead.post(url, json={"rating": "satisfied", "comment": "资金已到位，群众满意"})
            return answer.status_code == 201 and answer.json()

        evaluation = wait_until(rated, timeout=60)
        assert (evaluation["rating"], evaluation["round"], evaluation["evaluator_kind"]) == ("satisfied", 1, "deputy")

        (asked,) = wait_until(lambda: [n for n in notices(lead, case_id) if n["kind"] == "case.replied"])
        assert asked["recipient"] == f"deputy:{LEAD}" and "您领衔提出的建议" in asked["body"]
        assert [n for n in notices(co_signer, case_id) if n["kind"] == "case.replied"] == []
