"""马龙区's figures (seed 001, DOMAIN.md) reproduced from data driven through the API of a running
platform: 95 deputies' suggestions filed, accepted, assigned by the district's rule, met with the
deputy, replied 58 as A (已解决或正在解决) and 37 as B (计划解决) under the district's own scheme, and
rated satisfied by the deputy. Statistics then say 办复率 100%, 面商率 100%, 满意率 100% and
办结率 61.05% (58 of 95), in JSON and in the CSV export."""

import csv
import io
from contextlib import ExitStack
from datetime import timedelta

from infra.clock import local_today
from tests.conftest import wait_until

MALONG = "530304"
STATION = {"id": "ml-tongquan-station", "name": "通泉街道人大代表联络站", "division": MALONG}
DEPUTIES = [{"id": f"ml-deputy-{n}", "name": f"马龙代表{n}", "division": MALONG} for n in range(1, 11)]
UNIT = {"id": "ml-gov-office", "name": "马龙区人民政府办公室", "division": MALONG}
SCHEME = {
    "classes": [
        {"code": "A", "label": "已解决或正在解决", "completed": True, "resolved": True},
        {"code": "B", "label": "计划解决", "completed": False, "resolved": False, "planned": True},
    ]
}


def keyed(admin, **body) -> str:
    created = admin.post("/v1/admin/api-keys", json={"scope": MALONG, **body})
    assert created.status_code == 201, created.text
    return created.json()["key"]


def set_up_the_district(admin) -> dict[str, str]:
    admin.put(f"/v1/admin/divisions/{MALONG}", json={"name": "曲靖市马龙区"}).raise_for_status()
    admin.post("/v1/directory/stations", json=STATION).raise_for_status()
    for deputy in DEPUTIES:
        admin.post("/v1/directory/deputies", json={**deputy, "station_ids": [STATION["id"]]}).raise_for_status()
    admin.post("/v1/admin/units", json=UNIT).raise_for_status()
    admin.post("/v1/admin/routing-rules", json={"division": MALONG, "lead_unit": UNIT["id"]}).raise_for_status()
    admin.put(f"/v1/admin/result-schemes/{MALONG}", json=SCHEME).raise_for_status()
    return {
        "deputy": keyed(admin, role="deputy", label="马龙区人大代表"),
        "office": keyed(admin, role="supervisor", label="马龙区人大常委会代表工委"),
        "unit": keyed(admin, role="handler", label="区政府办 办理员", unit=UNIT["id"]),
        # only a suggestion's lead deputy evaluates its reply: each deputy's own key
        **{d["id"]: keyed(admin, role="deputy", label=d["name"], deputy_id=d["id"]) for d in DEPUTIES},
    }


def file_and_accept(deputy, office, n: int) -> str:
    filing = {
        "division": MALONG,
        "session": {"term": 3, "meeting": 2},
        "lead_deputy": DEPUTIES[n % len(DEPUTIES)]["id"],
        "title": f"关于马龙区第{n + 1}项民生事项的建议",
        "text": f"马龙区第{n + 1}项民生事项群众反映强烈，建议相关部门尽快研究解决。",
    }
    created = deputy.post("/v1/suggestions", json=filing)
    assert created.status_code == 201, created.text
    path = f"/v1/suggestions/{created.json()['id']}"
    deputy.post(f"{path}/submit", json={}).raise_for_status()
    office.post(f"{path}/accept", json={}).raise_for_status()
    return created.json()["id"]


def handle(unit, case_id: str, result_class: str) -> None:
    assert unit.post(f"/v1/cases/{case_id}/accept", json={}).status_code == 200
    meeting = {"stage": "during", "on": local_today().isoformat(), "form": "面对面座谈", "participants": ["区政府办"]}
    recorded = unit.post(f"/v1/cases/{case_id}/record-meeting", json={**meeting, "met": "deputy"})
    assert recorded.status_code == 200, recorded.text
    reply = {"text": "已研究办理并与代表当面沟通。", "result_class": result_class}
    if result_class == "B":
        reply["promised"] = [{"item": "列入明年计划实施", "by": (local_today() + timedelta(days=200)).isoformat()}]
    answered = unit.post(f"/v1/cases/{case_id}/reply", json=reply)
    assert answered.status_code == 200, answered.text


