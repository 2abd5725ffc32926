"""Units, rules and triage over HTTP in a county of its own (海盐县, no demo data): units with parents
and contacts, rules refused for a missing or deactivated unit, triage by rules with a deadline
policy, escalation into the township's queue, and unit suggestions learned from past assignments."""

from datetime import date, datetime

import pytest

from infra.clock import local_date
from services.routing.calendar import WorkingCalendar
from tests.conftest import wait_until

COUNTY, TOWNSHIP, VILLAGE = "330424", "330424001", "330424001001"
CONTACT = {"name": "沈海明", "post": "办公室主任", "office_phone": "0573-86012345"}
UNITS = [
    {"id": "hy-gov", "name": "海盐县人民政府", "division": COUNTY},
    {"id": "hy-transport", "name": "海盐县交通运输局", "division": COUNTY, "parent": "hy-gov", "contacts": [CONTACT]},
    {"id": "hy-housing", "name": "海盐县住建局", "division": COUNTY, "parent": "hy-gov"},
    {"id": "hy-old", "name": "海盐县撤并前的建设局", "division": COUNTY},
]
RULES = [
    {"division": COUNTY, "keywords": ["公交"], "lead_unit": "hy-transport", "co_units": ["hy-housing"]},
    {"division": COUNTY, "keywords": ["电梯", "物业"], "lead_unit": "hy-housing"},
    {"division": COUNTY, "keywords": ["征地"], "triage": "escalate", "priority": 10},
]


@pytest.fixture(scope="module")
def county(platform):
    """The county, its township and a village served; its units and rules; a station key for the
    township and a supervisor key for the county."""
    with platform.admin() as admin:
        for code, name in [(COUNTY, "海盐县"), (TOWNSHIP, "武原街道"), (VILLAGE, "城西村")]:
            assert admin.put(f"/v1/admin/divisions/{code}", json={"name": name}).status_code == 200
        for unit in UNITS:
            answer = admin.post("/v1/admin/units", json=unit)
            assert answer.status_code == 201, answer.text
        rules = []
        for rule in RULES:
            answer = admin.post("/v1/admin/routing-rules", json=rule)
            assert answer.status_code == 201, answer.text
            rules.append(answer.json())
        policies = {"division": COUNTY, "citizen": {"kind": "working_days", "amount": 10}}
        assert admin.put("/v1/admin/deadline-policies", json=policies).status_code == 200

        def key(role: str, scope: str) -> str:
            answer = admin.post("/v1/admin/api-keys", json={"role": role, "scope": scope, "label": f"海盐 {role}"})
            assert answer.status_code == 201, answer.text
            return answer.json()["key"]

        return {"rules": rules, "station": key("station", TOWNSHIP), "supervisor": key("supervisor", COUNTY)}


def submit(citizen, content: str, division: str = TOWNSHIP) -> str:
    answer = citizen.post("/v1/public/opinions", json={"division": division, "channel": "web", "content": content})
    assert answer.status_code == 202, answer.text
    return answer.json()["tracking_code"]


def case_of(admin, code: str, status: str) -> dict | None:
    answer = admin.get(f"/v1/cases/{code}")
    return answer.json() if answer.status_code == 200 and answer.json()["status"] == status else None


def test_units_are_kept_with_parents_and_contacts_updated_and_deactivated(platform, county):
    with platform.admin() as admin:
        listed = {unit["id"]: unit for unit in admin.get("/v1/admin/units", params={"division": COUNTY}).json()}
        assert listed["hy-transport"]["parent"] == "hy-gov" and listed["hy-transport"]["contacts"] == [CONTACT]
        renamed = admin.put("/v1/admin/units/hy-housing", json={"name": "海盐县住房和城乡建设局", "parent": "hy-gov"})
        assert renamed.status_code == 200 and renamed.json()["name"] == "海盐县住房和城乡建设局"

        assert admin.post("/v1/admin/units/hy-old/deactivate").json()["active"] is False
        active = [unit["id"] for unit in admin.get("/v1/admin/units", params={"division": COUNTY}).json()]
        assert "hy-old" not in active and {"hy-gov", "hy-transport", "hy-housing"} <= set(active)

        before = admin.get("/v1/admin/routing-rules", params={"division": COUNTY}).json()
        gone = admin.post("/v1/admin/routing-rules", json={**RULES[1], "lead_unit": "hy-old"})
        assert gone.status_code == 422 and gone.json()["field"] == "lead_unit" and "停用" in gone.json()["detail"]
        ghost = admin.post("/v1/admin/routing-rules", json={**RULES[0], "co_units": ["ghost"]})
        assert ghost.status_code == 422 and ghost.json()["field"] == "co_units"
        assert admin.get("/v1/admin/routing-rules", params={"division": COUNTY}).json() == before

        with platform.client(county["station"]) as station:
            assert station.get("/v1/admin/units", params={"division": COUNTY}).status_code == 403


