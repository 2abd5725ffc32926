"""Finding cases over HTTP with the demo data: each key sees its own cases, and the filters narrow them."""

import uuid

import pytest

from tests.conftest import wait_until

TOKEN = f"查找{uuid.uuid4().hex[:6]}"


@pytest.fixture(scope="module")
def found(platform):
    """Two cases of this module's own (one for 交通运输局 in 硖石街道, one for 住建局 in 海洲街道),
    assigned, and keys for 住建局 and 硖石街道's station."""
    with platform.client() as citizen:
        transport = citizen.post(
            "/v1/public/opinions",
            json={"division": "330481001", "channel": "web", "content": f"{TOKEN} 文苑路公交站台的顶棚坏了"},
        ).json()["tracking_code"]
        housing = citizen.post(
            "/v1/public/opinions",
            json={"division": "330481002", "channel": "qr", "content": f"{TOKEN} 海洲小区的路灯坏了一个月"},
        ).json()["tracking_code"]
    with platform.admin() as admin:

        def assigned():
            cases = admin.get("/v1/cases", params={"text": TOKEN, "status": "assigned"}).json()
            return cases if len(cases) == 2 else None

        wait_until(assigned, timeout=30)

        def key(**body):
            answer = admin.post("/v1/admin/api-keys", json={"scope": "330481", **body})
            assert answer.status_code == 201, answer.text
            return answer.json()["key"]

        keys = {
            "housing": key(role="handler", label="住建局办理员", unit="hn-housing"),
            "station": key(role="station", label="硖石街道联络站", scope="330481001"),
        }
    return {"transport": transport, "housing": housing, "keys": keys}


def case_ids(cases: list[dict]) -> set[str]:
    return {case["case_id"] for case in cases}


def test_a_units_key_sees_only_its_units_cases(platform, found):
    with platform.client(found["keys"]["housing"]) as housing:
        cases = housing.get("/v1/cases", params={"limit": 500}).json()
        assert found["housing"] in case_ids(cases) and found["transport"] not in case_ids(cases)
        assert all("hn-housing" in {c["lead_unit"]["id"], *(u["id"] for u in c["co_units"])} for c in cases)

        whole = housing.get(f"/v1/cases/{found['housing']}")
        assert whole.status_code == 200 and TOKEN in whole.json()["content"]
        assert [step["status"] for step in whole.json()["history"]][:3] == ["received", "triaged", "assigned"]
        hidden = housing.get(f"/v1/cases/{found['transport']}")
        assert hidden.status_code == 404 and hidden.json()["field"] == "case_id"


def test_a_stations_key_sees_its_divisions_cases(platform, found):
    with platform.client(found["keys"]["station"]) as station:
        cases = station.get("/v1/cases", params={"limit": 500}).json()
        assert found["transport"] in case_ids(cases) and found["housing"] not in case_ids(cases)
        assert cases and all(case["division"].startswith("330481001") for case in cases)
        assert station.get(f"/v1/cases/{found['transport']}").status_code == 200
        assert station.get(f"/v1/cases/{found['housing']}").status_code == 404
        assert station.get("/v1/cases", params={"division": "330481"}).status_code == 403


def test_filters_by_status_category_and_text(platform, found):
    with platform.admin() as admin:
        mine = admin.get("/v1/cases", params={"text": TOKEN}).json()
        assert case_ids(mine) == {found["transport"], found["housing"]}
        assert [c["received_at"] for c in mine] == sorted((c["received_at"] for c in mine), reverse=True)
        both = admin.get("/v1/cases", params=[("text", TOKEN), ("status", "assigned"), ("status", "accepted")])
        assert case_ids(both.json()) == case_ids(mine)
        assert admin.get("/v1/cases", params={"text": TOKEN, "status": "replied"}).json() == []
        by_unit = admin.get("/v1/cases", params={"text": TOKEN, "unit": "hn-transport"}).json()
        assert case_ids(by_unit) == {found["transport"]}

        # the demo data's 加装电梯 item (entered at 硖石街道's station, 文苑社区)
        lifts = wait_until(lambda: admin.get("/v1/cases", params={"category": "加装电梯", "limit": 500}).json())
        assert all(case["category"] == "加装电梯" for case in lifts)
        texts = admin.get("/v1/cases", params={"text": "电梯", "limit": 500}).json()
        assert texts and all("电梯" in admin.get(f"/v1/cases/{c['case_id']}").json()["content"] for c in texts)

        first = admin.get("/v1/cases", params={"text": TOKEN, "limit": 1})
        assert len(first.json()) == 1 and 'rel="next"' in first.headers["link"]
        rest = admin.get(first.headers["link"].split(">")[0].lstrip("<")).json()
        assert case_ids(first.json() + rest) == case_ids(mine)

        bad = admin.get("/v1/cases", params={"status": "finished"})
        assert bad.status_code == 422 and bad.json()["field"].startswith("status")