def statistics(client, **params):
    today = local_today()
    query = {"division": MALONG, "from": f"{today.year}-01", "to": today.strftime("%Y-%m"), **params}
    return client.get("/v1/supervision/statistics", params=query)


def test_malong_districts_figures_from_data_driven_through_the_api(platform):
    with platform.admin() as admin:
        keys = set_up_the_district(admin)
    with platform.client(keys["deputy"]) as deputy, platform.client(keys["office"]) as office:
        cases = [file_and_accept(deputy, office, n) for n in range(95)]

        def all_assigned():
            listed = office.get("/v1/cases", params={"division": MALONG, "limit": 500}).json()
            return len([c for c in listed if c["status"] == "assigned"]) == 95

        wait_until(all_assigned, timeout=120)
        with platform.client(keys["unit"]) as unit:
            for n, case_id in enumerate(cases):
                handle(unit, case_id, "A" if n < 58 else "B")

        def replied(lead, case_id: str) -> bool:
            rated = lead.post(f"/v1/cases/{case_id}/evaluation", json={"rating": "satisfied"})
            return rated.status_code == 201 or rated.status_code == 409 and rated.json()["field"] == "evaluation"

        with ExitStack() as clients:
            leads = [clients.enter_context(platform.client(keys[d["id"]])) for d in DEPUTIES]
            for n, case_id in enumerate(cases):
                lead = leads[n % len(DEPUTIES)]
                wait_until(lambda lead=lead, case_id=case_id: replied(lead, case_id), timeout=60)

        figures = wait_until(
            lambda: (answer := statistics(office, by="unit").json())["total"]["evaluated"] == 95 and answer,
            timeout=120,
        )
        total = figures["total"]
        assert (total["assigned"], total["replied"], total["met"], total["satisfied"]) == (95, 95, 95, 95)
        assert total["classes"] == {"A": 58, "B": 37}
        assert total["reply_rate"] == {"numerator": 95, "denominator": 95, "percent": 100.0}
        assert total["face_to_face_rate"] == {"numerator": 95, "denominator": 95, "percent": 100.0}
        assert total["satisfaction_rate"] == {"numerator": 95, "denominator": 95, "percent": 100.0}
        assert total["completion_rate"] == {"numerator": 58, "denominator": 95, "percent": 61.05}
        assert total["class_shares"]["B"]["percent"] == 38.95
        assert [(r["key"], r["label"], r["assigned"]) for r in figures["rows"]] == [
            ("ml-gov-office", "马龙区人民政府办公室", 95)
        ]
        deputies = statistics(office, by="deputy").json()["rows"]
        assert sorted((r["key"], r["assigned"]) for r in deputies)[:2] == [("ml-deputy-1", 10), ("ml-deputy-10", 9)]
        assert {r["key"]: r["label"] for r in deputies}["ml-deputy-1"] == "马龙代表1"

        exported = statistics(office, by="channel", format="csv")
        header, channel, last = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
        cells = dict(zip(header, channel, strict=True))
        assert (cells["名称"], cells["交办件数"], cells["办复率(%)"], cells["面商率(%)"]) == (
            "代表建议 (session_suggestion)",
            "95",
            "100.0",
            "100.0",
        )
        assert (cells["满意率(%)"], cells["办结率(%)"], last[0]) == ("100.0", "61.05", "*")


def test_the_demo_countys_statistics_and_lists_are_not_empty(platform):
    with platform.admin() as admin:
        figures = wait_until(
            lambda: (
                (answer := statistics(admin, division="330481", by="unit").json())["total"]["evaluated"] >= 3 and answer
            )
        )
        lists = admin.get("/v1/supervision/rankings", params={"division": "330481", "period": str(local_today().year)})
    total = figures["total"]
    assert total["replied"] >= 8 and total["returned"] >= 1 and total["met"] >= 6
    assert {"A", "B", "C"} <= set(total["classes"]) and total["unsatisfied"] >= 1
    assert lists.status_code == 200 and lists.json()["rules"]["min_cases"] == 2 and lists.json()["ranked"]