def test_rules_are_updated_and_deleted(platform, county):
    with platform.admin() as admin:
        extra = admin.post(
            "/v1/admin/routing-rules", json={"division": COUNTY, "keywords": ["临时"], "lead_unit": "hy-gov"}
        )
        rule_id = extra.json()["id"]
        changed = admin.put(f"/v1/admin/routing-rules/{rule_id}", json={**extra.json(), "priority": 5})
        assert changed.status_code == 200 and changed.json()["priority"] == 5
        assert admin.delete(f"/v1/admin/routing-rules/{rule_id}").json()["id"] == rule_id
        ids = [rule["id"] for rule in admin.get("/v1/admin/routing-rules", params={"division": COUNTY}).json()]
        assert set(ids) == {rule["id"] for rule in county["rules"]}


def test_rules_assign_under_the_countys_policy_and_unmatched_items_get_suggested_units(platform, county):
    history = ["城东公交站台的顶棚坏了，下雨没处躲", "公交车班次太少，站台上等车半小时", "小区电梯经常停运，物业不管"]
    with platform.client() as citizen:
        codes = [submit(citizen, text) for text in history]
    with platform.admin() as admin:
        first = wait_until(lambda: case_of(admin, codes[0], "assigned"), timeout=30)
        assert first["lead_unit"]["id"] == "hy-transport" and first["triage"]["level"] == "assign"
        assigned_on = local_date(datetime.fromisoformat(first["history"][-1]["at"]))
        assert date.fromisoformat(first["due_date"]) == WorkingCalendar().add_working_days(assigned_on, 10).due_date
        for code in codes[1:]:
            wait_until(lambda code=code: case_of(admin, code, "assigned"), timeout=30)

    with platform.client() as citizen:
        unmatched = submit(citizen, "武原街道的站台被车撞坏了，等车的人没地方站")
        public = citizen.get(f"/v1/public/opinions/{codes[0]}").text
        assert CONTACT["name"] not in public and CONTACT["office_phone"] not in public

    def suggested(station):
        queue = station.get("/v1/triage-queue", params={"division": TOWNSHIP}).json()
        entry = next((e for e in queue if e["case_id"] == unmatched), None)
        return entry if entry and entry["suggestions"] else None

    with platform.client(county["station"]) as station:
        entry = wait_until(lambda: suggested(station), timeout=30)
        assert entry["status"] == "triaged" and entry["triage"]["level"] is None
        best = entry["suggestions"][0]
        assert best["unit"] == {"id": "hy-transport", "name": "海盐县交通运输局"} and "公交站" in best["shared_terms"]
        assert "contacts" not in str(entry)

    with platform.client(county["supervisor"]) as supervisor:
        late = supervisor.get("/v1/late-assignments", params={"division": COUNTY})
        assert late.status_code == 200 and unmatched not in {e["case_id"] for e in late.json()}  # received today


def test_an_escalation_rule_sends_a_village_item_to_its_townships_queue(platform, county):
    with platform.client() as citizen:
        code = submit(citizen, "城西村征地补偿款迟迟没有发放", division=VILLAGE)
    with platform.client(county["station"]) as station:

        def queued():
            queue = station.get("/v1/triage-queue", params={"division": TOWNSHIP}).json()
            return next((e for e in queue if e["case_id"] == code), None)

        entry = wait_until(queued, timeout=30)
        assert entry["status"] == "escalated" and entry["division"] == TOWNSHIP
        assert entry["triage"] == {**entry["triage"], "level": "escalate", "escalated_to": TOWNSHIP}
        case = station.get(f"/v1/cases/{code}").json()
        assert [step["status"] for step in case["history"]] == ["received", "triaged", "escalated"]
        assert VILLAGE in case["history"][-1]["reason"] and TOWNSHIP in case["history"][-1]["reason"]
