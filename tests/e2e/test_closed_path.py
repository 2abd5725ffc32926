"""The first closed path over HTTP: submit → intake → routing → supervision → notify → track."""

from datetime import date, datetime

from infra.clock import local_date
from services.routing.calendar import WorkingCalendar
from tests.conftest import wait_until

CITIZEN = {"name": "陈小明", "phone": "138 1234 5678"}


def submit(client, **overrides):
    body = {
        "division": "330481001",
        "channel": "web",
        "content": "文苑路公交站台的顶棚坏了，下雨天没法等车",
        "contact": CITIZEN,
    }
    return client.post("/v1/public/opinions", json={**body, **overrides})


def tracked(client, code: str, status: str):
    answer = client.get(f"/v1/public/opinions/{code}")
    return answer.json() if answer.status_code == 200 and answer.json()["status"] == status else None


def test_opinion_is_assigned_with_a_working_day_deadline_and_tracked_publicly(platform):
    with platform.client() as citizen:
        accepted = submit(citizen)
        assert accepted.status_code == 202
        code = accepted.json()["tracking_code"]
        assert accepted.json()["status_url"] == f"/v1/public/opinions/{code}"

        view = wait_until(lambda: tracked(citizen, code, "assigned"))

    assert view["lead_unit"] == {"id": "hn-transport", "name": "海宁市交通运输局"}
    assert [unit["name"] for unit in view["co_units"]] == ["海宁市综合行政执法局"]
    assert [step["status"] for step in view["history"]] == ["received", "triaged", "assigned"]
    assigned_at = datetime.fromisoformat(view["history"][-1]["at"])
    expected = WorkingCalendar().add_working_days(local_date(assigned_at), 15)
    assert date.fromisoformat(view["due_date"]) == expected.due_date
    assert view["calendar_fallback"] is expected.calendar_fallback


def test_public_view_never_shows_the_citizens_name_or_phone(platform):
    with platform.client() as citizen:
        code = submit(citizen).json()["tracking_code"]
        wait_until(lambda: tracked(citizen, code, "assigned"))
        raw = citizen.get(f"/v1/public/opinions/{code}").text
    assert "陈小明" not in raw
    assert "13812345678" not in raw and "1234 5678" not in raw and "contact" not in raw


def test_supervision_and_notify_record_the_assignment(platform):
    with platform.client() as citizen:
        code = submit(citizen, content="海洲街道的河道有污水直排，气味很大").json()["tracking_code"]
        wait_until(lambda: tracked(citizen, code, "assigned"))

    with platform.admin() as admin:
        deadlines = wait_until(
            lambda: [d for d in admin.get("/v1/supervision/deadlines?division=330481").json() if d["case_id"] == code]
        )
        inbox = wait_until(
            lambda: [n for n in admin.get("/v1/notifications?recipient=unit:hn-ecology").json() if n["case_id"] == code]
        )
        cases = admin.get("/v1/cases?division=330481001").json()

    assert deadlines[0]["lead_unit"]["id"] == "hn-ecology"
    assert deadlines[0]["overdue"] is False
    assert len(inbox) == 1 and code in inbox[0]["body"] and deadlines[0]["due_date"] in inbox[0]["body"]
    assert [case["status"] for case in cases if case["case_id"] == code] == ["assigned"]


def test_item_without_a_matching_rule_waits_at_triage(platform):
    with platform.admin() as admin:
        assert admin.put("/v1/admin/divisions/330482", json={"name": "平湖市"}).status_code == 200
    with platform.client() as citizen:
        code = submit(citizen, division="330482", content="小区门口路灯不亮").json()["tracking_code"]
        wait_until(lambda: citizen.get(f"/v1/public/opinions/{code}").status_code == 200)
    with platform.admin() as admin:
        case = wait_until(lambda: [c for c in admin.get("/v1/cases?division=330482").json() if c["case_id"] == code])[0]
    assert case["status"] == "triaged" and case["lead_unit"] is None


def test_stations_and_their_deputies_are_listed_for_citizens(platform):
    with platform.client() as citizen:
        stations = citizen.get("/v1/public/stations?division=330481001").json()
    assert [(s["name"], sorted(s["deputies"])) for s in stations] == [("硖石街道人大代表联络站", ["张伟", "李红"])]


def test_the_lead_unit_signs_for_its_case_and_everyone_sees_it_once(platform):
    with platform.admin() as admin:
        created = admin.post(
            "/v1/admin/api-keys",
            json={"role": "handler", "scope": "330481", "label": "交通运输局 办理员", "unit": "hn-transport"},
        )
        assert created.status_code == 201, created.text
        other_unit = admin.post(
            "/v1/admin/api-keys",
            json={"role": "handler", "scope": "330481", "label": "住建局 办理员", "unit": "hn-housing"},
        ).json()
    with platform.client() as citizen:
        code = submit(citizen, content="硖石街道公交站牌被撞歪了").json()["tracking_code"]
        wait_until(lambda: tracked(citizen, code, "assigned"))

    with platform.client(other_unit["key"]) as housing:
        refused = housing.post(f"/v1/cases/{code}/accept", json={})
        assert refused.status_code == 403 and refused.json()["field"] == "unit"
    with platform.client(created.json()["key"]) as transport:
        case = transport.post(f"/v1/cases/{code}/accept", json={"expected_version": 1})
        assert case.status_code == 200, case.text
        assert case.json()["status"] == "accepted" and case.json()["version"] == 2
        again = transport.post(f"/v1/cases/{code}/accept", json={"expected_version": 1})
        assert again.status_code == 409 and again.headers["content-type"] == "application/problem+json"
        assert again.json()["state"]["status"] == "accepted" and again.json()["state"]["version"] == 2

    with platform.client() as citizen:
        view = wait_until(lambda: tracked(citizen, code, "accepted"))
    assert [step["status"] for step in view["history"]] == ["received", "triaged", "assigned", "accepted"]
    assert view["history"][-1]["actor"] == "unit:hn-transport"
    with platform.admin() as admin:
        watched = wait_until(
            lambda: [
                d
                for d in admin.get("/v1/supervision/deadlines?division=330481&limit=500").json()
                if d["case_id"] == code and d["status"] == "accepted"
            ]
        )
    assert len(watched) == 1
