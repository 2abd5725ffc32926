"""A deputy's formal suggestion over HTTP: filed, returned with comments, edited and resubmitted,
merged with another and accepted; routing then has its case, due three months on."""

from datetime import date, datetime

from infra.clock import local_date
from services.routing.suggestion_case import add_months
from tests.conftest import wait_until

SESSION = {"term": 17, "meeting": 3}


def issued(platform, role: str, label: str) -> str:
    with platform.admin() as admin:
        created = admin.post("/v1/admin/api-keys", json={"role": role, "scope": "330481", "label": label})
    assert created.status_code == 201, created.text
    return created.json()["key"]


def filing(lead: str, co_signers: list[str], title: str, text: str) -> dict:
    return {
        "division": "330481",
        "session": SESSION,
        "lead_deputy": lead,
        "co_signers": co_signers,
        "title": title,
        "text": text,
    }


def test_a_suggestion_goes_through_pre_review_to_a_statutory_case(platform):
    deputy_key = issued(platform, "deputy", "张伟代表")
    office_key = issued(platform, "supervisor", "海宁市人大常委会代表工委")
    with platform.client(deputy_key) as deputy, platform.client(office_key) as office:
        created = deputy.post(
            "/v1/suggestions",
            json=filing(
                "deputy-zhang-wei",
                ["deputy-li-hong"],
                "关于推进硖石街道老旧小区加装电梯的建议",
                "文苑小区多为六层住宅，没有电梯，老年居民上下楼困难，建议简化审批。",
            ),
        )
        assert created.status_code == 201, created.text
        first = created.json()
        assert first["status"] == "drafted" and first["label"] == f"建议第{first['number']}号"
        path = f"/v1/suggestions/{first['id']}"

        assert deputy.post(f"{path}/submit", json={"expected_version": 1}).json()["status"] == "under_review"
        refused = deputy.post(f"{path}/accept", json={})
        assert refused.status_code == 403 and refused.json()["field"] == "role"
        returned = office.post(f"{path}/return", json={"comment": "请补充涉及的小区名单和居民意愿调查"})
        assert returned.json()["status"] == "returned", returned.text

        text = "文苑、西山等12个小区多为六层住宅，居民意愿调查同意率均超过三分之二，建议简化审批、提高补助。"
        edited = deputy.put(path, json={"title": first["title"], "text": text, "co_signers": ["deputy-li-hong"]})
        assert edited.status_code == 200 and edited.json()["text"] == text
        resubmitted = deputy.post(f"{path}/submit", json={"expected_version": edited.json()["version"]})
        assert resubmitted.json()["status"] == "under_review", resubmitted.text

        other = deputy.post(
            "/v1/suggestions",
            json=filing(
                "deputy-wang-jun", [], "关于老旧小区电梯补助的建议", "建议提高老旧小区加装电梯的财政补助标准。"
            ),
        ).json()
        assert other["number"] == first["number"] + 1  # no gap between them
        deputy.post(f"/v1/suggestions/{other['id']}/submit", json={}).raise_for_status()

        version = resubmitted.json()["version"]
        merged = office.post(f"{path}/merge", json={"absorb": [other["id"]], "expected_version": version})
        assert merged.status_code == 200, merged.text
        names = [d["name"] for d in [merged.json()["lead_deputy"], *merged.json()["co_signers"]]]
        assert names == ["张伟", "李红", "王军"]
        stale = office.post(f"{path}/accept", json={"expected_version": version})
        assert stale.status_code == 409 and stale.json()["state"]["version"] == version + 1
        accepted = office.post(f"{path}/accept", json={"expected_version": version + 1})
        assert accepted.json()["status"] == "accepted", accepted.text

        absorbed = deputy.get(f"/v1/suggestions/{other['id']}").json()
        assert absorbed["status"] == "merged" and absorbed["merged_into"] == first["id"]
        history = [(step["status"], step["comment"]) for step in deputy.get(path).json()["history"]]
        assert ("returned", "请补充涉及的小区名单和居民意愿调查") in history and history[-1][0] == "accepted"

    with platform.admin() as admin:

        def case():
            cases = admin.get("/v1/cases?division=330481").json()
            return next((c for c in cases if c["case_id"] == first["id"]), None)

        opened = wait_until(case)
    assert opened["channel"] == "session_suggestion" and opened["status"] == "assigned"
    assert opened["lead_unit"] == {"id": "hn-housing", "name": "海宁市住房和城乡建设局"}
    assigned_at = datetime.fromisoformat(opened["history"][-1]["at"])
    assert date.fromisoformat(opened["due_date"]) == add_months(local_date(assigned_at), 3)


def test_the_demo_deputies_suggestions_are_there_one_accepted_with_its_case(platform):
    with platform.admin() as admin:
        listed = {s["title"]: s for s in admin.get("/v1/suggestions?division=330481").json()}
        assert listed["关于加快老旧小区加装电梯的建议"]["status"] == "accepted"
        assert listed["关于改善长安镇中心小学周边交通的建议"]["status"] == "under_review"
        assert listed["关于规范硖石街道背街小巷停车管理的建议"]["status"] == "returned"
        accepted_id = listed["关于加快老旧小区加装电梯的建议"]["id"]
        # by its id: the county's first page of cases need not hold it once other tests have added theirs
        wait_until(lambda: admin.get(f"/v1/cases/{accepted_id}").status_code == 200)
